package io.tributary.analyze.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Expected profile values computed independently of the production code: rows are grouped in plain Java and
 * every statistic comes from Apache Commons Math (or BigDecimal for exact sums), then compared with gold rows.
 */
public final class ProfileOracle {
  /** Normalized rank error allowed for KLL quantiles (k = 200: about 1.3% at 99% confidence, plus merges). */
  static final double RANK_EPS = 0.025;

  record Key(String window, Instant start, String sliceKey, String sliceValue, String column) {}

  static final class Group {
    Instant end;
    long rows;
    final List<Object> values = new ArrayList<>();
  }

  private final StructType schema;
  private final String time;
  private final List<String> columns;
  private final List<String> dimensions;
  private final List<String> windows;
  private final int topK;

  public ProfileOracle(StructType schema, String time, List<String> columns, List<String> dimensions, List<String> windows,
      int topK) {
    this.schema = schema;
    this.time = time;
    this.columns = columns;
    this.dimensions = dimensions;
    this.windows = windows;
    this.topK = topK;
  }

  /** Groups {@code data} in {@code [from, to)} by window, slice and column. */
  Map<Key, Group> expected(List<Row> data, Instant from, Instant to) {
    Map<Key, Group> out = new LinkedHashMap<>();
    List<String> all = new ArrayList<>(windows);
    all.add("all");
    for (Row r : data) {
      Instant t = ((Timestamp) r.get(schema.fieldIndex(time))).toInstant();
      if (t.isBefore(from) || !t.isBefore(to)) {
        continue;
      }
      for (String w : all) {
        Instant start;
        Instant end;
        switch (w) {
          case "hour" -> {
            start = t.truncatedTo(ChronoUnit.HOURS);
            end = start.plus(Duration.ofHours(1));
          }
          case "day" -> {
            start = t.truncatedTo(ChronoUnit.DAYS);
            end = start.plus(Duration.ofDays(1));
          }
          case "week" -> {
            start = t.atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                .atStartOfDay(ZoneOffset.UTC).toInstant();
            end = start.plus(Duration.ofDays(7));
          }
          default -> {
            start = from;
            end = to;
          }
        }
        start = start.isBefore(from) ? from : start;
        end = end.isAfter(to) ? to : end;
        List<String[]> slices = new ArrayList<>();
        slices.add(new String[] {null, null});
        for (String d : dimensions) {
          Object v = r.get(schema.fieldIndex(d));
          slices.add(new String[] {d, v == null ? null : v.toString()});
        }
        for (String[] s : slices) {
          for (String c : columns) {
            Group g = out.computeIfAbsent(new Key(w, start, s[0], s[1], c), k -> new Group());
            g.end = end;
            g.rows++;
            Object v = r.get(schema.fieldIndex(c));
            if (v != null) {
              g.values.add(v);
            }
          }
        }
      }
    }
    return out;
  }

  static Key key(Row gold) {
    return new Key(gold.getAs("window"), ((Timestamp) gold.getAs("window_start")).toInstant(), gold.getAs("slice_key"),
        gold.getAs("slice_value"), gold.getAs("column"));
  }

  /** Asserts that {@code gold} has exactly the expected rows and every statistic matches. */
  public void assertGold(List<Row> gold, List<Row> data, Instant from, Instant to) {
    Map<Key, Group> expected = expected(data, from, to);
    Set<Key> seen = new HashSet<>();
    for (Row row : gold) {
      Key k = key(row);
      assertTrue(seen.add(k), "duplicate gold row " + k);
      Group g = expected.get(k);
      assertNotNull(g, "unexpected gold row " + k);
      assertRow(k, row, g);
    }
    assertEquals(expected.keySet(), seen, "gold rows");
  }

  void assertRow(Key k, Row row, Group g) {
    String at = k.toString();
    assertEquals(g.end, ((Timestamp) row.getAs("window_end")).toInstant(), "window_end of " + at);
    long n = g.values.size();
    assertEquals(n, (long) row.getAs("count"), "count of " + at);
    assertEquals(g.rows - n, (long) row.getAs("null_count"), "null_count of " + at);
    assertClose((double) (g.rows - n) / g.rows, row.getAs("null_rate"), 1e-12, "null_rate of " + at);
    long distinct = new HashSet<>(g.values).size();
    long estimate = row.getAs("distinct_approx");
    assertTrue(Math.abs(estimate - distinct) <= Math.max(1, Math.ceil(0.03 * distinct)),
        "distinct_approx of " + at + ": " + estimate + " vs exact " + distinct);
    boolean numeric = schema.apply(k.column()).dataType() instanceof org.apache.spark.sql.types.NumericType;
    if (numeric) {
      assertNumeric(at, row, g);
      assertNull(row.getAs("top_values"), "top_values of numeric " + at);
    } else {
      for (String f : List.of("mean", "variance", "stddev", "min", "max", "sum_exact", "quantiles", "skewness")) {
        assertNull(row.getAs(f), f + " of categorical " + at);
      }
      assertEquals(topValues(g.values), topValues(row), "top_values of " + at);
    }
  }

  private void assertNumeric(String at, Row row, Group g) {
    double[] xs = g.values.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    int n = xs.length;
    if (n == 0) {
      for (String f : List.of("mean", "variance", "stddev", "min", "max", "quantiles", "skewness", "kurtosis")) {
        assertNull(row.getAs(f), f + " of " + at + " without values");
      }
      return;
    }
    DescriptiveStatistics ds = new DescriptiveStatistics(xs);
    assertClose(ds.getMean(), row.getAs("mean"), 1e-9, "mean of " + at);
    if (n >= 2) {
      assertClose(ds.getVariance(), row.getAs("variance"), 1e-9, "variance of " + at);
      assertClose(ds.getStandardDeviation(), row.getAs("stddev"), 1e-9, "stddev of " + at);
    } else {
      assertNull(row.getAs("variance"), "variance of a single value at " + at);
      assertNull(row.getAs("stddev"), "stddev of a single value at " + at);
    }
    assertEquals(ds.getMin(), (double) row.getAs("min"), "min of " + at);
    assertEquals(ds.getMax(), (double) row.getAs("max"), "max of " + at);
    if (ds.getMin() == ds.getMax()) {
      assertNull(row.getAs("skewness"), "skewness of constant values at " + at);
      assertNull(row.getAs("kurtosis"), "kurtosis of constant values at " + at);
    } else {
      assertClose(populationSkewness(ds, xs), row.getAs("skewness"), 1e-7, "skewness of " + at);
      assertClose(populationExcessKurtosis(ds, xs), row.getAs("kurtosis"), 1e-7, "kurtosis of " + at);
    }
    assertQuantiles(at, xs, row.getList(row.fieldIndex("quantiles")));
    if (g.values.get(0) instanceof BigDecimal) {
      BigDecimal sum = g.values.stream().map(v -> (BigDecimal) v).reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal sumExact = row.getAs("sum_exact");
      assertEquals(0, sum.compareTo(sumExact), "sum_exact of " + at + ": " + sumExact + " vs " + sum);
      BigDecimal meanExact = row.getAs("mean_exact");
      assertEquals(0, sum.divide(BigDecimal.valueOf(n), 18, RoundingMode.HALF_UP).compareTo(meanExact),
          "mean_exact of " + at);
    } else {
      assertNull(row.getAs("sum_exact"), "sum_exact of a non-DECIMAL column at " + at);
    }
  }

  /** Population skewness g1 from Commons Math's bias-corrected G1 (needs n > 2), else from its definition. */
  static double populationSkewness(DescriptiveStatistics ds, double[] xs) {
    double n = xs.length;
    if (n > 2) {
      return ds.getSkewness() * (n - 2) / Math.sqrt(n * (n - 1));
    }
    double[] m = centralMoments(xs);
    return Math.sqrt(n) * m[3] / Math.pow(m[2], 1.5);
  }

  /** Population excess kurtosis g2 from Commons Math's bias-corrected G2 (needs n > 3), else its definition. */
  static double populationExcessKurtosis(DescriptiveStatistics ds, double[] xs) {
    double n = xs.length;
    if (n > 3) {
      return (ds.getKurtosis() * (n - 2) * (n - 3) / (n - 1) - 6) / (n + 1);
    }
    double[] m = centralMoments(xs);
    return n * m[4] / (m[2] * m[2]) - 3;
  }

  /** Two-pass central moment sums M2..M4 (index 2..4). */
  private static double[] centralMoments(double[] xs) {
    double mean = Arrays.stream(xs).average().orElseThrow();
    double[] m = new double[5];
    for (double x : xs) {
      double d = x - mean;
      m[2] += d * d;
      m[3] += d * d * d;
      m[4] += d * d * d * d;
    }
    return m;
  }

  /** Each reported value's rank range in the data must contain its probability, within the sketch's error. */
  static void assertQuantiles(String at, double[] xs, List<Row> quantiles) {
    double[] sorted = Arrays.stream(xs).filter(x -> !Double.isNaN(x)).sorted().toArray();
    assertEquals(ProfileSpec.DEFAULT_QUANTILES.size(), quantiles.size(), "quantiles of " + at);
    for (int i = 0; i < quantiles.size(); i++) {
      double p = quantiles.get(i).getDouble(0);
      double v = quantiles.get(i).getDouble(1);
      assertEquals(ProfileSpec.DEFAULT_QUANTILES.get(i), p, "quantile probabilities of " + at);
      double below = Arrays.stream(sorted).filter(x -> x < v).count() / (double) sorted.length;
      double atOrBelow = Arrays.stream(sorted).filter(x -> x <= v).count() / (double) sorted.length;
      assertTrue(atOrBelow > below || sorted.length == 0, "quantile " + p + " = " + v + " of " + at + " is no value");
      assertTrue(below - RANK_EPS <= p && p <= atOrBelow + RANK_EPS,
          "quantile " + p + " of " + at + " = " + v + " has rank [" + below + ", " + atOrBelow + "]");
    }
  }

  private List<List<Object>> topValues(List<Object> values) {
    Map<String, Long> counts = new HashMap<>();
    values.forEach(v -> counts.merge(v.toString(), 1L, Long::sum));
    return counts.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
            .thenComparing(Map.Entry::getKey))
        .limit(topK)
        .map(e -> List.<Object>of(e.getKey(), e.getValue()))
        .toList();
  }

  static List<List<Object>> topValues(Row row) {
    List<Row> top = row.getList(row.fieldIndex("top_values"));
    return top.stream().map(r -> List.<Object>of(r.getString(0), r.getLong(1))).toList();
  }

  /** Relative tolerance, with an absolute floor of {@code rel} for values near zero. */
  static void assertClose(double expected, Object actual, double rel, String what) {
    assertNotNull(actual, what + " is null");
    double a = (Double) actual;
    if (Double.isNaN(expected) || Double.isInfinite(expected)) {
      assertEquals(expected, a, what);
      return;
    }
    double tolerance = rel * Math.max(Math.abs(expected), 1e-300) + (rel < 1e-8 ? 0 : rel);
    if (!(Math.abs(a - expected) <= tolerance)) {
      fail(what + ": expected " + expected + " but was " + a + " (relative error "
          + Math.abs(a - expected) / Math.abs(expected) + ")");
    }
  }
}
