package io.tributary.analyze.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.analyze.ColumnRequirement;
import io.tributary.config.ConfigException;
import io.tributary.testing.TestSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drift per day over four days, compared with statistics computed directly on the same raw values:
 * day 0 is the baseline of day 1 and lies before the analysed range (days 1-3); day 2 is empty.
 */
class DriftAnalysisTest {
  static final Instant DAY0 = Instant.parse("2026-03-01T00:00:00Z");
  static final Instant FROM = DAY0.plusSeconds(86400);
  static final Instant TO = DAY0.plusSeconds(4 * 86400);
  static final StructType SCHEMA = StructType.fromDDL("t TIMESTAMP, amount DOUBLE, qty INT, country STRING");
  static final String[] COUNTRIES = {"de", "fr", "it", "es", "nl"};

  static SparkSession spark;
  static double[][] amounts = new double[4][];
  static double[][] quantities = new double[4][];
  static long[][] countries = new long[4][COUNTRIES.length];
  static Dataset<Row> data;

  @BeforeAll
  static void data() {
    spark = TestSpark.get();
    Random random = new Random(11);
    int[] sizes = {200, 300, 0, 250};
    double[] shift = {0, 0.4, 0, 0.4};
    // Day 0: qty 1x10 2x20 3x30 4x40; day 1: 25 each (tied values: per-value KS and bins).
    int[][] qty = {{10, 20, 30, 40}, {25, 25, 25, 25}, {0, 0, 0, 0}, {50, 60, 70, 70}};
    double[][] countryShares = {{0.4, 0.3, 0.2, 0.05, 0.05}, {0.2, 0.3, 0.3, 0.1, 0.1}, {}, {0.4, 0.3, 0.2, 0.05, 0.05}};
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < 4; d++) {
      amounts[d] = new double[sizes[d]];
      List<Double> q = new ArrayList<>();
      for (int v = 0; v < 4; v++) {
        for (int k = 0; k < qty[d][v]; k++) {
          q.add(v + 1.0);
        }
      }
      quantities[d] = q.stream().mapToDouble(Double::doubleValue).toArray();
      for (int i = 0; i < sizes[d]; i++) {
        amounts[d][i] = random.nextGaussian() + shift[d];
        int c = pick(random.nextDouble(), countryShares[d]);
        countries[d][c]++;
        Timestamp t = Timestamp.from(DAY0.plusSeconds(86400L * d + (long) (86399 * random.nextDouble())));
        Integer qv = i < quantities[d].length ? (int) quantities[d][i] : null;
        rows.add(RowFactory.create(t, amounts[d][i], qv, COUNTRIES[c]));
      }
    }
    data = spark.createDataFrame(rows, SCHEMA);
  }

  static int pick(double u, double[] shares) {
    double cum = 0;
    for (int i = 0; i < shares.length; i++) {
      cum += shares[i];
      if (u < cum) {
        return i;
      }
    }
    return shares.length - 1;
  }

  static Map<String, Row> run(DriftSpec spec) {
    Dataset<Row> out = new DriftAnalysis(spec).computePrevious(spark, "demo", "t", data, FROM, TO);
    assertEquals(List.of("job", "window", "window_start", "window_end", "baseline_start", "baseline_end", "column",
        "test", "statistic", "p_value", "dof", "n_window", "n_baseline", "drifted", "note"), Arrays.asList(out.columns()));
    Map<String, Row> rows = new TreeMap<>();
    for (Row r : out.collectAsList()) {
      int day = (int) ((r.getTimestamp(2).toInstant().getEpochSecond() - DAY0.getEpochSecond()) / 86400);
      rows.put(day + "|" + r.getString(6) + "|" + r.getString(7), r);
    }
    return rows;
  }

  @Test
  void numericColumnsMatchCommonsMathKsOnTheRawValues() {
    Map<String, Row> rows = run(DriftSpec.of(List.of("amount"), "day"));
    assertEquals(3 * 3, rows.size(), "3 days x (ks, psi, js)");
    KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
    Row day1 = rows.get("1|amount|ks");
    assertEquals(ks.kolmogorovSmirnovStatistic(amounts[1], amounts[0]), day1.getDouble(8), 1e-12);
    assertEquals(ks.kolmogorovSmirnovTest(amounts[1], amounts[0]), day1.getDouble(9), 1e-9);
    assertEquals(300L, day1.getLong(11));
    assertEquals(200L, day1.getLong(12));
    assertEquals(day1.getDouble(9) < 0.01, day1.getBoolean(13));
    assertEquals(DAY0, day1.getTimestamp(4).toInstant());
    assertEquals(FROM, day1.getTimestamp(5).toInstant());
    assertNull(day1.get(14), "exact: fewer distinct values than exactMaxDistinct");

    // Day 2 is empty; day 3's baseline is the empty day 2.
    for (String test : List.of("ks", "psi", "js")) {
      Row empty = rows.get("2|amount|" + test);
      assertEquals("empty_window", empty.getString(14));
      assertTrue(empty.isNullAt(8) && empty.isNullAt(13));
      assertEquals("empty_baseline", rows.get("3|amount|" + test).getString(14));
      assertEquals(0L, rows.get("3|amount|" + test).getLong(12));
    }
    assertTrue(rows.get("1|amount|psi").getDouble(8) > 0);
    assertTrue(rows.get("1|amount|js").getDouble(8) > 0 && rows.get("1|amount|js").getDouble(8) < 1);
  }

  @Test
  void onAGridKsIsExactUpToTheGridResolution() {
    DriftSpec grid = new DriftSpec(List.of("amount"), "day", null, null, null, null, 10, 200, null, null, null, null);
    Row day1 = run(grid).get("1|amount|ks");
    double exact = new KolmogorovSmirnovTest().kolmogorovSmirnovStatistic(amounts[1], amounts[0]);
    assertEquals("grid", day1.getString(14));
    assertTrue(day1.getDouble(8) <= exact + 1e-12, day1.getDouble(8) + " vs " + exact);
    assertTrue(exact - day1.getDouble(8) < 0.03, day1.getDouble(8) + " vs " + exact);
  }

  @Test
  void tiedValuesGetExactKsAndOneBinPerValue() {
    Map<String, Row> rows = run(DriftSpec.of(List.of("qty"), "day"));
    // ECDFs at 1..4: day 1 .25 .5 .75 1, day 0 .1 .3 .6 1.
    assertEquals(0.2, rows.get("1|qty|ks").getDouble(8), 1e-12);
    assertEquals(new KolmogorovSmirnovTest().kolmogorovSmirnovStatistic(quantities[1], quantities[0]),
        rows.get("1|qty|ks").getDouble(8), 1e-12);
    double[] p = {0.25, 0.25, 0.25, 0.25};
    double[] q = {0.1, 0.2, 0.3, 0.4};
    double psi = 0;
    double js = 0;
    for (int i = 0; i < 4; i++) {
      psi += (p[i] - q[i]) * Math.log(p[i] / q[i]);
      double m = (p[i] + q[i]) / 2;
      js += 0.5 * p[i] * Math.log(p[i] / m) / Math.log(2) + 0.5 * q[i] * Math.log(q[i] / m) / Math.log(2);
    }
    assertEquals(psi, rows.get("1|qty|psi").getDouble(8), 1e-12);
    assertEquals(Math.sqrt(js), rows.get("1|qty|js").getDouble(8), 1e-12);
    assertEquals(psi > 0.2, rows.get("1|qty|psi").getBoolean(13));
    // Nulls (rows past the qty values) are left out.
    assertEquals(100L, rows.get("1|qty|ks").getLong(11));
    assertEquals(100L, rows.get("1|qty|ks").getLong(12));
  }

  @Test
  void categoricalColumnsMatchCommonsMathChiSquare() {
    Map<String, Row> rows = run(DriftSpec.of(List.of("country"), "day"));
    Row chi = rows.get("1|country|chi2");
    ChiSquareTest test = new ChiSquareTest();
    assertEquals(test.chiSquareDataSetsComparison(countries[1], countries[0]), chi.getDouble(8), 1e-9);
    assertEquals(test.chiSquareTestDataSetsComparison(countries[1], countries[0]), chi.getDouble(9), 1e-9);
    assertEquals(4, chi.getInt(10));
    assertEquals(DriftMeasures.psi(countries[1], countries[0]), rows.get("1|country|psi").getDouble(8), 1e-12);
    assertEquals(DriftMeasures.jsDistance(countries[1], countries[0]), rows.get("1|country|js").getDouble(8), 1e-12);
    assertNull(rows.get("2|country|chi2").get(8));
  }

  @Test
  void rareCategoriesArePooled() {
    DriftSpec pooled = new DriftSpec(List.of("country"), "day", null, null, null, null, null, null, 3, null, null, null);
    Row chi = run(pooled).get("1|country|chi2");
    // de and fr are the most frequent overall; it, es and nl become (other).
    long[] w = {countries[1][0], countries[1][1], countries[1][2] + countries[1][3] + countries[1][4]};
    long[] b = {countries[0][0], countries[0][1], countries[0][2] + countries[0][3] + countries[0][4]};
    assertEquals(new ChiSquareTest().chiSquareDataSetsComparison(w, b), chi.getDouble(8), 1e-9);
    assertEquals(2, chi.getInt(10));
  }

  @Test
  void aPinnedReferencePeriodIsTheBaselineOfEveryWindow() {
    DriftSpec spec = new DriftSpec(List.of("amount"), "day", "reference", "2026-03-01", "2026-03-02", null, null,
        null, null, null, null, null);
    Dataset<Row> inRange = data.where("t >= '2026-03-02'");
    Dataset<Row> reference = data.where("t < '2026-03-02'");
    List<Row> ks = new DriftAnalysis(spec).computeReference(spark, "demo", "t", inRange, reference, FROM, TO)
        .where("test = 'ks'").orderBy("window_start").collectAsList();
    KolmogorovSmirnovTest test = new KolmogorovSmirnovTest();
    assertEquals(test.kolmogorovSmirnovStatistic(amounts[1], amounts[0]), ks.get(0).getDouble(8), 1e-12);
    assertEquals("empty_window", ks.get(1).getString(14));
    assertEquals(test.kolmogorovSmirnovStatistic(amounts[3], amounts[0]), ks.get(2).getDouble(8), 1e-12);
    assertEquals(DAY0, ks.get(2).getTimestamp(4).toInstant());
    assertEquals(200L, ks.get(2).getLong(12));
  }

  @Test
  void infinitiesAreValuesAtTheEndsAndNanIsLeftOut() {
    double inf = Double.POSITIVE_INFINITY;
    double[][] days = {{Double.NEGATIVE_INFINITY, 1, 2, 3, Double.NaN}, {2, 3, 4, inf, inf, Double.NaN}};
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < days.length; d++) {
      for (int i = 0; i < days[d].length; i++) {
        rows.add(RowFactory.create(Timestamp.from(DAY0.plusSeconds(86400L * d + 60L * i)), days[d][i], null, "de"));
      }
    }
    Dataset<Row> withInfinities = spark.createDataFrame(rows, SCHEMA);
    Row ks = new DriftAnalysis(DriftSpec.of(List.of("amount"), "day"))
        .computePrevious(spark, "demo", "t", withInfinities, FROM, FROM.plusSeconds(86400))
        .where("test = 'ks'").head();
    double[] window = {2, 3, 4, inf, inf};
    double[] baseline = {Double.NEGATIVE_INFINITY, 1, 2, 3};
    assertEquals(new KolmogorovSmirnovTest().kolmogorovSmirnovStatistic(window, baseline), ks.getDouble(8), 1e-12);
    assertEquals(5L, ks.getLong(11), "NaN left out of the window");
    assertEquals(4L, ks.getLong(12), "NaN left out of the baseline");
  }

  @Test
  void specDefaultsAndErrorsNameTheKey() {
    DriftSpec d = DriftSpec.of(List.of("amount"), null);
    assertEquals("day", d.window());
    assertEquals("previous", d.baseline());
    assertEquals(10, d.bins());
    assertEquals(0.01, d.alpha());
    assertEquals(0.2, d.psiThreshold());
    assertEquals(0.1, d.jsThreshold());
    assertTrue(assertThrows(ConfigException.class, () -> DriftSpec.of(List.of(), null)).getMessage()
        .contains("drift.columns"));
    assertTrue(assertThrows(ConfigException.class, () -> DriftSpec.of(List.of("a"), "all")).getMessage()
        .contains("drift.window"));
    assertTrue(assertThrows(ConfigException.class, () -> new DriftSpec(List.of("a"), null, "reference", null, null,
        null, null, null, null, null, null, null)).getMessage().contains("drift.referenceFrom"));
    assertTrue(assertThrows(ConfigException.class, () -> run(DriftSpec.of(List.of("t"), "day"))).getMessage()
        .contains("drift.columns"));
    assertFalse(assertThrows(ConfigException.class, () -> run(DriftSpec.of(List.of("nope"), "day"))).getMessage()
        .isEmpty());
    // What the runner checks before reading data: numeric, STRING or BOOLEAN columns.
    List<ColumnRequirement> required = new DriftAnalysis(DriftSpec.of(List.of("amount", "country", "t"), "day"))
        .requiredColumns();
    assertEquals(List.of(true, true, false), required.stream()
        .map(r -> r.accepts().test(SCHEMA.apply(r.column()).dataType())).toList());
    assertEquals("drift.columns", required.get(0).key());
  }
}
