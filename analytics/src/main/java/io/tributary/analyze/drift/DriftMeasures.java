package io.tributary.analyze.drift;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * The drift statistics, computed from small aggregates: counts per bin or category of the window and of the
 * baseline, aligned by index. Pure functions, so they can be checked against hand-computed values.
 */
public final class DriftMeasures {
  /**
   * Shares below this are raised to it in PSI, so a bin empty on one side adds a large but finite term
   * (a bin empty on both sides adds 0). Without it one empty bin makes PSI infinite.
   */
  public static final double PSI_EPSILON = 1e-4;

  /** Below this product of sample sizes the KS p-value is exact, as in commons-math. */
  private static final long KS_EXACT_PRODUCT = 10_000;

  private DriftMeasures() {}

  /**
   * Population stability index, {@code sum((p - q) * ln(p / q))} over the bins, where p and q are the window's
   * and the baseline's shares, each at least {@link #PSI_EPSILON}. Null when a side is empty.
   */
  public static Double psi(long[] window, long[] baseline) {
    long n = sum(window);
    long m = sum(baseline);
    if (n == 0 || m == 0) {
      return null;
    }
    double psi = 0;
    for (int i = 0; i < window.length; i++) {
      double p = Math.max((double) window[i] / n, PSI_EPSILON);
      double q = Math.max((double) baseline[i] / m, PSI_EPSILON);
      psi += (p - q) * Math.log(p / q);
    }
    return psi;
  }

  /**
   * Jensen-Shannon distance in base 2: the square root of the JS divergence
   * {@code (KL(p || m) + KL(q || m)) / 2} with {@code m = (p + q) / 2}; in [0, 1]. Empty bins need no
   * smoothing: their terms are 0. Null when a side is empty.
   */
  public static Double jsDistance(long[] window, long[] baseline) {
    long n = sum(window);
    long m = sum(baseline);
    if (n == 0 || m == 0) {
      return null;
    }
    double divergence = 0;
    for (int i = 0; i < window.length; i++) {
      double p = (double) window[i] / n;
      double q = (double) baseline[i] / m;
      double mid = (p + q) / 2;
      if (p > 0) {
        divergence += 0.5 * p * log2(p / mid);
      }
      if (q > 0) {
        divergence += 0.5 * q * log2(q / mid);
      }
    }
    return Math.sqrt(Math.max(0, divergence));
  }

  /** A chi-square test result. */
  public record ChiSquare(double statistic, int dof, double pValue) {}

  /**
   * Pearson's chi-square test of homogeneity of two samples over the same categories (a 2 x k table), the
   * statistic of commons-math's {@code chiSquareDataSetsComparison}: {@code sum((K a - b / K)^2 / (a + b))}
   * with {@code K = sqrt(sum(b) / sum(a))}, over categories seen on either side; {@code dof = k - 1}.
   * Null when a side is empty or fewer than two categories were seen.
   */
  public static ChiSquare chiSquare(long[] window, long[] baseline) {
    long n = sum(window);
    long m = sum(baseline);
    if (n == 0 || m == 0) {
      return null;
    }
    double k = Math.sqrt((double) m / n);
    double statistic = 0;
    int seen = 0;
    for (int i = 0; i < window.length; i++) {
      long total = window[i] + baseline[i];
      if (total > 0) {
        double d = k * window[i] - baseline[i] / k;
        statistic += d * d / total;
        seen++;
      }
    }
    if (seen < 2) {
      return null;
    }
    int dof = seen - 1;
    double p = 1 - new ChiSquaredDistribution(null, dof).cumulativeProbability(statistic);
    return new ChiSquare(statistic, dof, Math.max(0, p));
  }

  /**
   * P-value of the two-sample Kolmogorov-Smirnov statistic {@code d} for sample sizes n and m, as commons-math's
   * {@code kolmogorovSmirnovTest(x, y)} computes it: exact when {@code n * m < 10000}, otherwise from the
   * asymptotic distribution. It assumes continuous data; with ties (counted per distinct value) it is
   * conservative.
   */
  public static double ksPValue(double d, long n, long m) {
    if (n * m < KS_EXACT_PRODUCT) {
      return new KolmogorovSmirnovTest().exactP(d, (int) n, (int) m, true);
    }
    int ni = (int) Math.min(n, Integer.MAX_VALUE);
    int mi = (int) Math.min(m, Integer.MAX_VALUE);
    return new KolmogorovSmirnovTest().approximateP(d, ni, mi);
  }

  private static long sum(long[] counts) {
    long s = 0;
    for (long c : counts) {
      s += c;
    }
    return s;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
