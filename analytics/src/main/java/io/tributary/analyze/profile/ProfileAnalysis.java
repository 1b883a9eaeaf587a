package io.tributary.analyze.profile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import io.tributary.analyze.Analyses;
import io.tributary.analyze.Analysis;
import io.tributary.analyze.AnalysisContext;
import io.tributary.analyze.AnalysisResult;
import io.tributary.analyze.ColumnRequirement;
import io.tributary.analyze.InputHistory;
import io.tributary.analyze.Progress;
import io.tributary.analyze.RequiresColumns;
import io.tributary.analyze.StateUpdate;
import io.tributary.analyze.TimeGrain;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Column profiles, overall, per slice (each value of each dimension column) and per time window, written to the
 * gold table {@value #TABLE}.
 *
 * <h2>Gold table {@code profiles}</h2>
 * One row per window, slice and column:
 * <pre>
 * job              STRING     the job's name
 * window           STRING     hour | day | week | all (the run's whole analysed range, see below)
 * window_start     TIMESTAMP  inclusive start of the window (UTC); weeks start on Mondays
 * window_end       TIMESTAMP  exclusive end; a window cut off by the end of the analysed range ends there
 * slice_key        STRING     the dimension column the row is for; null for the overall profile
 * slice_value      STRING     the dimension's value (as a string; null for rows where the dimension is null)
 * column           STRING     the profiled column
 * count            BIGINT     non-null values
 * null_count       BIGINT     null values
 * null_rate        DOUBLE     null_count / (count + null_count)
 * distinct_approx  BIGINT     distinct non-null values (HyperLogLog, about 1.6% relative standard error)
 * mean             DOUBLE     arithmetic mean                                              [numeric columns]
 * variance         DOUBLE     sample variance, M2 / (count - 1); null below two values     [numeric]
 * stddev           DOUBLE     sqrt(variance)                                               [numeric]
 * min, max         DOUBLE     smallest and largest value                                   [numeric]
 * sum_exact        DECIMAL(38,18) exact sum; null when it cannot be represented (see sum_exact_error)  [DECIMAL]
 * mean_exact       DECIMAL(38,18) sum_exact / count, rounded half-up to 18 decimals        [DECIMAL columns]
 * sum_exact_error  STRING     why a DECIMAL column has no exact sum: its scale is above 18, or the sum needs
 *                             more than 20 integer digits; null otherwise                 [DECIMAL columns]
 * quantiles        ARRAY&lt;STRUCT&lt;p DOUBLE, value DOUBLE&gt;&gt;  the configured quantiles from a KLL
 *                             sketch (normalized rank error about 1.3%); exact below 200 values  [numeric]
 * skewness         DOUBLE     population skewness g1 = sqrt(n) M3 / M2^1.5, as Spark's skewness()  [numeric]
 * kurtosis         DOUBLE     population EXCESS kurtosis g2 = n M4 / M2^2 - 3, as Spark's kurtosis();
 *                             skewness and kurtosis are null when all values are equal (M2 = 0)  [numeric]
 * top_values       ARRAY&lt;STRUCT&lt;value STRING, count BIGINT&gt;&gt;  the topK most frequent values, most
 *                             frequent first, ties by value (frequent-items sketch)  [STRING and BOOLEAN]
 * run_id, run_time, code_version, input_versions   added by the gold writer
 * </pre>
 * Metrics a column's type does not get are null. Numeric values are profiled as DOUBLE, except the exact
 * DECIMAL sum and mean. A NaN or ±Infinity in a DOUBLE/FLOAT column is a value, not a null: it counts in
 * {@code count}, makes {@code mean}, {@code variance}, {@code stddev}, {@code skewness} and {@code kurtosis}
 * NaN, takes part in {@code min}/{@code max} the way Spark orders doubles (NaN above +Infinity), and is left out
 * of {@code quantiles} (the sketch skips NaN; infinities are kept).
 *
 * <p>The {@code all} window is everything the job has analysed up to the end of the run's range: its
 * {@code window_start} is where a full run over the same data starts (the first day, on a boundary of the largest
 * configured window) and {@code window_end} the end of the run's range. It is merged from every stored day state,
 * so after any sequence of incremental runs it equals what a full run computes (sketches within their error).
 * A run replaces every window that starts in its range and the job's {@code all} rows, so the table holds exactly
 * one {@code all} row set per job.
 *
 * <h2>How it is computed</h2>
 * The data of the days being (re)computed is read once: one aggregation builds a mergeable state per hour (or
 * day when no hour windows are configured), slice and column ({@link ProfileStates}). Hour states are merged
 * into day states; day states are merged into weeks and the {@code all} window. An incremental run recomputes
 * from the data only the days after the last stored day plus that day again, and takes the earlier days from
 * the store ({@link ProfileStateStore}), so a daily run reads one or two days of input; when the stored states
 * were built with other settings, or on a full run, all states are rebuilt from the input. The moments use
 * numerically stable updates and merges ({@link MomentsBuffer}), so merged and full results agree to
 * floating-point rounding and ill-conditioned data keeps its precision.
 *
 * <p>It writes nothing: the new hour and day states are returned as {@link StateUpdate}s with the gold rows,
 * and the runner stores them when it commits the run.
 */
public final class ProfileAnalysis implements Analysis, RequiresColumns {
  public static final String TABLE = "profiles";
  /** Bump when the state layout or its meaning changes: stored states of another version are recomputed. */
  private static final String STATE_VERSION = "2";
  private static final Logger LOG = LoggerFactory.getLogger(ProfileAnalysis.class);

  private final ProfileSpec spec;

  public ProfileAnalysis(ProfileSpec spec) {
    this.spec = spec;
  }

  @Override
  public String name() {
    return "profile";
  }

  @Override
  public List<ColumnRequirement> requiredColumns() {
    List<ColumnRequirement> out = new ArrayList<>();
    spec.columns().forEach(c -> out.add(ColumnRequirement.profilable(c, "profile.columns", "profile")));
    spec.dimensions().forEach(d -> out.add(ColumnRequirement.categorical(d, "profile.dimensions",
        "profile dimensions")));
    return out;
  }

  @Override
  public AnalysisResult compute(AnalysisContext ctx) {
    SparkSession spark = ctx.spark();
    String job = ctx.job().name();
    String time = ctx.job().timeColumn();
    Instant from = ctx.from();
    Instant to = ctx.to();
    List<ProfiledColumn> columns = ProfiledColumn.of(spec.columns(), ctx.input().schema());
    List<TimeGrain> grains = spec.grains();
    boolean hourly = grains.contains(TimeGrain.HOUR);
    String hash = specHash(columns, hourly);
    String runId = ctx.run() == null ? null : ctx.run().runId();
    ProfileStateStore store = new ProfileStateStore(spark, ctx.layout().state(job));
    ProfileStates states = new ProfileStates(columns, spec.dimensions(), spec.topK());

    // Build on the stored states, or (a full run, or states built with other settings) rebuild them all from
    // the whole input up to 'to', so the 'all' window always covers the job's whole history.
    boolean rebuild = ctx.full() || !store.usable(hash, hourly);
    Instant resume = rebuild ? null : store.resumePoint(from, to).orElse(from);
    Dataset<Row> fresh;
    if (resume != null) {
      LOG.info("analyze {}: profile: taking the day states before {} from the store", job, resume);
      fresh = ctx.input().where(col(time).geq(TimeGrain.timestamp(resume)));
    } else {
      fresh = ctx.full() ? ctx.input() : InputHistory.read(ctx, null, to);
    }
    String span = "[" + (resume == null ? "start" : resume) + ", " + to + ")";
    List<StateUpdate> updates = new ArrayList<>();
    Dataset<Row> freshHours = null;
    Dataset<Row> freshDays;
    // Checkpointed: the states are both stored and used for the gold rows, and sketches must not be rebuilt.
    if (hourly) {
      Progress.step(spark, job, name(), "hour states of " + span + " from the data");
      freshHours = states.fromRows(fresh, time, TimeGrain.HOUR).localCheckpoint();
      updates.add(store.replace(ProfileStateStore.HOUR, freshHours, resume, to, rebuild, hash, runId));
      Progress.step(spark, job, name(), "day states of " + span + " from hour states");
      freshDays = states.merge(freshHours, Map.of("day", TimeGrain.DAY.naturalStart(col("start")))).drop("target");
    } else {
      Progress.step(spark, job, name(), "day states of " + span + " from the data");
      freshDays = states.fromRows(fresh, time, TimeGrain.DAY);
    }
    freshDays = freshDays.localCheckpoint();
    updates.add(store.replace(ProfileStateStore.DAY, freshDays, resume, to, rebuild, hash, runId));

    Dataset<Row> allDays = resume == null ? freshDays
        : store.read(ProfileStateStore.DAY, null, resume).unionByName(freshDays);
    Dataset<Row> hours = !hourly ? null : resume == null ? freshHours
        : store.read(ProfileStateStore.HOUR, from, resume).unionByName(freshHours);
    Column inRange = col("start").geq(TimeGrain.timestamp(from)).and(col("start").lt(TimeGrain.timestamp(to)));
    Dataset<Row> days = allDays.where(inRange);
    Instant allStart = allStart(allDays, ctx);

    // Weeks from the days of the range, 'all' from every day up to 'to', in one aggregation.
    Map<String, Column> coarse = new LinkedHashMap<>();
    if (grains.contains(TimeGrain.WEEK)) {
      coarse.put(TimeGrain.WEEK.key(), when(inRange, TimeGrain.WEEK.naturalStart(col("start"))));
    }
    coarse.put(TimeGrain.ALL.key(), TimeGrain.timestamp(allStart));
    Dataset<Row> merged = states.merge(allDays, coarse).where(col("start").isNotNull());
    Dataset<Row> out = null;
    for (TimeGrain grain : grains) {
      Dataset<Row> windowStates = switch (grain) {
        case HOUR -> hours.where(inRange);
        case DAY -> days;
        case WEEK, ALL -> merged.where(col("target").equalTo(grain.key())).drop("target");
      };
      Dataset<Row> metrics = ProfileMetrics.of(windowStates, spec.quantiles(), spec.topK());
      Dataset<Row> rows = grain == TimeGrain.ALL ? grain.tag(metrics, col("start"), allStart, to)
          : grain.tag(metrics, col("start"), from, to);
      out = out == null ? rows : out.unionByName(rows);
    }
    return new AnalysisResult(Map.of(TABLE, goldColumns(out, job)), updates);
  }

  /**
   * Start of the 'all' window: the range start, or, when stored days go back further, the earliest stored day
   * on a boundary of the job's largest window, which is where a full run over the same days starts.
   */
  private static Instant allStart(Dataset<Row> days, AnalysisContext ctx) {
    Row r = days.agg(min("start")).head();
    if (r.isNullAt(0) || !r.getTimestamp(0).toInstant().isBefore(ctx.from())) {
      return ctx.from();
    }
    return Analyses.alignment(ctx.job()).floor(r.getTimestamp(0).toInstant());
  }

  private static Dataset<Row> goldColumns(Dataset<Row> rows, String job) {
    List<Column> cols = new ArrayList<>(List.of(lit(job).as("job"), col("window"), col("window_start"),
        col("window_end")));
    for (String c : rows.columns()) {
      if (!List.of("start", "window", "window_start", "window_end").contains(c)) {
        cols.add(col(c));
      }
    }
    return rows.select(cols.toArray(Column[]::new));
  }

  /** Identifies what a stored state depends on: the columns and their types, slices, grain and sketch sizes. */
  private String specHash(List<ProfiledColumn> columns, boolean hourly) {
    StringBuilder sb = new StringBuilder(STATE_VERSION);
    columns.forEach(c -> sb.append('|').append(c.name()).append(':').append(c.type().sql()));
    sb.append("|dims=").append(spec.dimensions()).append("|hourly=").append(hourly)
        .append("|kll=").append(ProfileStates.KLL_K).append("|hll=").append(ProfileStates.HLL_LG_K)
        .append("|topk=").append(ProfileStates.trackedItems(spec.topK()));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
