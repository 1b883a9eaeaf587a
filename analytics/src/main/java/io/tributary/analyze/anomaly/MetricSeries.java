package io.tributary.analyze.anomaly;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_micros;

import io.tributary.analyze.TimeGrain;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Event counts per window of a grain, one series per value of a column plus {@code *} for all rows, dense:
 * every window from the first one with data to the last complete window before {@code to} is present, with 0
 * where nothing happened (so a silent hour is a point, and "the same hour a week ago" is a fixed offset).
 *
 * <p>Output: {@code series STRING, window_start TIMESTAMP, value DOUBLE}.
 */
final class MetricSeries {
  static final String ALL = "*";

  private MetricSeries() {}

  /**
   * @param history rows with {@code timeColumn < to}
   */
  static Dataset<Row> counts(Dataset<Row> history, String timeColumn, String seriesColumn, TimeGrain grain,
      Instant to) {
    long sizeMicros = grain.size().toNanos() / 1000;
    Instant lastStart = grain.floor(to).minus(grain.size());
    Dataset<Row> tagged = history.where(col(timeColumn).isNotNull())
        .select(grain.naturalStart(col(timeColumn)).as("window_start"), col(seriesColumn).cast("string").as("series"));
    // One pass over the rows; the total, the first window and the series names come from this small aggregate.
    Dataset<Row> perSeries = tagged.groupBy("window_start", "series").agg(count(lit(1)).as("n"));
    Dataset<Row> counted = perSeries
        .unionByName(perSeries.groupBy("window_start").agg(sum("n").as("n")).withColumn("series", lit(ALL)))
        .withColumnRenamed("window_start", "counted_start")
        .withColumnRenamed("series", "counted_series")
        .withColumnRenamed("n", "counted_n");
    Column last = TimeGrain.timestamp(lastStart);
    Dataset<Row> windows = perSeries.agg(min("window_start").as("first"))
        .where(col("first").leq(last))
        .select(explode(sequence(unix_micros(col("first")), unix_micros(last), lit(sizeMicros))).as("micros"))
        .select(timestamp_micros(col("micros")).as("window_start"));
    Dataset<Row> names = perSeries.select("series").distinct()
        .unionByName(history.sparkSession().range(1).select(lit(ALL).as("series")));
    Dataset<Row> grid = windows.crossJoin(names);
    // Names, not Dataset.col references: both sides derive from perSeries, so references would be ambiguous.
    Column on = col("window_start").equalTo(col("counted_start"))
        .and(col("series").eqNullSafe(col("counted_series")));
    return grid.join(counted, on, "left")
        .select(col("series"), col("window_start"), coalesce(col("counted_n"), lit(0L)).cast("double").as("value"));
  }
}
