package io.tributary.analyze.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.analyze.AnalysisContext;
import io.tributary.analyze.AnalysisResult;
import io.tributary.analyze.Clickstream;
import io.tributary.analyze.JobConfig;
import io.tributary.analyze.TestLake;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileAnalysisTest {
  /** A Sunday: two days of data cross a week boundary. */
  private static final LocalDate SUNDAY = LocalDate.of(2026, 3, 8);

  @TempDir
  Path dir;

  private static Instant at(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static JobConfig job(String name, String time, ProfileSpec spec) {
    return JobConfig.of(name, "silver/test", time, spec);
  }

  private static List<Row> compute(TestLake lake, JobConfig job, List<Row> rows, StructType schema, Instant from,
      Instant to, boolean full) {
    Dataset<Row> input = TestLake.spark().createDataFrame(rows, schema);
    AnalysisContext ctx = lake.context(job, input, from, to, full);
    AnalysisResult result = new ProfileAnalysis(job.section(ProfileSpec.class)).compute(ctx);
    List<Row> gold = result.get(ProfileAnalysis.TABLE).collectAsList();
    lake.commitState(ctx, result);
    return gold;
  }

  private static Row row(List<Row> gold, String window, String column) {
    List<Row> found = gold.stream().filter(r -> r.getAs("window").equals(window) && r.getAs("column").equals(column)
        && r.getAs("slice_key") == null).toList();
    assertEquals(1, found.size(), window + " row of " + column);
    return found.get(0);
  }

  @Test
  void profilesMatchCommonsMathForEveryWindowAndSlice() {
    TestLake lake = new TestLake(dir);
    List<Row> data = Clickstream.days(SUNDAY, 2, 400, 7);
    List<String> columns = List.of("price", "quantity", "event_type", "country", "device", "category");
    List<String> dims = List.of("country", "device");
    ProfileSpec spec = new ProfileSpec(columns, dims, List.of("hour", "day", "week"), null, 3);
    // The range starts on a Sunday, so the first week is clipped to it.
    Instant from = at(SUNDAY);
    Instant to = at(SUNDAY.plusDays(2));

    List<Row> gold = compute(lake, job("clicks", "event_time", spec), data, Clickstream.SCHEMA, from, to, true);

    new ProfileOracle(Clickstream.SCHEMA, "event_time", columns, dims, List.of("hour", "day", "week"), 3)
        .assertGold(gold, data, from, to);
    assertEquals(StructType.fromDDL("job STRING NOT NULL, window STRING NOT NULL, window_start TIMESTAMP, "
            + "window_end TIMESTAMP, slice_key STRING, slice_value STRING, column STRING, count BIGINT, "
            + "null_count BIGINT, null_rate DOUBLE, distinct_approx BIGINT, mean DOUBLE, variance DOUBLE, "
            + "stddev DOUBLE, min DOUBLE, max DOUBLE, sum_exact DECIMAL(38,18), mean_exact DECIMAL(38,18), "
            + "sum_exact_error STRING, "
            + "quantiles ARRAY<STRUCT<p: DOUBLE, value: DOUBLE>>, skewness DOUBLE, kurtosis DOUBLE, "
            + "top_values ARRAY<STRUCT<value: STRING, count: BIGINT>>").simpleString(),
        new StructType(gold.get(0).schema().fields()).simpleString());
  }

  @Test
  void emptyInputGivesNoRows() {
    TestLake lake = new TestLake(dir);
    ProfileSpec spec = new ProfileSpec(List.of("price", "country"), List.of("device"), List.of("day", "week"), null,
        null);
    List<Row> gold = compute(lake, job("empty", "event_time", spec), List.of(), Clickstream.SCHEMA, at(SUNDAY),
        at(SUNDAY.plusDays(1)), true);
    assertEquals(List.of(), gold);
  }

  @Test
  void allNullColumnAndSingleRow() {
    TestLake lake = new TestLake(dir);
    StructType schema = StructType.fromDDL("t TIMESTAMP, x DOUBLE, s STRING, d DECIMAL(10,2), none DOUBLE, "
        + "nothing STRING");
    Instant t = at(SUNDAY).plus(Duration.ofHours(10));
    List<Row> data = List.of(RowFactory.create(Timestamp.from(t), 3.5, "a", new BigDecimal("0.10"), null, null));
    List<String> columns = List.of("x", "s", "d", "none", "nothing");
    ProfileSpec spec = new ProfileSpec(columns, List.of(), List.of("day"), null, null);

    List<Row> gold = compute(lake, job("single", "t", spec), data, schema, at(SUNDAY), at(SUNDAY.plusDays(1)), true);

    new ProfileOracle(schema, "t", columns, List.of(), List.of("day"), 10)
        .assertGold(gold, data, at(SUNDAY), at(SUNDAY.plusDays(1)));
    Row x = row(gold, "all", "x");
    assertEquals(1L, (long) x.getAs("count"));
    assertEquals(3.5, (double) x.getAs("mean"));
    assertNull(x.getAs("variance"), "no sample variance of one value");
    assertNull(x.getAs("skewness"));
    assertEquals(List.of(3.5, 3.5, 3.5, 3.5, 3.5),
        x.<Row>getList(x.fieldIndex("quantiles")).stream().map(q -> q.getDouble(1)).toList());
    Row none = row(gold, "all", "none");
    assertEquals(0L, (long) none.getAs("count"));
    assertEquals(1L, (long) none.getAs("null_count"));
    assertEquals(1.0, (double) none.getAs("null_rate"));
    assertEquals(0L, (long) none.getAs("distinct_approx"));
    assertNull(none.getAs("mean"));
    assertNull(none.getAs("quantiles"));
    Row nothing = row(gold, "all", "nothing");
    assertEquals(List.of(), nothing.getList(nothing.fieldIndex("top_values")));
    Row d = row(gold, "all", "d");
    assertEquals(new BigDecimal("0.100000000000000000"), d.getAs("sum_exact"));
  }

  /**
   * NaN and ±Infinity are values, not nulls: counted, making the moments NaN, ordered by Spark's double ordering
   * for min/max (NaN is the largest), skipped (NaN) or kept (infinities) by the quantile sketch.
   */
  @Test
  void nanAndInfinityAreValuesThatMakeTheMomentsNaN() {
    TestLake lake = new TestLake(dir);
    StructType schema = StructType.fromDDL("t TIMESTAMP, v DOUBLE, w DOUBLE");
    double[] vs = {1, 2, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3};
    double[] ws = {1, 2, Double.POSITIVE_INFINITY, 4, 5, 6};
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < vs.length; i++) {
      data.add(RowFactory.create(Timestamp.from(at(SUNDAY).plus(Duration.ofHours(i))), vs[i], ws[i]));
    }
    ProfileSpec spec = new ProfileSpec(List.of("v", "w"), List.of(), List.of("hour", "day"), null, null);

    List<Row> gold = compute(lake, job("nan", "t", spec), data, schema, at(SUNDAY), at(SUNDAY.plusDays(1)), true);

    for (String window : List.of("day", "all")) {
      Row v = row(gold, window, "v");
      assertEquals(6L, (long) v.getAs("count"));
      assertEquals(0L, (long) v.getAs("null_count"));
      for (String f : List.of("mean", "variance", "stddev", "skewness", "kurtosis")) {
        assertTrue(Double.isNaN(v.getAs(f)), f + " is NaN");
      }
      assertEquals(Double.NEGATIVE_INFINITY, (double) v.getAs("min"));
      assertTrue(Double.isNaN(v.getAs("max")), "NaN is the largest double in Spark's ordering");
      List<Double> q = v.<Row>getList(v.fieldIndex("quantiles")).stream().map(r -> r.getDouble(1)).toList();
      assertEquals(Double.NEGATIVE_INFINITY, q.get(0));
      assertEquals(2.0, q.get(2));
      assertEquals(Double.POSITIVE_INFINITY, q.get(4));
      assertEquals(6L, (long) v.getAs("distinct_approx"));
      Row w = row(gold, window, "w");
      assertTrue(Double.isNaN(w.getAs("mean")), "a mean with an infinity is NaN here");
      assertEquals(1.0, (double) w.getAs("min"));
      assertEquals(Double.POSITIVE_INFINITY, (double) w.getAs("max"));
    }
    // Hours without a non-finite value are unaffected.
    Row firstHour = gold.stream().filter(r -> r.getAs("window").equals("hour") && r.getAs("column").equals("v")
        && ((Timestamp) r.getAs("window_start")).toInstant().equals(at(SUNDAY))).findFirst().orElseThrow();
    assertEquals(1.0, (double) firstHour.getAs("mean"));
  }

  /**
   * 1,001 values around 1e6 with a spread of 0.1: the sum-of-squares formula loses most digits of the standard
   * deviation; the profile keeps at least 9 significant digits, computed in one go and merged from stored days.
   */
  @Test
  void illConditionedValuesKeepNineSignificantDigitsFullAndMerged() {
    TestLake lake = new TestLake(dir);
    StructType schema = StructType.fromDDL("t TIMESTAMP, x DOUBLE");
    Random r = new Random(42);
    List<Row> data = new ArrayList<>();
    double[] xs = new double[1001];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = 1e6 + (r.nextDouble() - 0.5) * 0.1;
      Instant t = at(SUNDAY).plus(Duration.ofSeconds((long) (r.nextDouble() * 3 * 86_400)));
      data.add(RowFactory.create(Timestamp.from(t), xs[i]));
    }
    double exactStddev = exactStddev(xs);
    double naive = naiveStddev(xs);
    assertTrue(relativeError(naive, exactStddev) > 1e-6, "the data defeats the naive formula: " + naive);

    ProfileSpec spec = new ProfileSpec(List.of("x"), List.of(), List.of("hour", "day", "week"), null, null);
    JobConfig job = job("illcond", "t", spec);
    Instant from = at(SUNDAY);
    Instant day3 = at(SUNDAY.plusDays(2));
    Instant to = at(SUNDAY.plusDays(3));

    // Full: the first two days in one go.
    List<Row> firstTwoDays = data.stream().filter(x -> ((Timestamp) x.get(0)).toInstant().isBefore(day3)).toList();
    double[] firstTwo = firstTwoDays.stream().mapToDouble(x -> x.getDouble(1)).toArray();
    Row full = row(compute(lake, job, firstTwoDays, schema, from, day3, true), "all", "x");
    assertTrue(relativeError(full.getAs("stddev"), exactStddev(firstTwo)) < 5e-10,
        "full: " + full.getAs("stddev") + " vs exact " + exactStddev(firstTwo));

    // Incremental: day 2 (again) and day 3 from the data, merged with the stored state of day 1.
    List<Row> gold = compute(lake, job, data, schema, from, to, false);
    Row merged = row(gold, "all", "x");
    assertTrue(relativeError(merged.getAs("stddev"), exactStddev) < 5e-10,
        "merged: " + merged.getAs("stddev") + " vs exact " + exactStddev);
    new ProfileOracle(schema, "t", List.of("x"), List.of(), List.of("hour", "day", "week"), 10)
        .assertGold(gold, data, from, to);
    // Day 1 was not recomputed: its state is still the first run's.
    Map<Instant, String> runByDay = TestLake.spark().read().format("delta")
        .load(lake.layout.state("illcond") + "/profile_day").collectAsList().stream()
        .collect(Collectors.toMap(s -> ((Timestamp) s.getAs("start")).toInstant(), s -> s.getAs("run_id")));
    assertEquals(3, runByDay.size(), "one state per day: " + runByDay);
    assertNotEquals(runByDay.get(from), runByDay.get(day3));
    assertEquals(runByDay.get(at(SUNDAY.plusDays(1))), runByDay.get(day3));
  }

  @Test
  void decimalSumsAndMeansStayExact() {
    TestLake lake = new TestLake(dir);
    StructType schema = StructType.fromDDL("t TIMESTAMP, price DECIMAL(10,2)");
    List<Row> data = new ArrayList<>();
    double doubleSum = 0;
    for (int i = 0; i < 3000; i++) {
      BigDecimal price = i % 3 == 2 ? new BigDecimal("0.01") : new BigDecimal("0.10");
      doubleSum += price.doubleValue();
      data.add(RowFactory.create(Timestamp.from(at(SUNDAY).plus(Duration.ofSeconds(i * 57L))), price));
    }
    assertTrue(doubleSum != 210.0, "summing doubles is not exact: " + doubleSum);
    ProfileSpec spec = new ProfileSpec(List.of("price"), List.of(), List.of("day", "week"), null, null);

    List<Row> gold = compute(lake, job("money", "t", spec), data, schema, at(SUNDAY), at(SUNDAY.plusDays(2)), true);

    Row all = row(gold, "all", "price");
    assertEquals(new BigDecimal("210.000000000000000000"), all.getAs("sum_exact"));
    assertEquals(new BigDecimal("0.070000000000000000"), all.getAs("mean_exact"));
    new ProfileOracle(schema, "t", List.of("price"), List.of(), List.of("day", "week"), 10)
        .assertGold(gold, data, at(SUNDAY), at(SUNDAY.plusDays(2)));
  }

  /**
   * A DECIMAL(20,12) column keeps its scale (32 values of 1e-12 sum to 3.2e-11, not 0); a sum that needs more
   * than 20 integer digits, here only when hours are merged into the day, is null with the reason, as is any sum
   * of a column with a scale above 18; the other columns and windows are unaffected and the run does not fail.
   */
  @Test
  void decimalSumsKeepTheColumnsScaleAndSayWhenTheyCannotBeRepresented() {
    TestLake lake = new TestLake(dir);
    StructType schema = StructType.fromDDL("t TIMESTAMP, tiny DECIMAL(20,12), big DECIMAL(38,0), fine DECIMAL(30,20)");
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      BigDecimal big = i < 2 ? new BigDecimal("60000000000000000000") : null;
      data.add(RowFactory.create(Timestamp.from(at(SUNDAY).plus(Duration.ofHours(i % 2 == 0 ? 1 : 2))),
          new BigDecimal("0.000000000001"), big, new BigDecimal("0.00000000000000000001")));
    }
    ProfileSpec spec = new ProfileSpec(List.of("tiny", "big", "fine"), List.of(), List.of("hour", "day"), null,
        null);

    List<Row> gold = compute(lake, job("decimals", "t", spec), data, schema, at(SUNDAY), at(SUNDAY.plusDays(1)),
        true);

    Row tiny = row(gold, "all", "tiny");
    assertEquals(new BigDecimal("0.000000000032000000"), tiny.getAs("sum_exact"));
    assertEquals(new BigDecimal("0.000000000001000000"), tiny.getAs("mean_exact"));
    assertNull(tiny.getAs("sum_exact_error"));
    for (String window : List.of("day", "all")) {
      Row big = row(gold, window, "big");
      assertNull(big.getAs("sum_exact"), window);
      assertNull(big.getAs("mean_exact"), window);
      assertEquals("the sum needs more than 20 integer digits", big.getAs("sum_exact_error"), window);
      assertEquals(2L, (long) big.getAs("count"));
      assertEquals(6e19, (double) big.getAs("mean"), "the DOUBLE moments are still there");
      Row fine = row(gold, window, "fine");
      assertNull(fine.getAs("sum_exact"));
      assertEquals("scale 20 is above 18, the most an exact sum keeps", fine.getAs("sum_exact_error"));
    }
    Row firstHour = gold.stream().filter(r -> r.getAs("window").equals("hour") && r.getAs("column").equals("big")
        && ((Timestamp) r.getAs("window_start")).toInstant().equals(at(SUNDAY).plus(Duration.ofHours(1))))
        .findFirst().orElseThrow();
    assertEquals(new BigDecimal("60000000000000000000.000000000000000000"), firstHour.getAs("sum_exact"),
        "an hour's sum fits");
  }

  private static double exactStddev(double[] xs) {
    MathContext mc = MathContext.DECIMAL128;
    BigDecimal sum = BigDecimal.ZERO;
    for (double x : xs) {
      sum = sum.add(new BigDecimal(x));
    }
    BigDecimal mean = sum.divide(BigDecimal.valueOf(xs.length), mc);
    BigDecimal m2 = BigDecimal.ZERO;
    for (double x : xs) {
      BigDecimal d = new BigDecimal(x).subtract(mean);
      m2 = m2.add(d.multiply(d, mc));
    }
    return m2.divide(BigDecimal.valueOf(xs.length - 1), mc).sqrt(mc).doubleValue();
  }

  private static double naiveStddev(double[] xs) {
    double sum = 0;
    double squares = 0;
    for (double x : xs) {
      sum += x;
      squares += x * x;
    }
    return Math.sqrt(Math.max(0, (squares - sum * sum / xs.length) / (xs.length - 1)));
  }

  private static double relativeError(Object actual, double exact) {
    return Math.abs((Double) actual - exact) / exact;
  }
}
