package io.tributary.analyze.anomaly;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The two detectors, as Dataset functions over dense count series {@code (series, window_start, value)}. Each
 * adds {@code method}, {@code expected}, {@code lower}, {@code upper} and {@code score} (null when there is not
 * enough history to judge); {@link #flag} turns the score into a flag. A value is flagged exactly when it lies
 * outside {@code [lower, upper]}.
 *
 * <p>Counts are noisy in proportion to their size: a Poisson count with mean e has standard deviation
 * {@code sqrt(e)}, so quiet series and hours would raise false alarms if the spread came from busy hours only,
 * and busy ones would hide anomalies if it came from quiet hours. Neither detector lets its scale fall below
 * that Poisson noise.
 */
final class Detectors {
  /** Makes the median absolute deviation a consistent estimate of a normal standard deviation. */
  static final double MAD_TO_SIGMA = 1.4826;

  private Detectors() {}

  /**
   * Robust z-score against the trailing {@code n} points: {@code expected} is their median, the scale
   * {@code max(1.4826 * MAD, sqrt(max(median, 1)))}, {@code score = (value - expected) / scale} and the band
   * {@code expected -+ threshold * scale} (not below 0). Needs at least {@code minHistory} earlier points.
   */
  static Dataset<Row> robustZ(Dataset<Row> series, int n, int minHistory, double threshold) {
    WindowSpec trailing = Window.partitionBy("series").orderBy("window_start").rowsBetween(-n, -1);
    return series
        .withColumn("trail", array_sort(collect_list("value").over(trailing)))
        .withColumn("trail_median", medianOfSorted(col("trail")))
        .withColumn("deviations", array_sort(transform(col("trail"), x -> abs(x.minus(col("trail_median"))))))
        .withColumn("trail_mad", medianOfSorted(col("deviations")))
        .withColumn("expected", when(size(col("trail")).geq(minHistory), col("trail_median")))
        .withColumn("scale", greatest(col("trail_mad").multiply(MAD_TO_SIGMA), sqrt(greatest(col("expected"), lit(1.0)))))
        .withColumn("lower", when(col("expected").isNotNull(),
            greatest(col("expected").minus(col("scale").multiply(threshold)), lit(0.0))))
        .withColumn("upper", col("expected").plus(col("scale").multiply(threshold)))
        .withColumn("score", col("value").minus(col("expected")).divide(col("scale")))
        .withColumn("method", lit(AnomalySpec.ROBUST_Z))
        .drop("trail", "trail_median", "deviations", "trail_mad", "scale");
  }

  /**
   * Seasonal baseline: {@code expected} is the median of the same slot {@code period}, 2 {@code period}, ...
   * {@code weeks} {@code period} points earlier (those that exist; one is enough).
   *
   * <p>The expected value is itself a noisy count, so a point is compared with it the way two Poisson counts
   * are compared: {@code r = (value - expected) / sqrt(value + expected)}, which is about standard normal when
   * both are Poisson with the same mean (and, unlike dividing by {@code sqrt(expected)}, does not explode when
   * last week's count happened to be low). Real event counts are noisier than Poisson (a session brings several
   * events), so r is divided by the series' own spread {@code sigma = max(1.4826 * MAD(r), 1)}, taken over every
   * point of the series up to {@code to} (the MAD ignores the few anomalies; the floor of 1 is pure Poisson
   * noise): {@code score = r / sigma}. The band is the set of values whose |score| is at most the threshold,
   * with {@code c = threshold * sigma}: {@code ((-+c + sqrt(c^2 + 8 expected)) / 2)^2 - expected}. Points are
   * scored once the series has at least {@code minHistory} residuals.
   *
   * <p>Because sigma uses the whole stored history, re-running later (with more history) can change the scores
   * of earlier points slightly; expected values do not change.
   */
  static Dataset<Row> seasonal(Dataset<Row> series, int period, int weeks, int minHistory, double threshold) {
    WindowSpec ordered = Window.partitionBy("series").orderBy("window_start");
    WindowSpec whole = Window.partitionBy("series");
    Column[] slots = new Column[weeks];
    for (int k = 1; k <= weeks; k++) {
      slots[k - 1] = lag("value", k * period).over(ordered);
    }
    Column e = col("expected");
    Column c = col("sigma").multiply(threshold);
    Column root = sqrt(c.multiply(c).plus(e.multiply(8)));
    return series
        .withColumn("slots", array_sort(filter(array(slots), x -> x.isNotNull())))
        .withColumn("slot_median", medianOfSorted(col("slots")))
        .withColumn("residual", col("value").minus(col("slot_median"))
            .divide(sqrt(greatest(col("value").plus(col("slot_median")), lit(1.0)))))
        .withColumn("residual_median", percentile(col("residual"), lit(0.5)).over(whole))
        .withColumn("residual_mad", percentile(abs(col("residual").minus(col("residual_median"))), lit(0.5)).over(whole))
        .withColumn("residuals", count(col("residual")).over(whole))
        .withColumn("sigma", greatest(col("residual_mad").multiply(MAD_TO_SIGMA), lit(1.0)))
        .withColumn("expected", when(col("residuals").geq(minHistory), col("slot_median")))
        .withColumn("lower", when(e.isNotNull(), greatest(pow(root.minus(c).divide(2), 2).minus(e), lit(0.0))))
        .withColumn("upper", pow(root.plus(c).divide(2), 2).minus(e))
        .withColumn("score", when(e.isNotNull(), col("residual").divide(col("sigma"))))
        .withColumn("method", lit(AnomalySpec.SEASONAL))
        .drop("slots", "slot_median", "residual", "residual_median", "residual_mad", "residuals", "sigma");
  }

  /**
   * Adds {@code is_anomaly = |score| > threshold} (false when not scored) and {@code direction}
   * ({@code spike}, {@code drop}, or null when not flagged).
   */
  static Dataset<Row> flag(Dataset<Row> scored, double threshold) {
    return scored
        .withColumn("is_anomaly", coalesce(abs(col("score")).gt(threshold), lit(false)))
        .withColumn("direction", when(col("is_anomaly").and(col("score").gt(0)), lit("spike"))
            .when(col("is_anomaly"), lit("drop")));
  }

  /** Median of a sorted array column of doubles; null for an empty array. */
  static Column medianOfSorted(Column sorted) {
    Column n = size(sorted);
    Column lower = try_element_at(sorted, floor(n.plus(1).divide(2)).cast("int"));
    Column upper = try_element_at(sorted, floor(n.divide(2)).plus(1).cast("int"));
    return when(n.gt(0), lower.plus(upper).divide(2));
  }
}
