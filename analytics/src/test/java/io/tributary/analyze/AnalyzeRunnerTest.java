package io.tributary.analyze;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.analyze.profile.ProfileAnalysis;
import io.tributary.analyze.profile.ProfileOracle;
import io.tributary.analyze.profile.ProfileSpec;
import io.tributary.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeRunnerTest {
  private static final LocalDate THURSDAY = LocalDate.of(2026, 3, 5);
  private static final Instant MONDAY = Instant.parse("2026-03-02T00:00:00Z");
  private static final List<String> COLUMNS = List.of("price", "quantity", "event_type", "country");
  private static final String JOB = """
      name: clicks
      input: silver/clickstream
      timeColumn: event_time
      profile:
        columns: [price, quantity, event_type, country]
        dimensions: [device]
        windows: [hour, day, week]
        topK: 5
      correlation:
        columns: [price, quantity]
      """;

  @TempDir
  Path dir;

  private static Instant at(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static List<Row> goldRows(TestLake lake, String table) {
    return lake.gold(table).where(col("job").equalTo("clicks")).collectAsList();
  }

  /**
   * Three days, an incremental run, two more days (crossing a week boundary), another incremental run: the
   * same numbers as a full recomputation. Re-running does not duplicate rows, and a run pinned to the first
   * input version reproduces the first run.
   */
  @Test
  void incrementalRunsMatchAFullRecomputeAndPinnedRunsReproduceEarlierOnes() {
    TestLake lake = new TestLake(dir);
    lake.writeJob("clicks", JOB);
    List<Row> firstDays = Clickstream.days(THURSDAY, 3, 300, 11);
    lake.append("silver/clickstream", firstDays, Clickstream.SCHEMA);
    var spark = TestLake.spark();

    RunSummary first = AnalyzeRunner.run(spark, lake.config(), "clicks", AnalyzeOptions.incremental());
    assertTrue(first.full(), "a job's first run computes everything");
    assertEquals(MONDAY, first.from(), "the range starts on the week's Monday (weekly windows)");
    assertEquals(at(THURSDAY.plusDays(3)), first.to());
    assertEquals(0L, first.inputVersion());
    assertEquals(12L, first.goldRows().get("correlations"), "3 methods x 2 x 2");
    String printed = print(first);
    assertTrue(printed.startsWith("analyze clicks: full run " + first.runId() + " over [2026-03-02T00:00:00Z, "
        + "2026-03-08T00:00:00Z) of silver/clickstream version 0"), printed);
    assertTrue(printed.matches("(?s).*gold/correlations +12 rows.*"), printed);
    List<Row> firstGold = goldRows(lake, ProfileAnalysis.TABLE);
    assertEquals(first.goldRows().get(ProfileAnalysis.TABLE), (long) firstGold.size());

    List<Row> moreDays = Clickstream.days(THURSDAY.plusDays(3), 2, 300, 11);
    lake.append("silver/clickstream", moreDays, Clickstream.SCHEMA);
    List<Row> all = new ArrayList<>(firstDays);
    all.addAll(moreDays);

    RunSummary second = AnalyzeRunner.run(spark, lake.config(), "clicks", AnalyzeOptions.incremental());
    assertFalse(second.full());
    assertEquals(1L, second.inputVersion());
    assertEquals(MONDAY, second.from());
    assertEquals(at(THURSDAY.plusDays(5)), second.to());
    // Only Saturday (the last day before) and the new days were computed from the data; Thursday and Friday
    // are still the first run's states.
    Map<Instant, String> runByDay = spark.read().format("delta").load(lake.layout.state("clicks") + "/profile_day")
        .where(col("slice_key").isNull().and(col("column").equalTo("price"))).collectAsList().stream()
        .collect(Collectors.toMap(r -> ((Timestamp) r.getAs("start")).toInstant(), r -> r.getAs("run_id")));
    assertEquals(first.runId(), runByDay.get(at(THURSDAY)));
    assertEquals(first.runId(), runByDay.get(at(THURSDAY.plusDays(1))));
    assertEquals(second.runId(), runByDay.get(at(THURSDAY.plusDays(2))));
    assertEquals(second.runId(), runByDay.get(at(THURSDAY.plusDays(4))));
    List<Row> incremental = goldRows(lake, ProfileAnalysis.TABLE);
    List<Row> incrementalCorrelations = goldRows(lake, "correlations");

    // Recomputing the same range replaces its rows: nothing is duplicated (keys() rejects duplicate windows).
    RunSummary full = AnalyzeRunner.run(spark, lake.config(), "clicks", AnalyzeOptions.fullRecompute());
    assertTrue(full.full());
    assertEquals(second.from(), full.from());
    List<Row> recomputed = goldRows(lake, ProfileAnalysis.TABLE);
    assertEquals(incremental.size(), recomputed.size());
    assertEquals(12, goldRows(lake, "correlations").size());

    var oracle = new ProfileOracle(Clickstream.SCHEMA, "event_time", COLUMNS, List.of("device"),
        List.of("hour", "day", "week"), 5);
    oracle.assertGold(recomputed, all, full.from(), full.to());
    oracle.assertGold(incremental, all, second.from(), second.to());
    assertSameNumbers(incremental, recomputed);
    assertSameCorrelations(incrementalCorrelations, goldRows(lake, "correlations"));
    assertTrue(recomputed.stream().allMatch(r -> r.<scala.collection.Map<String, Long>>getAs("input_versions")
        .get("silver/clickstream").get() == 1L), "rows record the input version");

    // Pinned to version 0, the first three days come out as the first run computed them, in a reproduction
    // area; the current results and the state later incremental runs build on are left alone.
    List<Row> currentBefore = goldRows(lake, ProfileAnalysis.TABLE);
    RunSummary pinned = AnalyzeRunner.run(spark, lake.config(), "clicks", AnalyzeOptions.asOfVersion(0));
    assertEquals(0L, pinned.inputVersion());
    assertTrue(print(pinned).contains("results written under " + lake.layout.forReproduction("clicks", 0).results()),
        print(pinned));
    assertEquals(first.from(), pinned.from());
    assertEquals(first.to(), pinned.to());
    String reproduction = lake.layout.forReproduction("clicks", 0).gold(ProfileAnalysis.TABLE);
    List<Row> reproduced = TestLake.spark().read().format("delta").load(reproduction).collectAsList();
    assertSameNumbers(firstGold, reproduced);
    assertSameNumbers(currentBefore, goldRows(lake, ProfileAnalysis.TABLE));
    RunSummary afterPinned = AnalyzeRunner.run(spark, lake.config(), "clicks", AnalyzeOptions.incremental());
    assertFalse(afterPinned.full(), "the pinned run did not reset incremental progress");
  }

  /**
   * Three runs over growing data, the third of which first fails between two table publishes, then is killed
   * between them (no rollback in process), then succeeds. The failure leaves every table as it was; the kill is
   * rolled back by the next run; the tables then equal those of a lake where nothing failed, row by row. After
   * the incremental runs each table holds exactly one 'all' row set per job, and the profiles' equals a full
   * run's.
   */
  @Test
  void aRunFailedOrKilledWhilePublishingLeavesNoRowsAndItsReRunEqualsACleanRun() {
    TestLake lake = new TestLake(dir.resolve("failing"));
    TestLake clean = new TestLake(dir.resolve("clean"));
    var spark = TestLake.spark();
    for (TestLake l : List.of(lake, clean)) {
      l.writeJob("clicks", JOB);
      l.append("silver/clickstream", Clickstream.days(THURSDAY, 3, 200, 11), Clickstream.SCHEMA);
      AnalyzeRunner.run(spark, l.config(), "clicks", AnalyzeOptions.incremental());
      l.append("silver/clickstream", Clickstream.days(THURSDAY.plusDays(3), 3, 200, 12), Clickstream.SCHEMA);
      AnalyzeRunner.run(spark, l.config(), "clicks", AnalyzeOptions.incremental());
      l.append("silver/clickstream", Clickstream.days(THURSDAY.plusDays(6), 2, 200, 13), Clickstream.SCHEMA);
    }
    List<String> tables = List.of(ProfileAnalysis.TABLE, "correlations");
    Map<String, List<String>> before = new java.util.HashMap<>();
    tables.forEach(t -> before.put(t, content(lake.gold(t))));
    String dayStates = lake.layout.state("clicks") + "/profile_day";
    List<String> statesBefore = content(spark.read().format("delta").load(dayStates));

    // Fails after the state tables and gold/profiles were published, before gold/correlations.
    RunCommit.Hook failAtCorrelations = target -> {
      if (target.endsWith("/gold/correlations")) {
        throw new IllegalStateException("injected failure");
      }
    };
    assertThrows(IllegalStateException.class, () -> AnalyzeRunner.run(spark, lake.config(), "clicks",
        AnalyzeOptions.incremental(), failAtCorrelations));
    tables.forEach(t -> assertEquals(before.get(t), content(lake.gold(t)), t + " is as before the failed run"));
    assertEquals(statesBefore, content(spark.read().format("delta").load(dayStates)));

    // Killed at the same point: nothing in the process rolls back, so gold/profiles shows the run for now.
    RunCommit.Hook killAtCorrelations = target -> {
      if (target.endsWith("/gold/correlations")) {
        throw new Killed();
      }
    };
    assertThrows(Killed.class, () -> AnalyzeRunner.run(spark, lake.config(), "clicks",
        AnalyzeOptions.incremental(), killAtCorrelations));
    assertTrue(!before.get(ProfileAnalysis.TABLE).equals(content(lake.gold(ProfileAnalysis.TABLE))));

    // The next run rolls the killed one back first, then runs as the clean lake's third run did.
    RunSummary rerun = AnalyzeRunner.run(spark, lake.config(), "clicks", AnalyzeOptions.incremental());
    RunSummary third = AnalyzeRunner.run(spark, clean.config(), "clicks", AnalyzeOptions.incremental());
    assertEquals(third.from(), rerun.from());
    assertEquals(Instant.parse("2026-03-09T00:00:00Z"), rerun.from(), "the third run starts in the second week");
    Map<String, Long> statuses = runStatuses(lake).stream().collect(Collectors.groupingBy(x -> x,
        Collectors.counting()));
    assertEquals(Map.of("publishing", 5L, "committed", 3L, "rolled_back", 2L), statuses);
    assertSameNumbers(goldRows(clean, ProfileAnalysis.TABLE), goldRows(lake, ProfileAnalysis.TABLE));
    assertSameCorrelations(goldRows(clean, "correlations"), goldRows(lake, "correlations"));
    assertEquals(content(clean.gold("correlations").drop("value", "run_id")),
        content(lake.gold("correlations").drop("value", "run_id")));

    // One 'all' row set per table: profiles' covers everything since the first Monday, as a full run's does;
    // correlations' the third run's range.
    List<Row> allProfiles = lake.gold(ProfileAnalysis.TABLE).where(col("window").equalTo("all")).collectAsList();
    assertEquals(java.util.Set.of(Timestamp.from(MONDAY)), allProfiles.stream().map(r -> r.getAs("window_start"))
        .collect(Collectors.toSet()));
    List<Row> allCorrelations = goldRows(lake, "correlations");
    assertEquals(12, allCorrelations.size());
    assertTrue(allCorrelations.stream().allMatch(r -> r.getAs("window_start").equals(Timestamp.from(rerun.from()))));
    AnalyzeRunner.run(spark, clean.config(), "clicks", AnalyzeOptions.fullRecompute());
    assertSameNumbers(allProfiles, clean.gold(ProfileAnalysis.TABLE).where(col("window").equalTo("all"))
        .collectAsList());
  }

  private static List<String> runStatuses(TestLake lake) {
    return TestLake.spark().read().format("delta").load(RunLog.path(lake.layout, "clicks"))
        .select("status").collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  /** Stands for the process being killed: not a RuntimeException, so nothing in the run handles it. */
  private static final class Killed extends Error {}

  /** A table's rows as sorted JSON strings (sketches in base64), without the run's time and code version. */
  static List<String> content(org.apache.spark.sql.Dataset<Row> table) {
    return table.drop("run_time", "code_version")
        .select(org.apache.spark.sql.functions.to_json(org.apache.spark.sql.functions.struct(col("*"))))
        .collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }

  @Test
  void theDemoJobRunsEverySection() {
    JobConfig demo = JobLoader.load(Path.of("../conf/jobs/clickstream.yaml"));
    assertEquals("clickstream", demo.name());
    assertEquals(List.of("profile", "correlation", "events", "drift", "anomaly"), Analyses.forJob(demo).stream().map(Analysis::name).toList());
    assertEquals(TimeGrain.WEEK, Analyses.alignment(demo));
    assertEquals(List.of(TimeGrain.HOUR, TimeGrain.DAY, TimeGrain.WEEK, TimeGrain.ALL), demo.section(ProfileSpec.class).grains());
  }

  @Test
  void configuredColumnsMustExistAndHaveASuitableType() {
    TestLake lake = new TestLake(dir);
    lake.append("silver/clickstream", Clickstream.day(THURSDAY, 10, 1), Clickstream.SCHEMA);
    var spark = TestLake.spark();

    lake.writeJob("clicks", JOB.replace("[price, quantity, event_type, country]", "[prise, quantity]"));
    String missing = assertThrows(ConfigException.class,
        () -> AnalyzeRunner.run(spark, lake.config(), "clicks", AnalyzeOptions.incremental())).getMessage();
    assertTrue(missing.startsWith("job clicks: column 'prise' is not in silver/clickstream; columns: [event_id, "
        + "event_time, event_type, user_id, session_id, country, device, product_id, category, price, quantity, "
        + "event_date]; fix 'profile.columns'"), missing);

    lake.writeJob("clicks", JOB.replace("columns: [price, quantity]", "columns: [price, country]"));
    String type = assertThrows(ConfigException.class,
        () -> AnalyzeRunner.run(spark, lake.config(), "clicks", AnalyzeOptions.incremental())).getMessage();
    assertTrue(type.startsWith("job clicks: column 'country' is STRING, correlation needs a numeric column; "
        + "fix 'correlation.columns'"), type);

    lake.writeJob("clicks", JOB.replace("timeColumn: event_time", "timeColumn: event_date"));
    String time = assertThrows(ConfigException.class,
        () -> AnalyzeRunner.run(spark, lake.config(), "clicks", AnalyzeOptions.incremental())).getMessage();
    assertTrue(time.startsWith("job clicks: column 'event_date' is DATE, timeColumn needs a TIMESTAMP column"), time);
  }

  @Test
  void aMissingInputTableSaysHowToCreateIt() {
    TestLake lake = new TestLake(dir);
    lake.writeJob("clicks", JOB);
    ConfigException e = assertThrows(ConfigException.class,
        () -> AnalyzeRunner.run(TestLake.spark(), lake.config(), "clicks", AnalyzeOptions.incremental()));
    assertEquals("input table silver/clickstream does not exist under lake " + lake.root
        + ": run `tributary ingest --pipeline clickstream` (or `tributary demo`) first", e.getMessage());
  }

  @Test
  void anEmptyInputHasNothingToAnalyse() {
    TestLake lake = new TestLake(dir);
    lake.writeJob("clicks", JOB);
    lake.append("silver/clickstream", List.of(), Clickstream.SCHEMA);

    RunSummary s = AnalyzeRunner.run(TestLake.spark(), lake.config(), "clicks", AnalyzeOptions.incremental());

    assertTrue(s.empty());
    assertEquals(Map.of(), s.goldRows());
    assertTrue(print(s).contains("has no rows; nothing to analyse"), print(s));
  }

  @Test
  void theInputIsPinnedToALatestOrRequestedVersion() {
    TestLake lake = new TestLake(dir);
    lake.writeJob("clicks", JOB);
    lake.append("silver/clickstream", Clickstream.day(THURSDAY, 5, 1), Clickstream.SCHEMA);
    lake.append("silver/clickstream", Clickstream.day(THURSDAY, 5, 2), Clickstream.SCHEMA);
    var spark = TestLake.spark();
    JobConfig job = JobLoader.find(lake.jobs, "clicks");
    List<Row> history = io.delta.tables.DeltaTable.forPath(spark, lake.root + "/silver/clickstream").history()
        .orderBy("version").select("version", "timestamp").collectAsList();
    Instant v0 = history.get(0).getTimestamp(1).toInstant();
    Instant v1 = history.get(1).getTimestamp(1).toInstant();

    assertEquals(1L, InputSnapshot.open(spark, lake.layout, job, AnalyzeOptions.incremental()).version());
    InputSnapshot pinned = InputSnapshot.open(spark, lake.layout, job, AnalyzeOptions.asOfVersion(0));
    assertEquals(0L, pinned.version());
    assertEquals(5L, pinned.rows().count());
    if (v1.isAfter(v0)) {
      assertEquals(0L, InputSnapshot.open(spark, lake.layout, job, new AnalyzeOptions(false, null, v0.toString()))
          .version());
    }
    assertEquals(1L, InputSnapshot.open(spark, lake.layout, job, new AnalyzeOptions(false, null, v1.toString()))
        .version());
    String tooNew = assertThrows(ConfigException.class,
        () -> InputSnapshot.open(spark, lake.layout, job, AnalyzeOptions.asOfVersion(7))).getMessage();
    assertEquals("--as-of-version 7: silver/clickstream has versions up to 1", tooNew);
    String tooOld = assertThrows(ConfigException.class, () -> InputSnapshot.open(spark, lake.layout, job,
        new AnalyzeOptions(false, null, "2001-01-01"))).getMessage();
    assertTrue(tooOld.startsWith("--as-of-timestamp 2001-01-01T00:00:00Z is before the oldest version"), tooOld);
    assertThrows(ConfigException.class, () -> new AnalyzeOptions(false, 1L, "2026-01-01"));
  }

  private static String print(RunSummary s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    s.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Map<List<Object>, Row> keys(List<Row> gold) {
    return gold.stream().collect(Collectors.toMap(
        r -> List.of(r.getAs("window"), r.getAs("window_start"), String.valueOf(r.<String>getAs("slice_key")),
            String.valueOf(r.<String>getAs("slice_value")), r.getAs("column")),
        Function.identity()));
  }

  /**
   * Exact for counts, nulls, min, max, exact sums and top values; 1e-9 relative for moments (1e-7 for skewness
   * and kurtosis); distinct counts within the HLL error (a union's estimate depends on the merge order).
   */
  static void assertSameNumbers(List<Row> expected, List<Row> actual) {
    Map<List<Object>, Row> e = keys(expected);
    Map<List<Object>, Row> a = keys(actual);
    assertEquals(e.keySet(), a.keySet(), "the same windows, slices and columns");
    e.forEach((k, x) -> {
      Row y = a.get(k);
      long distinctX = x.getAs("distinct_approx");
      long distinctY = y.getAs("distinct_approx");
      assertTrue(Math.abs(distinctX - distinctY) <= Math.max(1, 0.03 * distinctX),
          "distinct_approx of " + k + ": " + distinctX + " vs " + distinctY);
      for (String f : List.of("count", "null_count", "null_rate", "min", "max", "sum_exact", "mean_exact",
          "top_values")) {
        assertEquals(String.valueOf(x.<Object>getAs(f)), String.valueOf(y.<Object>getAs(f)), f + " of " + k);
      }
      for (String f : List.of("mean", "variance", "stddev", "skewness", "kurtosis")) {
        Double dx = x.getAs(f);
        Double dy = y.getAs(f);
        assertEquals(dx == null, dy == null, f + " of " + k);
        if (dx != null) {
          boolean higher = f.equals("skewness") || f.equals("kurtosis");
          double tolerance = higher ? 1e-7 * Math.max(Math.abs(dx), 1) : 1e-9 * Math.abs(dx);
          assertTrue(Math.abs(dx - dy) <= tolerance, f + " of " + k + ": " + dx + " vs " + dy);
        }
      }
    });
  }

  private static void assertSameCorrelations(List<Row> expected, List<Row> actual) {
    assertEquals(expected.size(), actual.size());
    Map<String, Row> byKey = actual.stream().collect(Collectors.toMap(
        r -> r.getAs("method") + "/" + r.getAs("column_x") + "/" + r.getAs("column_y"), Function.identity()));
    for (Row x : expected) {
      Row y = byKey.get(x.getAs("method") + "/" + x.getAs("column_x") + "/" + x.getAs("column_y"));
      assertEquals((long) x.getAs("n"), (long) y.getAs("n"));
      assertEquals((double) x.getAs("value"), (double) y.getAs("value"), 1e-9);
    }
  }
}
