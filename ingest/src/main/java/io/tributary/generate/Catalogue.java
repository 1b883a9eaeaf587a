package io.tributary.generate;

import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;

/** 200 products in 8 categories, each with a stable price and a heavy-tailed popularity. */
final class Catalogue {

  static final String[] CATEGORIES =
      {"electronics", "fashion", "home", "beauty", "sports", "books", "toys", "grocery"};
  /** Typical price per category, in the order above; products scatter log-normally around it. */
  private static final double[] MEDIAN_PRICE = {199, 49, 59, 25, 45, 15, 30, 8};
  private static final int PRODUCTS = 200;

  private final String[] productIds = new String[PRODUCTS];
  private final String[] categories = new String[PRODUCTS];
  private final BigDecimal[] prices = new BigDecimal[PRODUCTS];
  private final WeightedSampler popularity;

  Catalogue(long seed) {
    SplittableRandom random = Randoms.stream(seed, "catalogue");
    for (int p = 0; p < PRODUCTS; p++) {
      int category = p % CATEGORIES.length;
      productIds[p] = String.format("p-%04d", p + 1);
      categories[p] = CATEGORIES[category];
      double price = MEDIAN_PRICE[category] * Randoms.logNormal(random, 0.5);
      // Shop prices end in .99.
      long cents = Math.round(Math.floor(price) * 100) + 99;
      prices[p] = BigDecimal.valueOf(cents, 2);
    }
    popularity = WeightedSampler.zipf(PRODUCTS, 1.0, 2.0, random);
  }

  int sample(SplittableRandom random) {
    return popularity.sample(random);
  }

  /**
   * A product by popularity, of one of {@code categories} with probability {@code affinity} (rejection sampling
   * with a bounded number of draws, so the stream position stays deterministic).
   */
  int sample(SplittableRandom random, List<String> categories, double affinity) {
    if (random.nextDouble() >= affinity) {
      return sample(random);
    }
    int product = sample(random);
    for (int draw = 0; draw < 64 && !categories.contains(this.categories[product]); draw++) {
      product = sample(random);
    }
    return product;
  }

  String productId(int product) {
    return productIds[product];
  }

  String category(int product) {
    return categories[product];
  }

  BigDecimal price(int product) {
    return prices[product];
  }
}
