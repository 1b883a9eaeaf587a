package io.tributary.analyze.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.junit.jupiter.api.Test;

/** The moment arithmetic on its own: values added one by one, or split into parts merged in any order. */
class MomentsBufferTest {

  private static MomentsBuffer of(double[] xs, int from, int to) {
    MomentsBuffer b = new MomentsBuffer();
    for (int i = from; i < to; i++) {
      b.add(xs[i]);
    }
    return b;
  }

  private static void assertMatches(double[] xs, Moments m) {
    DescriptiveStatistics ds = new DescriptiveStatistics(xs);
    int n = xs.length;
    assertEquals(n, m.getN());
    assertEquals(ds.getMean(), m.getMean(), 1e-12 * Math.abs(ds.getMean()));
    assertEquals(ds.getVariance(), m.getM2() / (n - 1), 1e-10 * ds.getVariance());
    double g1 = ds.getSkewness() * (n - 2) / Math.sqrt((double) n * (n - 1));
    double g2 = (ds.getKurtosis() * (n - 2) * (n - 3) / (n - 1) - 6) / (n + 1);
    double m2 = m.getM2();
    assertEquals(g1, Math.sqrt(n) * m.getM3() / Math.pow(m2, 1.5), 1e-9 * Math.max(1, Math.abs(g1)));
    assertEquals(g2, n * m.getM4() / (m2 * m2) - 3, 1e-9 * Math.max(1, Math.abs(g2)));
  }

  @Test
  void addingAndMergingGiveCommonsMathsMoments() {
    Random r = new Random(5);
    double[] xs = new double[2000];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = Math.exp(r.nextGaussian()) * 40 + (i % 7);
    }
    assertMatches(xs, of(xs, 0, xs.length).result());

    // Uneven parts merged right to left, including an empty one.
    int[] cuts = {0, 1, 3, 500, 500, 1400, 2000};
    MomentsBuffer merged = new MomentsBuffer();
    for (int i = cuts.length - 2; i >= 0; i--) {
      MomentsBuffer part = of(xs, cuts[i], cuts[i + 1]);
      part.merge(merged);
      merged = part;
    }
    assertMatches(xs, merged.result());

    // Finished states re-entered as buffers (what merging stored day states does).
    MomentsBuffer fromStates = new MomentsBuffer();
    for (int i = 0; i < cuts.length - 1; i++) {
      Moments m = of(xs, cuts[i], cuts[i + 1]).result();
      if (m.getN() > 0) {
        fromStates.merge(MomentsBuffer.of(m.getN(), m.getMean(), m.getM2(), m.getM3(), m.getM4()));
      }
    }
    assertMatches(xs, fromStates.result());
  }

  @Test
  void valuesFarFromZeroKeepTheirPrecision() {
    Random r = new Random(9);
    double[] xs = new double[1001];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = 1e9 + (r.nextDouble() - 0.5) * 0.1;
    }
    Moments all = of(xs, 0, xs.length).result();
    MomentsBuffer parts = of(xs, 0, 300);
    parts.merge(of(xs, 300, 1001));
    for (Moments m : new Moments[] {all, parts.result()}) {
      DescriptiveStatistics ds = new DescriptiveStatistics(xs);
      assertEquals(ds.getVariance(), m.getM2() / (xs.length - 1), 1e-8 * ds.getVariance());
    }
  }

  @Test
  void constantsEmptyAndNonFiniteValues() {
    MomentsBuffer constant = new MomentsBuffer();
    Arrays.stream(new double[] {1e6 + 0.1, 1e6 + 0.1, 1e6 + 0.1}).forEach(constant::add);
    assertEquals(0.0, constant.result().getM2(), "equal values have no spread at all");
    assertEquals(1e6 + 0.1, constant.result().getMean());

    Moments empty = new MomentsBuffer().result();
    assertEquals(0, empty.getN());
    assertNull(empty.getMean());

    MomentsBuffer withInfinity = new MomentsBuffer();
    Arrays.stream(new double[] {1, Double.POSITIVE_INFINITY, 2}).forEach(withInfinity::add);
    assertEquals(3, withInfinity.result().getN());
    assertTrue(Double.isNaN(withInfinity.result().getMean()));
    assertTrue(Double.isNaN(withInfinity.result().getM2()));
  }

  /**
   * Finite values near the ends of the double range: the mean is finite and exact, added one by one and merged
   * from parts (it used to be -Infinity); a spread whose square exceeds the double range gives M2 = +Infinity;
   * equal values there give M2 = 0.
   */
  @Test
  void valuesNearTheRangeLimitKeepAFiniteMean() {
    double[][] cases = {
        {1e308, -1e308},
        {-1e308, 1e308, 1e308, -1e308},
        {1.7e308, 1.7e308, 1.7e308, 1.6e308},
        {-1.7e308, 1.7e308, 1.7e308}};
    double[] means = {0, 0, 1.675e308, 1.7e308 / 3};
    for (int c = 0; c < cases.length; c++) {
      double[] xs = cases[c];
      MomentsBuffer parts = of(xs, 1, xs.length);
      parts.merge(of(xs, 0, 1));
      for (Moments m : new Moments[] {of(xs, 0, xs.length).result(), parts.result()}) {
        assertEquals(means[c], m.getMean(), 1e-15 * Math.abs(means[c]), Arrays.toString(xs));
        assertEquals(Double.POSITIVE_INFINITY, m.getM2(), "the variance is beyond the double range");
      }
    }
    double[] equal = {1.7e308, 1.7e308, 1.7e308};
    MomentsBuffer merged = of(equal, 0, 1);
    merged.merge(of(equal, 1, 3));
    for (Moments m : new Moments[] {of(equal, 0, 3).result(), merged.result()}) {
      assertEquals(1.7e308, m.getMean());
      assertEquals(0.0, m.getM2());
    }
  }
}
