package io.tributary.generate;

import java.util.SplittableRandom;

/**
 * Independent random streams per concern, derived from the seed and a name.
 *
 * <p>Separate streams keep concerns stable: changing the late rate does not move which lines are bad, and
 * adding anomalies does not change traffic outside the anomalous hours.
 */
final class Randoms {

  private Randoms() {
  }

  static SplittableRandom stream(long seed, String concern) {
    return new SplittableRandom(Ids.mix64(seed ^ Ids.mix64(concern.hashCode())));
  }

  /** Exponential with the given mean. */
  static double exponential(SplittableRandom random, double mean) {
    return -Math.log(1.0 - random.nextDouble()) * mean;
  }

  /** Number of failures before the first success, with the given mean. */
  static int geometric(SplittableRandom random, double mean) {
    double p = 1.0 / (1.0 + mean);
    return (int) Math.floor(Math.log(1.0 - random.nextDouble()) / Math.log(1.0 - p));
  }

  /** Log-normal multiplier with median 1. */
  static double logNormal(SplittableRandom random, double sigma) {
    return Math.exp(sigma * gaussian(random));
  }

  static double gaussian(SplittableRandom random) {
    // Box-Muller; one value per call keeps the stream position easy to reason about.
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}
