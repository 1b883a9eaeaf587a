package io.tributary.analyze.drift;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.tributary.analyze.TimeGrain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Distributed aggregates of one column for every comparison of a run, small enough to bring to the driver:
 * per comparison (identified by the aligned start of its window, {@code pair}), the counts of the window and of
 * its baseline per bin or category, and for numeric columns the KS statistic.
 *
 * <p>Raw values never leave the executors. Numeric values are first mapped to an ordered key: the value itself
 * when the column has at most {@code exactMaxDistinct} distinct values, otherwise the cell of a grid whose
 * edges are approximate quantiles of all compared values. The KS statistic D is the largest gap between the two
 * empirical CDFs evaluated after each key, computed with a running sum over the keys in Spark: exact for
 * per-value keys, and exact up to the grid resolution otherwise (the CDFs are compared at the grid edges only,
 * so D can be underestimated by at most the share of a sample inside one cell, about 1/gridSize). PSI and JS
 * use {@code bins} coarser bins of equal frequency over all compared values (so every window is measured on the
 * same bins, and numbers are comparable across windows), made by cutting the ordered keys; ties stay in one bin.
 */
final class SampleCounts {
  /** The category rare values are pooled in. */
  static final String OTHER = "(other)";

  /** Per-comparison result: bin counts aligned by index, and D for numeric columns (null otherwise). */
  record PairCounts(long[] window, long[] baseline, Double ks) {}

  /** All comparisons of one column, by the aligned start of the compared window. */
  record ColumnCounts(Map<Instant, PairCounts> pairs, boolean grid) {}

  private SampleCounts() {}

  /**
   * @param data rows {@code (t TIMESTAMP, x DOUBLE)} of the range, plus for previous-window baselines the
   *     windows before it; nulls and NaN removed
   * @param reference rows {@code (x DOUBLE)} of the reference period, or null for previous-window baselines
   */
  static ColumnCounts numeric(Dataset<Row> data, Dataset<Row> reference, Plan plan, DriftSpec spec) {
    Dataset<Row> values = reference == null ? data.select("x") : data.select("x").unionByName(reference.select("x"));
    long distinct = values.agg(approx_count_distinct("x")).first().getLong(0);
    boolean grid = distinct > spec.exactMaxDistinct();
    Column key = col("x");
    if (grid) {
      double[] probabilities = new double[spec.gridSize() - 1];
      for (int i = 0; i < probabilities.length; i++) {
        probabilities[i] = (i + 1.0) / spec.gridSize();
      }
      double[] edges = Arrays.stream(values.stat().approxQuantile("x", probabilities, 0.25 / spec.gridSize()))
          .distinct().sorted().toArray();
      UDF1<Double, Integer> cellOf = v -> v == null ? null : cell(edges, v);
      key = udf(cellOf, DataTypes.IntegerType).apply(col("x"));
    }
    Dataset<Row> keyedData = data.select(col("t"), key.as("key"));
    Dataset<Row> keyedReference = reference == null ? null : reference.select(key.as("key"));
    Dataset<Row> counts = sides(keyedData, keyedReference, plan);

    Dataset<Row> binMap = equalFrequencyBins(keyedData, keyedReference, spec.bins(), counts.sparkSession(),
        keyedData.schema().apply("key").dataType());
    Dataset<Row> binned = counts.join(broadcast(binMap), "key")
        .groupBy("pair", "bin").agg(sum("n_w").as("n_w"), sum("n_b").as("n_b"));

    WindowSpec upTo = Window.partitionBy("pair").orderBy("key")
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec whole = Window.partitionBy("pair");
    Dataset<Row> ks = counts
        .withColumn("cdf_w", try_divide(sum("n_w").over(upTo), sum("n_w").over(whole)))
        .withColumn("cdf_b", try_divide(sum("n_b").over(upTo), sum("n_b").over(whole)))
        .groupBy(col("pair").as("ks_pair")).agg(max(abs(col("cdf_w").minus(col("cdf_b")))).as("d"));
    return new ColumnCounts(collect(binned, ks), grid);
  }

  /**
   * @param data rows {@code (t TIMESTAMP, key STRING)}, nulls removed
   * @param reference rows {@code (key STRING)}, or null
   */
  static ColumnCounts categorical(Dataset<Row> data, Dataset<Row> reference, Plan plan, DriftSpec spec) {
    Dataset<Row> values = reference == null ? data.select("key") : data.select("key").unionByName(reference);
    List<String> top = values.groupBy("key").agg(count(lit(1)).as("n"))
        .orderBy(desc("n"), col("key")).limit(spec.maxCategories() + 1)
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    Column key = col("key");
    if (top.size() > spec.maxCategories()) {
      key = when(col("key").isin(top.subList(0, spec.maxCategories() - 1).toArray()), col("key")).otherwise(lit(OTHER));
    }
    Dataset<Row> counts = sides(data.select(col("t"), key.as("key")),
        reference == null ? null : reference.select(key.as("key")), plan);
    Dataset<Row> binned = counts.withColumnRenamed("key", "bin");
    return new ColumnCounts(collect(binned, null), false);
  }

  /** Index of the grid cell holding v: the number of edges at or below it. */
  static int cell(double[] edges, double v) {
    int i = Arrays.binarySearch(edges, v);
    return i >= 0 ? i + 1 : -i - 1;
  }

  /**
   * Counts per comparison and key: {@code (pair, key, n_w, n_b)}, n_w from the window, n_b from its baseline.
   * A previous-window baseline is the whole aligned window before (so also rows before {@code from}); the
   * window itself only counts rows in the range.
   */
  private static Dataset<Row> sides(Dataset<Row> data, Dataset<Row> reference, Plan plan) {
    Column pair = plan.grain().naturalStart(col("t"));
    Dataset<Row> tagged = data.withColumn("pair", pair);
    Dataset<Row> window = tagged.where(col("t").geq(TimeGrain.timestamp(plan.from())))
        .groupBy("pair", "key").agg(count(lit(1)).as("n_w")).withColumn("n_b", lit(0L));
    Dataset<Row> baseline;
    if (reference == null) {
      long sizeMicros = plan.grain().size().toNanos() / 1000;
      baseline = tagged.groupBy("pair", "key").agg(count(lit(1)).as("n_b")).withColumn("n_w", lit(0L))
          .withColumn("pair", timestamp_micros(unix_micros(col("pair")).plus(sizeMicros)))
          .where(col("pair").between(TimeGrain.timestamp(plan.firstPair()), TimeGrain.timestamp(plan.lastPair())));
    } else {
      Dataset<Row> ref = reference.groupBy("key").agg(count(lit(1)).as("n_b")).withColumn("n_w", lit(0L));
      baseline = plan.pairTable(data.sparkSession()).crossJoin(ref);
    }
    return window.unionByName(baseline)
        .groupBy("pair", "key").agg(sum("n_w").as("n_w"), sum("n_b").as("n_b"));
  }

  /**
   * Maps each key to one of {@code bins} equal-frequency bins over all compared values: a key goes to bin
   * {@code floor(bins * share of values below it)}. Collects one count per distinct key (at most
   * {@code exactMaxDistinct} values or {@code gridSize} cells).
   */
  private static Dataset<Row> equalFrequencyBins(Dataset<Row> data, Dataset<Row> reference, int bins,
      SparkSession spark, DataType keyType) {
    Dataset<Row> keys = reference == null ? data.select("key") : data.select("key").unionByName(reference);
    List<Row> perKey = keys.groupBy("key").agg(count(lit(1)).as("n")).orderBy("key").collectAsList();
    long total = perKey.stream().mapToLong(r -> r.getLong(1)).sum();
    List<Row> map = new ArrayList<>();
    long below = 0;
    for (Row r : perKey) {
      map.add(RowFactory.create(r.get(0), (int) Math.min(bins - 1, bins * below / Math.max(total, 1))));
      below += r.getLong(1);
    }
    StructType schema = new StructType().add("key", keyType).add("bin", DataTypes.IntegerType);
    return spark.createDataFrame(map, schema);
  }

  /** Brings the per-comparison bin counts (and D) to the driver: one row per comparison. */
  private static Map<Instant, PairCounts> collect(Dataset<Row> binned, Dataset<Row> ks) {
    Dataset<Row> perPair = binned.groupBy("pair")
        .agg(collect_list(struct(col("n_w"), col("n_b"))).as("bins"));
    if (ks != null) {
      perPair = perPair.join(ks, perPair.col("pair").equalTo(ks.col("ks_pair")), "left").drop("ks_pair");
    } else {
      perPair = perPair.withColumn("d", lit(null).cast("double"));
    }
    Map<Instant, PairCounts> out = new HashMap<>();
    for (Row r : perPair.collectAsList()) {
      List<Row> entries = r.getList(r.fieldIndex("bins"));
      long[] w = new long[entries.size()];
      long[] b = new long[entries.size()];
      for (int i = 0; i < entries.size(); i++) {
        w[i] = entries.get(i).getLong(0);
        b[i] = entries.get(i).getLong(1);
      }
      int d = r.fieldIndex("d");
      out.put(r.getTimestamp(r.fieldIndex("pair")).toInstant(), new PairCounts(w, b, r.isNullAt(d) ? null : r.getDouble(d)));
    }
    return out;
  }
}
