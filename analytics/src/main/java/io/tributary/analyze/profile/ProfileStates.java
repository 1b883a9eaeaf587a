package io.tributary.analyze.profile;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.hll_sketch_agg;
import static org.apache.spark.sql.functions.hll_union_agg;
import static org.apache.spark.sql.functions.kll_merge_agg_double;
import static org.apache.spark.sql.functions.kll_sketch_agg_double;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_sum;
import static org.apache.spark.sql.functions.when;

import io.tributary.analyze.TimeGrain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Mergeable profile states: per time bucket, slice and column everything the profile metrics are computed
 * from, in a form where the states of hours make the state of their day and days make weeks.
 *
 * <p>State columns: {@code start TIMESTAMP} (bucket start), {@code slice_key STRING} (null = overall),
 * {@code slice_value STRING}, {@code column STRING}, {@code rows BIGINT} (rows of the bucket and slice),
 * {@code n BIGINT} (non-null values), {@code mean, m2, m3, m4 DOUBLE} (see {@link MomentsBuffer}),
 * {@code min, max DOUBLE}, {@code sum_exact DECIMAL(38,18)} (DECIMAL columns only) and {@code sum_error STRING}
 * (why a DECIMAL column has no exact sum: its scale is above 18, or the sum overflows), {@code hll BINARY}
 * (HLL sketch of the values, {@code hll_sketch_agg}), {@code kll BINARY} (KLL quantile sketch,
 * {@code kll_sketch_agg_double}; numeric columns), {@code top_k STRUCT} (frequent-items sketch,
 * {@code approx_top_k_accumulate}; STRING and BOOLEAN columns). Fields a column's type does not get are null.
 */
final class ProfileStates {
  /**
   * Exact sums of DECIMAL columns: 20 integer and 18 fractional digits, so a column's own scale is kept up to
   * 18 (DECIMAL(20,12) values sum exactly) with at least the 10 digits of headroom Spark's own sum gives a
   * column of up to 10 integer digits. One type for every column, since a table column has one type.
   */
  static final DecimalType SUM_TYPE = DataTypes.createDecimalType(38, 18);
  /** Why a DECIMAL column has no exact sum in a state (null when it has one). */
  static final String SUM_OVERFLOW = "the sum needs more than " + (38 - 18) + " integer digits";
  /** KLL accuracy parameter: normalized rank error about 1.3%. */
  static final int KLL_K = 200;
  /** HLL buckets 2^12: relative standard error about 1.6%. */
  static final int HLL_LG_K = 12;

  private final List<ProfiledColumn> columns;
  private final List<String> dimensions;
  private final int topK;

  /**
   * @param columns the profiled columns
   * @param dimensions the slice columns
   * @param topK how many frequent values are reported (the sketches track many more)
   */
  ProfileStates(List<ProfiledColumn> columns, List<String> dimensions, int topK) {
    this.columns = columns;
    this.dimensions = dimensions;
    this.topK = topK;
  }

  /** Items the frequent-items sketch tracks per state: far more than reported, so counts stay accurate. */
  static int trackedItems(int topK) {
    return Math.min(10_000, Math.max(200, topK * 50));
  }

  /**
   * States of {@code rows} per bucket of {@code grain}, overall and per value of each dimension, in one
   * aggregation over the data: each row is repeated once per slice (as GROUPING SETS would) and all columns'
   * aggregates are computed in the same select.
   */
  Dataset<Row> fromRows(Dataset<Row> rows, String timeColumn, TimeGrain grain) {
    List<Column> slices = new ArrayList<>();
    slices.add(struct(lit(null).cast("string").as("key"), lit(null).cast("string").as("value")));
    for (String d : dimensions) {
      slices.add(struct(lit(d).as("key"), col(d).cast("string").as("value")));
    }
    List<Column> select = new ArrayList<>();
    select.add(grain.naturalStart(col(timeColumn)).as("start"));
    select.add(explode(array(slices.toArray(Column[]::new))).as("slice"));
    for (ProfiledColumn c : columns) {
      select.add(col(c.name()).as(c.alias("v")));
    }
    Dataset<Row> sliced = rows.select(select.toArray(Column[]::new));

    List<Column> aggs = new ArrayList<>();
    for (ProfiledColumn c : columns) {
      Column v = col(c.alias("v"));
      Column x = v.cast("double");
      aggs.add(count(v).as(c.alias("n")));
      aggs.add(hll_sketch_agg(c.integral() ? v.cast("bigint") : v.cast("string"), HLL_LG_K).as(c.alias("hll")));
      if (c.numeric()) {
        aggs.add(MomentAggregates.ofValues(x).as(c.alias("m")));
        aggs.add(min(x).as(c.alias("min")));
        aggs.add(max(x).as(c.alias("max")));
        aggs.add(kll_sketch_agg_double(x, KLL_K).as(c.alias("kll")));
        if (c.decimal() && ((DecimalType) c.type()).scale() <= SUM_TYPE.scale()) {
          // try_sum and try_cast give null where the sum does not fit, instead of failing the whole profile.
          aggs.add(try_sum(v).try_cast(SUM_TYPE).as(c.alias("sum")));
        }
      } else {
        aggs.add(call_function("approx_top_k_accumulate", v.cast("string"), lit(trackedItems(topK)))
            .as(c.alias("top_k")));
      }
    }
    Dataset<Row> wide = sliced
        .groupBy(col("start"), col("slice.key").as("slice_key"), col("slice.value").as("slice_value"))
        .agg(count(lit(1)).as("rows"), aggs.toArray(Column[]::new));

    DataType topKType = topKType(rows.sparkSession());
    List<Column> perColumn = new ArrayList<>();
    for (ProfiledColumn c : columns) {
      Column m = col(c.alias("m"));
      perColumn.add(struct(
          lit(c.name()).as("column"),
          col(c.alias("n")).as("n"),
          c.numeric() ? moment(m, "mean") : lit(null).cast("double").as("mean"),
          c.numeric() ? moment(m, "m2") : lit(null).cast("double").as("m2"),
          c.numeric() ? moment(m, "m3") : lit(null).cast("double").as("m3"),
          c.numeric() ? moment(m, "m4") : lit(null).cast("double").as("m4"),
          c.numeric() ? col(c.alias("min")).as("min") : lit(null).cast("double").as("min"),
          c.numeric() ? col(c.alias("max")).as("max") : lit(null).cast("double").as("max"),
          sumColumns(c)[0],
          sumColumns(c)[1],
          col(c.alias("hll")).as("hll"),
          c.numeric() ? col(c.alias("kll")).as("kll") : lit(null).cast("binary").as("kll"),
          c.numeric() ? lit(null).cast(topKType).as("top_k") : col(c.alias("top_k")).as("top_k")));
    }
    return wide
        .select(col("start"), col("slice_key"), col("slice_value"), col("rows"),
            explode(array(perColumn.toArray(Column[]::new))).as("s"))
        .select(col("start"), col("slice_key"), col("slice_value"), col("s.column").as("column"), col("rows"),
            col("s.n").as("n"), col("s.mean").as("mean"), col("s.m2").as("m2"), col("s.m3").as("m3"),
            col("s.m4").as("m4"), col("s.min").as("min"), col("s.max").as("max"), col("s.sum_exact").as("sum_exact"),
            col("s.sum_error").as("sum_error"), col("s.hll").as("hll"), col("s.kll").as("kll"), col("s.top_k").as("top_k"));
  }

  /**
   * Merges states into coarser buckets, in one aggregation for all of {@code targets}: for each entry the
   * bucket start becomes the entry's expression of the old {@code start} (e.g. the week containing it), and
   * states with the same target, new start, slice and column are combined. The result has the state columns
   * plus {@code target STRING}, the entry's key. Exact for counts, min, max and sums; moments by the
   * Chan/Pébay formulas ({@link MomentsBuffer}); sketches by their unions.
   */
  Dataset<Row> merge(Dataset<Row> states, Map<String, Column> targets) {
    Dataset<Row> tagged = states.withColumn("t", explode(array(targets.entrySet().stream()
            .map(e -> struct(lit(e.getKey()).as("key"), e.getValue().as("start"))).toArray(Column[]::new))))
        .withColumn("target", col("t.key"))
        .withColumn("start", col("t.start"));
    // Numeric columns carry a KLL sketch, the others a top-k sketch; the union aggregates reject nulls (and
    // the top-k one empty groups), so the two kinds are merged apart.
    Dataset<Row> out = null;
    if (columns.stream().anyMatch(ProfiledColumn::numeric)) {
      DataType topKType = states.schema().apply("top_k").dataType();
      out = mergeWith(tagged.where(col("top_k").isNull()), kll_merge_agg_double(col("kll")).as("kll"),
          lit(null).cast(topKType).as("top_k"));
    }
    if (columns.stream().anyMatch(c -> !c.numeric())) {
      Dataset<Row> categorical = mergeWith(tagged.where(col("top_k").isNotNull()), lit(null).cast("binary").as("kll"),
          call_function("approx_top_k_combine", col("top_k"), lit(trackedItems(topK))).as("top_k"));
      out = out == null ? categorical : out.unionByName(categorical);
    }
    return out;
  }

  /** Whether a state row is of a DECIMAL column with an exact sum. */
  private Column decimalColumn() {
    Object[] names = columns.stream().filter(ProfiledColumn::decimal).map(ProfiledColumn::name).toArray();
    return names.length == 0 ? lit(false) : col("column").isin(names);
  }

  /**
   * The exact sum of a column's state and why it has none: null for a non-DECIMAL column; for a DECIMAL column
   * whose scale is above {@link #SUM_TYPE}'s or whose sum overflows, a null sum and the reason.
   */
  private static Column[] sumColumns(ProfiledColumn c) {
    Column none = lit(null).cast(SUM_TYPE).as("sum_exact");
    if (!c.decimal()) {
      return new Column[] {none, lit(null).cast("string").as("sum_error")};
    }
    int scale = ((DecimalType) c.type()).scale();
    if (scale > SUM_TYPE.scale()) {
      return new Column[] {none, when(col(c.alias("n")).gt(0), lit("scale " + scale + " is above "
          + SUM_TYPE.scale() + ", the most an exact sum keeps")).as("sum_error")};
    }
    Column sum = col(c.alias("sum"));
    return new Column[] {sum.as("sum_exact"),
        when(col(c.alias("n")).gt(0).and(sum.isNull()), lit(SUM_OVERFLOW)).as("sum_error")};
  }

  private Dataset<Row> mergeWith(Dataset<Row> states, Column kll, Column topK) {
    return states
        .groupBy(col("target"), col("start"), col("slice_key"), col("slice_value"), col("column"))
        .agg(sum("rows").as("rows"),
            sum("n").as("n"),
            MomentAggregates.ofStates(col("n"), col("mean"), col("m2"), col("m3"), col("m4")).as("m"),
            min("min").as("min"),
            max("max").as("max"),
            try_sum(col("sum_exact")).try_cast(SUM_TYPE).as("sum_exact"),
            max("sum_error").as("sum_error"),
            hll_union_agg(col("hll")).as("hll"),
            kll,
            topK)
        .select(col("target"), col("start"), col("slice_key"), col("slice_value"), col("column"), col("rows"),
            col("n"), moment(col("m"), "mean"), moment(col("m"), "m2"), moment(col("m"), "m3"),
            moment(col("m"), "m4"), col("min"), col("max"),
            // A part without a sum makes the whole sum unknown (try_sum would skip it); so does an overflow.
            when(col("sum_error").isNull(), col("sum_exact")).as("sum_exact"),
            coalesce(col("sum_error"), when(decimalColumn().and(col("n").gt(0)).and(col("sum_exact").isNull()),
                lit(SUM_OVERFLOW))).as("sum_error"),
            col("hll"), col("kll"), col("top_k"));
  }

  /** A field of a {@link Moments} struct; null when there were no numeric values. */
  private static Column moment(Column m, String field) {
    return when(m.getField("n").gt(0), m.getField(field)).as(field);
  }

  /** The type {@code approx_top_k_accumulate} returns for strings, found by analysing (not running) a query. */
  private DataType topKType(SparkSession spark) {
    return spark.range(1)
        .select(call_function("approx_top_k_accumulate", lit("x"), lit(trackedItems(topK))).as("t"))
        .schema().apply("t").dataType();
  }
}
