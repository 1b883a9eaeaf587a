package io.tributary.analyze.profile;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.arrays_zip;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.hll_sketch_estimate;
import static org.apache.spark.sql.functions.kll_sketch_get_n_double;
import static org.apache.spark.sql.functions.kll_sketch_get_quantile_double;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** Turns {@link ProfileStates} into the metric columns of the {@code profiles} gold table. */
final class ProfileMetrics {
  static final DataType QUANTILES_TYPE = DataTypes.createArrayType(new org.apache.spark.sql.types.StructType()
      .add("p", DataTypes.DoubleType).add("value", DataTypes.DoubleType));
  static final DataType TOP_VALUES_TYPE = DataTypes.createArrayType(new org.apache.spark.sql.types.StructType()
      .add("value", DataTypes.StringType).add("count", DataTypes.LongType));

  private ProfileMetrics() {}

  /**
   * @param states rows of {@link ProfileStates}
   * @return {@code start, slice_key, slice_value, column} and the metrics, one row per state
   */
  static Dataset<Row> of(Dataset<Row> states, List<Double> quantiles, int topK) {
    Column n = col("n");
    Column m2 = col("m2");
    Column variance = when(n.geq(2), m2.divide(n.minus(1)));
    return states.select(
        col("start"),
        col("slice_key"),
        col("slice_value"),
        col("column"),
        n.as("count"),
        col("rows").minus(n).as("null_count"),
        col("rows").minus(n).divide(col("rows")).as("null_rate"),
        hll_sketch_estimate(col("hll")).as("distinct_approx"),
        col("mean"),
        variance.as("variance"),
        sqrt(variance).as("stddev"),
        col("min"),
        col("max"),
        col("sum_exact"),
        when(n.gt(0), col("sum_exact").divide(n.cast(DataTypes.createDecimalType(20, 0))))
            .cast(ProfileStates.SUM_TYPE).as("mean_exact"),
        col("sum_error").as("sum_exact_error"),
        quantiles(quantiles).as("quantiles"),
        // Population skewness g1 and excess kurtosis g2, the same definitions as Spark's skewness/kurtosis.
        when(m2.gt(0), sqrt(n).multiply(col("m3")).divide(pow(m2, 1.5))).as("skewness"),
        when(m2.gt(0), n.multiply(col("m4")).divide(m2.multiply(m2)).minus(3)).as("kurtosis"),
        topValues(topK).as("top_values"));
  }

  private static Column quantiles(List<Double> ps) {
    if (ps.isEmpty()) {
      return lit(null).cast(QUANTILES_TYPE);
    }
    Column probabilities = array(ps.stream().map(p -> lit(p.doubleValue())).toArray(Column[]::new));
    Column kll = col("kll");
    // The sketch skips NaN, so a state can have values but an empty sketch; asking an empty sketch fails.
    return when(kll.isNotNull().and(kll_sketch_get_n_double(kll).gt(0)),
        arrays_zip(probabilities, kll_sketch_get_quantile_double(kll, probabilities)).cast(QUANTILES_TYPE));
  }

  /** The {@code topK} most frequent non-null values, ties broken by value so the output is deterministic. */
  private static Column topValues(int topK) {
    Column estimate = call_function("approx_top_k_estimate", col("top_k"),
        lit(ProfileStates.trackedItems(topK)));
    Column byCount = array_sort(transform(filter(estimate, x -> x.getField("item").isNotNull()),
        x -> struct(x.getField("count").multiply(-1).as("negative_count"), x.getField("item").as("value"))));
    Column top = transform(slice(byCount, 1, topK),
        x -> struct(x.getField("value").as("value"), x.getField("negative_count").multiply(-1).as("count")));
    return when(col("top_k").isNotNull(), top.cast(TOP_VALUES_TYPE));
  }
}
