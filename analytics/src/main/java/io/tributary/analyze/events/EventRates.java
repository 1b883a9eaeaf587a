package io.tributary.analyze.events;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.tributary.analyze.TimeGrain;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Event counts and rates per window and event type, plus {@code *} for all types together. Every window of
 * the range gets a row for every type seen in the range, so an hour without events reads 0, not missing.
 *
 * <p>Output: {@code window, window_start, window_end, event_type STRING, events BIGINT,
 * events_per_second DOUBLE} (events over the window's length; a window clipped by the range is shorter).
 */
final class EventRates {
  static final String ALL_TYPES = "*";

  private EventRates() {}

  /**
   * @param events rows with {@code from <= time < to}
   */
  static Dataset<Row> compute(Dataset<Row> events, String timeColumn, String typeColumn, List<TimeGrain> grains,
      Instant from, Instant to) {
    Dataset<Row> typed = events.select(col(timeColumn).as("t"), col(typeColumn).cast("string").as("event_type"));
    Dataset<Row> types = typed.select("event_type").distinct()
        .unionByName(events.sparkSession().range(1).select(lit(ALL_TYPES).as("event_type")));
    Dataset<Row> out = null;
    for (TimeGrain grain : grains) {
      Dataset<Row> tagged = grain.tag(typed, col("t"), from, to);
      Dataset<Row> perType = tagged.groupBy("window_start", "event_type").agg(count(lit(1)).as("events"));
      Dataset<Row> total = tagged.groupBy("window_start").agg(count(lit(1)).as("events"))
          .withColumn("event_type", lit(ALL_TYPES));
      Dataset<Row> counts = perType.unionByName(total).withColumnRenamed("event_type", "counted_type");
      Dataset<Row> grid = grain.table(events.sparkSession(), from, to).crossJoin(types);
      Column on = grid.col("window_start").equalTo(counts.col("window_start"))
          .and(grid.col("event_type").eqNullSafe(counts.col("counted_type")));
      Dataset<Row> rates = grid.join(counts, on, "left")
          .select(grid.col("window"), grid.col("window_start"), grid.col("window_end"), grid.col("event_type"),
              coalesce(counts.col("events"), lit(0L)).as("events"))
          .withColumn("events_per_second",
              col("events").divide(TimeGrain.seconds(col("window_start"), col("window_end"))));
      out = out == null ? rates : out.unionByName(rates);
    }
    return out;
  }
}
