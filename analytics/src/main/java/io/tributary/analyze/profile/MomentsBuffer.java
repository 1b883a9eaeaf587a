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
    b.m2 = m2;
    b.m3 = m3;
    b.m4 = m4;
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
    double d = x - shift;
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
    // Difference of the two means; the shifts usually differ by little, so their difference is exact.
    double delta = (o.shift - shift) + (o.mean - mean);
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
    return new Moments(n, n == 0 ? null : shift + mean, m2, m3, m4);
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
