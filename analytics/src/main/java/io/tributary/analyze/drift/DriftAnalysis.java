package io.tributary.analyze.drift;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.not;

import io.tributary.analyze.Analysis;
import io.tributary.analyze.AnalysisContext;
import io.tributary.analyze.AnalysisResult;
import io.tributary.analyze.ColumnRequirement;
import io.tributary.analyze.InputHistory;
import io.tributary.analyze.RequiresColumns;
import io.tributary.analyze.TimeGrain;
import io.tributary.config.ConfigException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distribution drift ({@value #TABLE}): every configured column in every window of the range against a
 * baseline, the window before (read from the input table at the run's pinned version when it lies before the
 * range) or a pinned reference period.
 *
 * <p>Numeric columns get the two-sample Kolmogorov-Smirnov test ({@code ks}: D and its p-value), the
 * population stability index ({@code psi}) and the Jensen-Shannon distance ({@code js}, base 2) over
 * equal-frequency bins; categorical (string, boolean) columns get Pearson's chi-square test of homogeneity
 * ({@code chi2}: statistic, degrees of freedom, p-value), PSI and JS over categories. How the statistics are
 * computed from distributed counts, and how exact they are, is described in {@link SampleCounts} and
 * {@link DriftMeasures}. Nulls (and NaN) are left out of both samples.
 *
 * <p>Rows: {@code job, window, window_start, window_end, baseline_start, baseline_end, column, test,
 * statistic DOUBLE, p_value DOUBLE, dof INT, n_window BIGINT, n_baseline BIGINT, drifted BOOLEAN, note STRING}.
 * Every window of the range gets its rows; when a sample is empty (or a categorical comparison saw a single
 * category) the statistic, p-value and {@code drifted} are null and {@code note} says why:
 * {@code empty_window}, {@code empty_baseline} or {@code single_category}. {@code note = grid} marks a KS
 * statistic computed on the quantile grid.
 */
public final class DriftAnalysis implements Analysis, RequiresColumns {
  public static final String TABLE = "drift";

  static final StructType SCHEMA = new StructType()
      .add("job", DataTypes.StringType, false)
      .add("window", DataTypes.StringType, false)
      .add("window_start", DataTypes.TimestampType, false)
      .add("window_end", DataTypes.TimestampType, false)
      .add("baseline_start", DataTypes.TimestampType, false)
      .add("baseline_end", DataTypes.TimestampType, false)
      .add("column", DataTypes.StringType, false)
      .add("test", DataTypes.StringType, false)
      .add("statistic", DataTypes.DoubleType, true)
      .add("p_value", DataTypes.DoubleType, true)
      .add("dof", DataTypes.IntegerType, true)
      .add("n_window", DataTypes.LongType, false)
      .add("n_baseline", DataTypes.LongType, false)
      .add("drifted", DataTypes.BooleanType, true)
      .add("note", DataTypes.StringType, true);

  private static final Logger LOG = LoggerFactory.getLogger(DriftAnalysis.class);

  private final DriftSpec spec;

  public DriftAnalysis(DriftSpec spec) {
    this.spec = Objects.requireNonNull(spec, "drift spec");
  }

  @Override
  public String name() {
    return "drift";
  }

  /** Every compared column: numeric ones are compared as numbers, STRING and BOOLEAN ones as categories. */
  @Override
  public List<ColumnRequirement> requiredColumns() {
    return spec.columns().stream().map(c -> ColumnRequirement.profilable(c, "drift.columns", "drift")).toList();
  }

  @Override
  public AnalysisResult compute(AnalysisContext ctx) {
    TimeGrain grain = spec.grain();
    Dataset<Row> data;
    Dataset<Row> reference = null;
    Plan plan;
    if (spec.previousBaseline()) {
      plan = Plan.previous(grain, ctx.from(), ctx.to());
      // The baseline of the first window lies (partly) before the range: read it at the pinned version.
      Dataset<Row> before = InputHistory.read(ctx, plan.earliest(), ctx.from());
      data = before.unionByName(ctx.input(), true);
    } else {
      plan = Plan.reference(grain, ctx.from(), ctx.to(), spec.referenceStart(), spec.referenceEnd());
      data = ctx.input();
      reference = InputHistory.read(ctx, spec.referenceStart(), spec.referenceEnd());
    }
    return AnalysisResult.gold(Map.of(TABLE, compute(ctx.spark(), ctx.job().name(), ctx.job().timeColumn(), data, reference,
        plan)));
  }

  /**
   * Drift with a previous-window baseline, on any rows.
   *
   * @param data the rows of {@code [from, to)} and of the window before {@code from}'s window
   */
  public Dataset<Row> computePrevious(SparkSession spark, String job, String timeColumn, Dataset<Row> data,
      Instant from, Instant to) {
    return compute(spark, job, timeColumn, data, null, Plan.previous(spec.grain(), from, to));
  }

  /**
   * Drift against the spec's reference period, on any rows.
   *
   * @param data the rows of {@code [from, to)}
   * @param reference the rows of the reference period
   */
  public Dataset<Row> computeReference(SparkSession spark, String job, String timeColumn, Dataset<Row> data,
      Dataset<Row> reference, Instant from, Instant to) {
    return compute(spark, job, timeColumn, data, reference,
        Plan.reference(spec.grain(), from, to, spec.referenceStart(), spec.referenceEnd()));
  }

  private Dataset<Row> compute(SparkSession spark, String job, String timeColumn, Dataset<Row> data,
      Dataset<Row> reference, Plan plan) {
    StructType schema = data.schema();
    List<String> names = Arrays.asList(schema.fieldNames());
    if (!names.contains(timeColumn)) {
      throw new ConfigException("'timeColumn' names column '" + timeColumn + "', which the input does not have");
    }
    for (String c : spec.columns()) {
      if (!names.contains(c)) {
        throw new ConfigException("'drift.columns' names column '" + c + "', which the input does not have; "
            + "its columns are " + names);
      }
      kind(schema.apply(c).dataType(), c);
    }
    List<Row> rows = new ArrayList<>();
    if (plan.windows().isEmpty()) {
      return spark.createDataFrame(rows, SCHEMA);
    }
    List<String> needed = new ArrayList<>(spec.columns());
    needed.add(timeColumn);
    // Each column runs a few small aggregations over the same rows: read them once.
    Dataset<Row> cached = data.select(needed.stream().distinct().map(n -> col(n)).toArray(Column[]::new))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> cachedReference = reference == null ? null
        : reference.select(spec.columns().stream().distinct().map(n -> col(n)).toArray(Column[]::new))
            .persist(StorageLevel.MEMORY_AND_DISK());
    SparkContext sc = spark.sparkContext();
    String description = sc.getLocalProperty("spark.job.description");
    try {
      for (String c : spec.columns()) {
        sc.setJobDescription("drift of " + c + " (" + job + ")");
        boolean numeric = kind(schema.apply(c).dataType(), c);
        LOG.info("Drift of {} ({}) in {} {} windows of [{}, {})", c, numeric ? "numeric" : "categorical",
            plan.windows().size(), plan.grain().key(), plan.from(), plan.to());
        SampleCounts.ColumnCounts counts;
        if (numeric) {
          Dataset<Row> x = cached.select(col(timeColumn).as("t"), col(c).cast("double").as("x"))
              .where(col("x").isNotNull().and(not(isnan(col("x")))));
          Dataset<Row> rx = cachedReference == null ? null : cachedReference.select(col(c).cast("double").as("x"))
              .where(col("x").isNotNull().and(not(isnan(col("x")))));
          counts = SampleCounts.numeric(x, rx, plan, spec);
        } else {
          Dataset<Row> k = cached.select(col(timeColumn).as("t"), col(c).cast("string").as("key"))
              .where(col("key").isNotNull());
          Dataset<Row> rk = cachedReference == null ? null
              : cachedReference.select(col(c).cast("string").as("key")).where(col("key").isNotNull());
          counts = SampleCounts.categorical(k, rk, plan, spec);
        }
        for (TimeGrain.Span w : plan.windows()) {
          rows.addAll(measure(job, plan, w, c, numeric, counts));
        }
      }
    } finally {
      sc.setJobDescription(description);
      cached.unpersist();
      if (cachedReference != null) {
        cachedReference.unpersist();
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** The rows of one column in one window. */
  private List<Row> measure(String job, Plan plan, TimeGrain.Span w, String column, boolean numeric,
      SampleCounts.ColumnCounts counts) {
    SampleCounts.PairCounts pair = counts.pairs().get(w.naturalStart());
    long[] win = pair == null ? new long[0] : pair.window();
    long[] base = pair == null ? new long[0] : pair.baseline();
    long n = Arrays.stream(win).sum();
    long m = Arrays.stream(base).sum();
    String empty = n == 0 ? "empty_window" : m == 0 ? "empty_baseline" : null;
    Object[] head = {job, plan.grain().key(), Timestamp.from(w.start()), Timestamp.from(w.end()),
        Timestamp.from(plan.baselineStart(w)), Timestamp.from(plan.baselineEnd(w)), column};
    List<Row> out = new ArrayList<>();
    if (numeric) {
      Double d = empty == null && pair.ks() != null ? pair.ks() : null;
      Double p = d == null ? null : DriftMeasures.ksPValue(d, n, m);
      out.add(row(head, "ks", d, p, null, n, m, p == null ? null : p < spec.alpha(),
          empty != null ? empty : counts.grid() ? "grid" : null));
    } else {
      DriftMeasures.ChiSquare chi = empty == null ? DriftMeasures.chiSquare(win, base) : null;
      out.add(row(head, "chi2", chi == null ? null : chi.statistic(), chi == null ? null : chi.pValue(),
          chi == null ? null : chi.dof(), n, m, chi == null ? null : chi.pValue() < spec.alpha(),
          empty != null ? empty : chi == null ? "single_category" : null));
    }
    Double psi = DriftMeasures.psi(win, base);
    out.add(row(head, "psi", psi, null, null, n, m, psi == null ? null : psi > spec.psiThreshold(), empty));
    Double js = DriftMeasures.jsDistance(win, base);
    out.add(row(head, "js", js, null, null, n, m, js == null ? null : js > spec.jsThreshold(), empty));
    return out;
  }

  private static Row row(Object[] head, String test, Double statistic, Double p, Integer dof, long n, long m,
      Boolean drifted, String note) {
    Object[] values = Arrays.copyOf(head, SCHEMA.size());
    int i = head.length;
    values[i++] = test;
    values[i++] = statistic;
    values[i++] = p;
    values[i++] = dof;
    values[i++] = n;
    values[i++] = m;
    values[i++] = drifted;
    values[i] = note;
    return RowFactory.create(values);
  }

  /** True for numeric columns, false for categorical ones. */
  private static boolean kind(DataType type, String column) {
    if (type instanceof NumericType) {
      return true;
    }
    if (type instanceof StringType || type instanceof BooleanType) {
      return false;
    }
    throw new ConfigException("'drift.columns' lists " + column + " of type " + type.simpleString()
        + "; drift compares numeric, string and boolean columns");
  }
}
