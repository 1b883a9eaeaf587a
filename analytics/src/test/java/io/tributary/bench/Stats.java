package io.tributary.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Order statistics over a handful of measurements. */
final class Stats {
  private Stats() {}

  /** The median (mean of the middle two for an even count); NaN when empty. */
  static double median(Collection<? extends Number> values) {
    return quantile(values, 0.5);
  }

  /** Linear-interpolation quantile (type 7, as R and NumPy default); NaN when empty. */
  static double quantile(Collection<? extends Number> values, double p) {
    List<Double> sorted = new ArrayList<>();
    values.forEach(v -> sorted.add(v.doubleValue()));
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    sorted.sort(Double::compare);
    double h = (sorted.size() - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.size() - 1);
    return sorted.get(lo) + (h - lo) * (sorted.get(hi) - sorted.get(lo));
  }
}
