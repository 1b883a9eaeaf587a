package io.tributary.analyze.anomaly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_micros;

import io.tributary.analyze.Analysis;
import io.tributary.analyze.AnalysisContext;
import io.tributary.analyze.AnalysisResult;
import io.tributary.analyze.ColumnRequirement;
import io.tributary.analyze.InputHistory;
import io.tributary.analyze.RequiresColumns;
import io.tributary.analyze.TimeGrain;
import io.tributary.config.ConfigException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anomalies in metric history ({@value #TABLE}): event counts per hour (or day) of each event type and of all
 * types ({@code *}), built from the input table's whole history up to {@code to} at the run's pinned version,
 * scored by each configured method (see {@link Detectors}). Every complete window in {@code [from, to)} of every
 * series gets a row per method, flagged or not, with what it was compared to, so a reader sees why.
 *
 * <p>Rows: {@code job, window, window_start, window_end, metric ('events_per_hour' or 'events_per_day'),
 * series, method ('robust_z' | 'seasonal'), value DOUBLE, expected DOUBLE, lower DOUBLE, upper DOUBLE,
 * score DOUBLE, is_anomaly BOOLEAN, direction ('spike' | 'drop' | null)}. Expected, band and score are null
 * where a method lacks history. A window cut by {@code to} is not scored (its count is incomplete).
 */
public final class AnomalyAnalysis implements Analysis, RequiresColumns {
  public static final String TABLE = "anomalies";

  private static final Logger LOG = LoggerFactory.getLogger(AnomalyAnalysis.class);

  private final AnomalySpec spec;

  public AnomalyAnalysis(AnomalySpec spec) {
    this.spec = spec == null ? AnomalySpec.defaults() : spec;
  }

  @Override
  public String name() {
    return "anomaly";
  }

  @Override
  public List<ColumnRequirement> requiredColumns() {
    return List.of(ColumnRequirement.categorical(spec.seriesColumn(), "anomaly.seriesColumn", "anomaly series"));
  }

  @Override
  public AnalysisResult compute(AnalysisContext ctx) {
    LOG.info("Anomalies of job {} in [{}, {}) per {} by {}, from the input's history up to {}", ctx.job().name(),
        ctx.from(), ctx.to(), spec.window(), spec.methods(), ctx.to());
    Dataset<Row> history = InputHistory.read(ctx, null, ctx.to());
    // Windows after the newest event are merely empty so far, and the newest event's window is still filling
    // up while it has not ended on the clock: scoring them would flag drops that are not there.
    Row newest = history.agg(org.apache.spark.sql.functions.max(ctx.job().timeColumn())).first();
    Instant end = ctx.to();
    if (!newest.isNullAt(0)) {
      Instant newestStart = spec.grain().floor(newest.getTimestamp(0).toInstant());
      Instant newestEnd = newestStart.plus(spec.grain().size());
      Instant complete = newestEnd.isAfter(Instant.now()) ? newestStart : newestEnd;
      end = complete.isBefore(end) ? complete : end;
    }
    return AnalysisResult.gold(Map.of(TABLE, detect(history, ctx.job().name(), ctx.job().timeColumn(), ctx.from(), end)));
  }

  /**
   * The same as {@link #compute(AnalysisContext)} on any rows.
   *
   * @param history every row before {@code to} (earlier rows are the baseline of the points in the range)
   */
  public Dataset<Row> detect(Dataset<Row> history, String job, String timeColumn, Instant from, Instant to) {
    List<String> columns = Arrays.asList(history.columns());
    if (!columns.contains(timeColumn)) {
      throw new ConfigException("'timeColumn' names column '" + timeColumn + "', which the input does not have");
    }
    if (!columns.contains(spec.seriesColumn())) {
      throw new ConfigException("'anomaly.seriesColumn' names column '" + spec.seriesColumn()
          + "', which the input does not have; its columns are " + columns);
    }
    TimeGrain grain = spec.grain();
    Dataset<Row> series = MetricSeries.counts(history.where(col(timeColumn).lt(TimeGrain.timestamp(to))),
        timeColumn, spec.seriesColumn(), grain, to);
    Dataset<Row> scored = null;
    for (String method : spec.methods()) {
      Dataset<Row> s = method.equals(AnomalySpec.ROBUST_Z)
          ? Detectors.robustZ(series, spec.trailingPoints(), spec.minHistory(), spec.threshold())
          : Detectors.seasonal(series, seasonalPeriod(grain), spec.seasonalWeeks(), spec.minHistory(),
              spec.threshold());
      scored = scored == null ? s : scored.unionByName(s);
    }
    long sizeMicros = grain.size().toNanos() / 1000;
    return Detectors.flag(scored, spec.threshold())
        .where(col("window_start").geq(TimeGrain.timestamp(from)).and(col("window_start").lt(TimeGrain.timestamp(to))))
        .select(lit(job).as("job"), lit(grain.key()).as("window"), col("window_start"),
            timestamp_micros(unix_micros(col("window_start")).plus(sizeMicros)).as("window_end"),
            lit("events_per_" + grain.key()).as("metric"), col("series"), col("method"), col("value"),
            col("expected"), col("lower"), col("upper"), col("score"), col("is_anomaly"), col("direction"));
  }

  /** Points per week: the same hour (or day) of the week is this many points earlier. */
  static int seasonalPeriod(TimeGrain grain) {
    return (int) (TimeGrain.WEEK.size().toSeconds() / grain.size().toSeconds());
  }
}
