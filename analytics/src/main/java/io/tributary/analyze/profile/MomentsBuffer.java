package io.tributary.analyze.profile;

import java.io.Serializable;

/**
 * Count, mean and the central moment sums {@code M2 = Σ(x-mean)²}, {@code M3}, {@code M4} of a set of doubles,
 * built one value at a time ({@link #add}) and merged with another set ({@link #merge}), so partitions, hours
 * and days can be combined in any order into the moments of their union.
 *
 * <p>Numerics: updates follow Welford/Terriberry and merges the pairwise formulas of Chan, Golub and LeVeque
 * (M2) and Pébay (2008, M3 and M4); no sum of squares is ever formed. On top of that the buffer works on
 * {@code x - shift}, where {@code shift} is the first value it saw: for data far from zero relative to its
 * spread (e.g. values around 1e6 varying by 0.1) the differences are exact and small, so the mean and M2 keep
 * nearly all the precision the double inputs carry, instead of losing digits to the large common offset.
 *
 * <p>Values near the ends of the double range (e.g. 1e308 and -1e308) differ by more than the largest double, so
 * the buffer keeps its deviations in half units: {@code mean} is the mean of {@code (x - shift) / 2} and
 * {@code m2}, {@code m3}, {@code m4} the central moment sums of those halves (scaled back by 4, 8 and 16 in
 * {@link #result}). Halving is exact, so ordinary data gives bit for bit the same results as unscaled
 * arithmetic, while the mean of any finite data stays finite and correct. A moment sum whose true value
 * exceeds the double range (the variance of {1e308, -1e308} is 2e616) is +Infinity, and the skewness and
 * kurtosis computed from it are then NaN.
 *
 * <p>A NaN or infinite value makes the mean and every moment NaN (there is no finite answer); {@code n} still
 * counts it. A Java bean because Spark stores it as an aggregation buffer ({@code Encoders.bean}).
 */
public final class MomentsBuffer implements Serializable {
  private static final long serialVersionUID = 1L;

  private long n;
  private double shift;
  private double mean;
  private double m2;
  private double m3;
  private double m4;

  /** An empty buffer. */
  public MomentsBuffer() {}

  /** The buffer of a finished state: {@code n} values with the given mean and central moment sums. */
  public static MomentsBuffer of(long n, double mean, double m2, double m3, double m4) {
    MomentsBuffer b = new MomentsBuffer();
    b.n = n;
    b.shift = mean;
    b.mean = 0;
    b.m2 = m2 / 4;
    b.m3 = m3 / 8;
    b.m4 = m4 / 16;
    return b;
  }

  /** Adds one value (Welford's update extended to the third and fourth moments). */
  public void add(double x) {
    if (!Double.isFinite(x)) {
      // No finite mean or moment exists; NaN then sticks through every later update and merge.
      n++;
      mean = m2 = m3 = m4 = Double.NaN;
      return;
    }
    if (n == 0) {
      shift = x;
    }
    // Half the deviation from the shift: finite for any two finite doubles, and so is its distance to the mean
    // of earlier halves (a convex combination of them).
    double d = 0.5 * x - 0.5 * shift;
    long previous = n;
    n++;
    double delta = d - mean;
    double deltaN = delta / n;
    double deltaN2 = deltaN * deltaN;
    double term1 = delta * deltaN * previous;
    mean += deltaN;
    // M4 and M3 use the old M2 and M3, so they are updated first.
    m4 += term1 * deltaN2 * ((double) n * n - 3.0 * n + 3) + 6 * deltaN2 * m2 - 4 * deltaN * m3;
    m3 += term1 * deltaN * (n - 2) - 3 * deltaN * m2;
    m2 += term1;
  }

  /** Adds another buffer's values (Chan et al. / Pébay pairwise merge). */
  public void merge(MomentsBuffer o) {
    if (o.n == 0) {
      return;
    }
    if (n == 0) {
      n = o.n;
      shift = o.shift;
      mean = o.mean;
      m2 = o.m2;
      m3 = o.m3;
      m4 = o.m4;
      return;
    }
    double na = n;
    double nb = o.n;
    double total = na + nb;
    // Half the difference of the two means; the shifts usually differ by little, so their difference is exact.
    // Far apart, the intermediate difference of the half means may overflow: then from the half means.
    double delta = (0.5 * o.shift - 0.5 * shift) + (o.mean - mean);
    if (!Double.isFinite(delta) && Double.isFinite(mean) && Double.isFinite(o.mean)) {
      delta = (0.5 * o.shift + o.mean) - (0.5 * shift + mean);
    }
    double delta2 = delta * delta;
    double newM4 = m4 + o.m4
        + delta2 * delta2 * na * nb * (na * na - na * nb + nb * nb) / (total * total * total)
        + 6 * delta2 * (na * na * o.m2 + nb * nb * m2) / (total * total)
        + 4 * delta * (na * o.m3 - nb * m3) / total;
    double newM3 = m3 + o.m3
        + delta2 * delta * na * nb * (na - nb) / (total * total)
        + 3 * delta * (na * o.m2 - nb * m2) / total;
    m2 = m2 + o.m2 + delta2 * na * nb / total;
    m3 = newM3;
    m4 = newM4;
    mean += delta * nb / total;
    n += o.n;
  }

  /** The finished moments; the mean is null for an empty buffer. */
  public Moments result() {
    if (n == 0) {
      return new Moments(n, null, m2, m3, m4);
    }
    double full = shift + 2 * mean;
    if (!Double.isFinite(full) && Double.isFinite(mean)) {
      // 2 * mean overflowed although the mean itself is in range: add the halves one at a time.
      full = (shift + mean) + mean;
    }
    return new Moments(n, full, 4 * m2, 8 * m3, 16 * m4);
  }

  public long getN() {
    return n;
  }

  public void setN(long n) {
    this.n = n;
  }

  public double getShift() {
    return shift;
  }

  public void setShift(double shift) {
    this.shift = shift;
  }

  public double getMean() {
    return mean;
  }

  public void setMean(double mean) {
    this.mean = mean;
  }

  public double getM2() {
    return m2;
  }

  public void setM2(double m2) {
    this.m2 = m2;
  }

  public double getM3() {
    return m3;
  }

  public void setM3(double m3) {
    this.m3 = m3;
  }

  public double getM4() {
    return m4;
  }

  public void setM4(double m4) {
    this.m4 = m4;
  }
}
