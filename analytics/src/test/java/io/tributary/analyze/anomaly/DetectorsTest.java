package io.tributary.analyze.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.analyze.TimeGrain;
import io.tributary.config.ConfigException;
import io.tributary.testing.TestSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Both detectors on hand-made hourly counts, against a direct computation on the same counts. */
class DetectorsTest {
  static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  static final StructType SCHEMA = StructType.fromDDL("t TIMESTAMP, event_type STRING");

  /** Events whose hourly counts are {@code counts} (type a), plus one type-b event every fifth hour. */
  static Dataset<Row> events(long[] counts) {
    List<Row> rows = new ArrayList<>();
    for (int h = 0; h < counts.length; h++) {
      for (int i = 0; i < counts[h]; i++) {
        rows.add(RowFactory.create(Timestamp.from(START.plusSeconds(3600L * h + i)), "a"));
      }
      if (h % 5 == 0) {
        rows.add(RowFactory.create(Timestamp.from(START.plusSeconds(3600L * h + 3599)), "b"));
      }
    }
    return TestSpark.get().createDataFrame(rows, SCHEMA);
  }

  static Map<String, Row> detect(AnomalySpec spec, long[] counts, int fromHour) {
    Dataset<Row> out = new AnomalyAnalysis(spec).detect(events(counts), "demo", "t",
        START.plusSeconds(3600L * fromHour), START.plusSeconds(3600L * counts.length));
    assertEquals(List.of("job", "window", "window_start", "window_end", "metric", "series", "method", "value",
        "expected", "lower", "upper", "score", "is_anomaly", "direction"), Arrays.asList(out.columns()));
    Map<String, Row> rows = new HashMap<>();
    for (Row r : out.collectAsList()) {
      int h = (int) ((r.getTimestamp(2).toInstant().getEpochSecond() - START.getEpochSecond()) / 3600);
      rows.put(r.getString(5) + "|" + r.getString(6) + "|" + h, r);
    }
    return rows;
  }

  @Test
  void robustZAgainstTheTrailingPoints() {
    long[] counts = new long[30];
    for (int h = 0; h < counts.length; h++) {
      counts[h] = 10 + (h * 7) % 5;
    }
    counts[20] = 0; // a silent hour is a point with value 0
    counts[29] = 60;
    AnomalySpec spec = new AnomalySpec(null, 4.0, List.of("robust_z"), 3, 5, null, null);
    Map<String, Row> rows = detect(spec, counts, 2);
    assertEquals((30 - 2) * 3, rows.size(), "hours 2..29 x (a, b, *)");
    for (int h = 2; h < 30; h++) {
      Row r = rows.get("a|robust_z|" + h);
      assertEquals(counts[h], r.getDouble(7), "hour " + h);
      double[] trail = new double[Math.min(h, 5)];
      for (int i = 0; i < trail.length; i++) {
        trail[i] = counts[h - trail.length + i];
      }
      if (trail.length < 3) {
        assertNull(r.get(8), "hour " + h + " has too little history");
        assertTrue(r.isNullAt(9) && r.isNullAt(10) && r.isNullAt(11), "no band, no score");
        assertFalse(r.getBoolean(12));
        continue;
      }
      double median = median(trail);
      double mad = median(Arrays.stream(trail).map(x -> Math.abs(x - median)).toArray());
      double scale = Math.max(1.4826 * mad, Math.sqrt(Math.max(median, 1)));
      double score = (counts[h] - median) / scale;
      assertEquals(median, r.getDouble(8), 1e-12, "hour " + h);
      assertEquals(Math.max(median - 4 * scale, 0), r.getDouble(9), 1e-9);
      assertEquals(median + 4 * scale, r.getDouble(10), 1e-9);
      assertEquals(score, r.getDouble(11), 1e-9, "hour " + h);
      assertEquals(Math.abs(score) > 4, r.getBoolean(12), "hour " + h);
      assertEquals(Math.abs(score) <= 4 ? null : score > 0 ? "spike" : "drop", r.getString(13), "hour " + h);
    }
    // 0 against a median of 12 is within Poisson noise (scale sqrt(12)): not flagged; 60 is.
    assertEquals(0.0, rows.get("a|robust_z|20").getDouble(7));
    assertFalse(rows.get("a|robust_z|20").getBoolean(12));
    assertEquals("spike", rows.get("a|robust_z|29").getString(13));
    assertEquals(counts[25] + 1.0, rows.get("*|robust_z|25").getDouble(7), "a and b");
    assertEquals(1.0, rows.get("b|robust_z|25").getDouble(7));
    assertEquals(0.0, rows.get("b|robust_z|26").getDouble(7));
    Row r = rows.get("*|robust_z|29");
    assertEquals("events_per_hour", r.getString(4));
    assertEquals("hour", r.getString(1));
    assertEquals(START.plusSeconds(30 * 3600L), r.getTimestamp(3).toInstant());
  }

  @Test
  void seasonalAgainstTheSameHourOfEarlierWeeks() {
    int weeks = 3;
    long[] counts = new long[weeks * 168];
    for (int h = 0; h < counts.length; h++) {
      counts[h] = (h % 24 < 8 ? 3 : 20) + (h * 13L) % 7;
    }
    int spike = 2 * 168 + 30;
    int drop = 2 * 168 + 60;
    counts[spike] = 90;
    counts[drop] = 2;
    AnomalySpec spec = new AnomalySpec(null, 4.0, List.of("seasonal"), 24, null, 2, null);
    Map<String, Row> rows = detect(spec, counts, 2 * 168);

    // Expected: median of the same hour 1 and 2 weeks earlier (those that exist).
    double[] expected = new double[counts.length];
    List<Double> residuals = new ArrayList<>();
    for (int h = 168; h < counts.length; h++) {
      expected[h] = h >= 336 ? (counts[h - 168] + counts[h - 336]) / 2.0 : counts[h - 168];
      residuals.add((counts[h] - expected[h]) / Math.sqrt(Math.max(counts[h] + expected[h], 1)));
    }
    double[] r = residuals.stream().mapToDouble(Double::doubleValue).toArray();
    double center = median(r);
    double sigma = Math.max(1.4826 * median(Arrays.stream(r).map(x -> Math.abs(x - center)).toArray()), 1);
    int flagged = 0;
    for (int h = 2 * 168; h < counts.length; h++) {
      Row row = rows.get("a|seasonal|" + h);
      double score = (counts[h] - expected[h]) / Math.sqrt(Math.max(counts[h] + expected[h], 1)) / sigma;
      assertEquals(expected[h], row.getDouble(8), 1e-12, "hour " + h);
      assertEquals(score, row.getDouble(11), 1e-9, "hour " + h);
      assertEquals(Math.abs(score) > 4, row.getBoolean(12), "hour " + h);
      // The band is where |score| <= 4.
      assertEquals(4.0, bandScore(row.getDouble(10), expected[h], sigma), 1e-9);
      if (row.getDouble(9) > 0) {
        assertEquals(-4.0, bandScore(row.getDouble(9), expected[h], sigma), 1e-9);
      }
      flagged += row.getBoolean(12) ? 1 : 0;
    }
    assertEquals("spike", rows.get("a|seasonal|" + spike).getString(13));
    assertEquals("drop", rows.get("a|seasonal|" + drop).getString(13));
    assertEquals(2, flagged, "only the two injected points");
  }

  static double bandScore(double value, double expected, double sigma) {
    return (value - expected) / Math.sqrt(value + expected) / sigma;
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  @Test
  void seasonalPeriodIsAWeekOfPoints() {
    assertEquals(168, AnomalyAnalysis.seasonalPeriod(TimeGrain.HOUR));
    assertEquals(7, AnomalyAnalysis.seasonalPeriod(TimeGrain.DAY));
  }

  @Test
  void specDefaultsAndErrorsNameTheKey() {
    AnomalySpec d = AnomalySpec.defaults();
    assertEquals("hour", d.window());
    assertEquals(4.0, d.threshold());
    assertEquals(List.of("robust_z", "seasonal"), d.methods());
    assertEquals(4, d.seasonalWeeks());
    assertTrue(assertThrows(ConfigException.class, () -> new AnomalySpec("week", null, null, null, null, null, null))
        .getMessage().contains("anomaly.window"));
    assertTrue(assertThrows(ConfigException.class, () -> new AnomalySpec(null, null, List.of("prophet"), null, null,
        null, null)).getMessage().contains("anomaly.methods"));
    assertTrue(assertThrows(ConfigException.class, () -> new AnomalySpec(null, null, null, null, null, 0, null))
        .getMessage().contains("anomaly.seasonalWeeks"));
  }
}
