package io.tributary.analyze.events;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.session_window;
import static org.apache.spark.sql.functions.when;

import io.tributary.analyze.TimeGrain;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Sessions by inactivity: a key's events belong to one session while each follows the previous one by less
 * than the gap (Spark's {@code session_window}). A session's duration is from its first to its last event
 * (0 for a single event), and it counts in the window its first event falls in. Sessions are built from the
 * range's events only, so one running across the range start is cut there.
 *
 * <p>Output: {@code window, window_start, window_end, sessions BIGINT, mean_duration_s DOUBLE,
 * median_duration_s DOUBLE, p90_duration_s DOUBLE, mean_events DOUBLE, bounce_rate DOUBLE}. Percentiles are
 * exact, interpolated linearly between the closest ranks; bounce rate is the share of single-event sessions.
 * A window without sessions reads 0 sessions and null statistics.
 */
final class Sessions {
  private Sessions() {}

  static Dataset<Row> compute(Dataset<Row> events, String timeColumn, String key, int gapMinutes,
      List<TimeGrain> grains, Instant from, Instant to) {
    Dataset<Row> sessions = events.where(col(key).isNotNull())
        .groupBy(col(key), session_window(col(timeColumn), gapMinutes + " minutes"))
        .agg(min(timeColumn).as("first_t"), max(timeColumn).as("last_t"), count(lit(1)).as("events"))
        .withColumn("duration_s", TimeGrain.seconds(col("first_t"), col("last_t")));
    Dataset<Row> out = null;
    for (TimeGrain grain : grains) {
      Dataset<Row> stats = grain.tag(sessions, col("first_t"), from, to)
          .groupBy(col("window_start").as("stats_start"))
          .agg(count(lit(1)).as("n"),
              avg("duration_s").as("mean_duration_s"),
              percentile(col("duration_s"), lit(0.5)).as("median_duration_s"),
              percentile(col("duration_s"), lit(0.9)).as("p90_duration_s"),
              avg("events").as("mean_events"),
              avg(when(col("events").equalTo(1), 1.0).otherwise(0.0)).as("bounce_rate"));
      Dataset<Row> grid = grain.table(events.sparkSession(), from, to);
      Column on = grid.col("window_start").equalTo(stats.col("stats_start"));
      Dataset<Row> rows = grid.join(stats, on, "left")
          .select(grid.col("window"), grid.col("window_start"), grid.col("window_end"),
              coalesce(stats.col("n"), lit(0L)).as("sessions"),
              stats.col("mean_duration_s"), stats.col("median_duration_s"), stats.col("p90_duration_s"),
              stats.col("mean_events"), stats.col("bounce_rate"));
      out = out == null ? rows : out.unionByName(rows);
    }
    return out;
  }
}
