package io.tributary.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws an index with probability proportional to fixed weights (cumulative table + binary search). */
final class WeightedSampler {

  private final double[] cumulative;

  WeightedSampler(double... weights) {
    cumulative = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      cumulative[i] = sum;
    }
  }

  /**
   * Heavy-tailed (Zipf-Mandelbrot) weights 1/(rank+shift)^exponent, with ranks shuffled so the heaviest
   * index is not always 0. The shift caps the head so the busiest item stays plausible.
   */
  static WeightedSampler zipf(int n, double exponent, double shift, SplittableRandom random) {
    return new WeightedSampler(zipfWeights(n, exponent, shift, random));
  }

  /** The weights {@link #zipf} samples from, for callers that adjust them first. */
  static double[] zipfWeights(int n, double exponent, double shift, SplittableRandom random) {
    int[] ranks = new int[n];
    for (int i = 0; i < n; i++) {
      ranks[i] = i + 1;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = ranks[i];
      ranks[i] = ranks[j];
      ranks[j] = swap;
    }
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      weights[i] = 1.0 / Math.pow(ranks[i] + shift, exponent);
    }
    return weights;
  }

  int sample(SplittableRandom random) {
    double target = random.nextDouble() * cumulative[cumulative.length - 1];
    int index = Arrays.binarySearch(cumulative, target);
    int slot = index >= 0 ? index + 1 : -index - 1;
    return Math.min(slot, cumulative.length - 1);
  }

  /** The probability of drawing {@code index}. */
  double probability(int index) {
    double previous = index == 0 ? 0 : cumulative[index - 1];
    return (cumulative[index] - previous) / cumulative[cumulative.length - 1];
  }

  int size() {
    return cumulative.length;
  }
}
