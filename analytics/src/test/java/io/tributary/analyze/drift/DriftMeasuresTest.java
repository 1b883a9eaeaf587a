package io.tributary.analyze.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/** The statistics on small counts, against hand computation and commons-math on the same data. */
class DriftMeasuresTest {
  @Test
  void psiByHand() {
    // Shares p = .1 .2 .3 .4 against q = .25 each.
    double expected = (0.1 - 0.25) * Math.log(0.1 / 0.25) + (0.2 - 0.25) * Math.log(0.2 / 0.25)
        + (0.3 - 0.25) * Math.log(0.3 / 0.25) + (0.4 - 0.25) * Math.log(0.4 / 0.25);
    assertEquals(0.228217, expected, 1e-6);
    assertEquals(expected, DriftMeasures.psi(new long[] {10, 20, 30, 40}, new long[] {25, 25, 25, 25}), 1e-12);
    assertEquals(0.0, DriftMeasures.psi(new long[] {1, 2, 3}, new long[] {10, 20, 30}), 1e-12);
  }

  @Test
  void psiSmoothsEmptyBinsWithEpsilon() {
    // Window shares 0 and 1, baseline .5 and .5: the empty bin counts as 1e-4.
    double expected = (1e-4 - 0.5) * Math.log(1e-4 / 0.5) + (1 - 0.5) * Math.log(1 / 0.5);
    assertEquals(expected, DriftMeasures.psi(new long[] {0, 10}, new long[] {5, 5}), 1e-12);
    // Empty on both sides: no contribution.
    assertEquals(DriftMeasures.psi(new long[] {10, 20}, new long[] {20, 10}),
        DriftMeasures.psi(new long[] {10, 0, 20}, new long[] {20, 0, 10}), 1e-12);
    assertNull(DriftMeasures.psi(new long[] {0, 0}, new long[] {5, 5}));
  }

  @Test
  void jensenShannonDistanceByHand() {
    assertEquals(1.0, DriftMeasures.jsDistance(new long[] {7, 0}, new long[] {0, 3}), 1e-12);
    assertEquals(0.0, DriftMeasures.jsDistance(new long[] {2, 4}, new long[] {1, 2}), 1e-12);
    // p = (.5, .5), q = (.9, .1), m = (.7, .3).
    double log2 = Math.log(2);
    double divergence = 0.5 * (0.5 * Math.log(0.5 / 0.7) / log2 + 0.5 * Math.log(0.5 / 0.3) / log2)
        + 0.5 * (0.9 * Math.log(0.9 / 0.7) / log2 + 0.1 * Math.log(0.1 / 0.3) / log2);
    assertEquals(Math.sqrt(divergence), DriftMeasures.jsDistance(new long[] {50, 50}, new long[] {90, 10}), 1e-12);
    assertNull(DriftMeasures.jsDistance(new long[] {1}, new long[] {0}));
  }

  @Test
  void chiSquareMatchesCommonsMath() {
    long[] window = {120, 80, 45, 5};
    long[] baseline = {300, 310, 100, 40};
    DriftMeasures.ChiSquare chi = DriftMeasures.chiSquare(window, baseline);
    ChiSquareTest test = new ChiSquareTest();
    assertEquals(test.chiSquareDataSetsComparison(window, baseline), chi.statistic(), 1e-9);
    assertEquals(test.chiSquareTestDataSetsComparison(window, baseline), chi.pValue(), 1e-12);
    assertEquals(3, chi.dof());
    // The same as the textbook 2 x k contingency table.
    assertEquals(test.chiSquare(new long[][] {window, baseline}), chi.statistic(), 1e-9);
    // A category seen on neither side does not count.
    DriftMeasures.ChiSquare withEmpty = DriftMeasures.chiSquare(new long[] {120, 0, 80, 45, 5},
        new long[] {300, 0, 310, 100, 40});
    assertEquals(chi, withEmpty);
    assertNull(DriftMeasures.chiSquare(new long[] {3}, new long[] {4}));
  }

  @Test
  void ksPValueMatchesCommonsMathOnRawSamples() {
    Random random = new Random(7);
    KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
    // Small samples (n * m < 10000): exact p-value; large ones: asymptotic.
    for (int[] sizes : new int[][] {{40, 60}, {30, 12}, {800, 500}}) {
      double[] x = random.doubles(sizes[0]).map(v -> v * 2).toArray();
      double[] y = random.doubles(sizes[1]).map(v -> v * 2 + 0.3).toArray();
      double d = ks.kolmogorovSmirnovStatistic(x, y);
      assertEquals(ks.kolmogorovSmirnovTest(x, y), DriftMeasures.ksPValue(d, x.length, y.length), 1e-9,
          "n=" + sizes[0] + " m=" + sizes[1]);
    }
  }
}
