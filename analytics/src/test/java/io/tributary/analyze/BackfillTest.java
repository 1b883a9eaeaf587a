package io.tributary.analyze;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.analyze.profile.ProfileAnalysis;
import io.tributary.schedule.Days;
import io.tributary.land.Faults;
import io.tributary.schedule.RunHistory;
import io.tributary.schedule.ScheduledAnalyze;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Day runs and backfills: equal to a full run day by day, and resumable after a failure. */
class BackfillTest {
  private static final LocalDate MONDAY = LocalDate.of(2026, 3, 2);
  private static final String JOB = """
      name: clicks
      input: silver/clickstream
      timeColumn: event_time
      profile:
        columns: [price, quantity, event_type]
        windows: [hour, day]
        topK: 3
      """;

  @TempDir
  Path dir;

  private static TestLake lake(Path dir) {
    TestLake lake = new TestLake(dir);
    lake.writeJob("clicks", JOB);
    lake.append("silver/clickstream", Clickstream.days(MONDAY, 3, 150, 7), Clickstream.SCHEMA);
    return lake;
  }

  private static Dataset<Row> perDay(TestLake lake, String table) {
    return lake.gold(table).where(col("job").equalTo("clicks").and(col("window").isin("hour", "day")));
  }

  private static String runQuietly(TestLake lake, Days days, ScheduledAnalyze.Outcome[] outcome) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    outcome[0] = new ScheduledAnalyze(TestLake.spark(), lake.config(), "clicks",
        new PrintStream(out, true, StandardCharsets.UTF_8)).run(AnalyzeOptions.incremental(), days);
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * A three-day backfill whose third day fails: days one and two are committed, the failure is in the run
   * history, and the same command run again skips the committed days and finishes. Its per-day rows equal a
   * full run's; run once more, it has nothing to do.
   */
  @Test
  void aBackfillResumesAfterAFailureAndEqualsAFullRunDayByDay() {
    TestLake lake = lake(dir.resolve("backfill"));
    Days days = new Days(MONDAY, MONDAY.plusDays(2), true);
    ScheduledAnalyze.Outcome[] outcome = new ScheduledAnalyze.Outcome[1];

    System.setProperty(Faults.PROPERTY, "started:2026-03-04");
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> runQuietly(lake, days, outcome));
      assertEquals("injected fault at started:2026-03-04", e.getMessage());
    } finally {
      System.clearProperty(Faults.PROPERTY);
    }
    RunHistory history = new RunHistory(TestLake.spark(), lake.layout);
    List<Row> afterFailure = history.newestFirst("clicks", false, 10);
    assertEquals(List.of("failed 2026-03-04T00:00:00Z", "succeeded 2026-03-03T00:00:00Z",
        "succeeded 2026-03-02T00:00:00Z"), afterFailure.stream().map(BackfillTest::statusAndDay).toList());
    Row failed = afterFailure.get(0);
    assertEquals("injected fault at started:2026-03-04", failed.getAs("error"));
    assertEquals("backfill", failed.getAs("mode"));
    assertEquals(1, (int) failed.getAs("attempt"));
    Row second = afterFailure.get(1);
    assertEquals(second.<String>getAs("run_id"), lake.gold(ProfileAnalysis.TABLE)
        .where(col("window_start").equalTo(java.sql.Timestamp.valueOf("2026-03-03 00:00:00"))
            .and(col("window").equalTo("day"))).first()
        .<String>getAs("run_id"),
        "the history names the run whose rows the table holds");
    assertTrue(second.<scala.collection.Map<String, Long>>getAs("rows_written").get("profiles").get() > 0);
    assertEquals(0L, (long) second.<scala.collection.Map<String, Long>>getAs("input_versions")
        .get("silver/clickstream").get());
    assertEquals(0L, perDay(lake, ProfileAnalysis.TABLE)
        .where(col("window_start").geq(java.sql.Timestamp.valueOf("2026-03-04 00:00:00"))).count(),
        "nothing of the failed day was published");

    String resumed = runQuietly(lake, days, outcome);
    assertEquals(new ScheduledAnalyze.Outcome(1, 2, 0), outcome[0]);
    assertTrue(resumed.startsWith("analyze clicks: 2026-03-02 already committed by run "), resumed);
    assertTrue(resumed.contains("analyze clicks: 2026-03-03 already committed by run "), resumed);
    assertTrue(resumed.contains("backfill 2026-03-02..2026-03-04: 1 day(s) committed, 2 skipped"), resumed);
    Row retried = history.newestFirst("clicks", false, 10).stream()
        .filter(r -> statusAndDay(r).equals("succeeded 2026-03-04T00:00:00Z")).findFirst().orElseThrow();
    assertEquals(2, (int) retried.getAs("attempt"), "the third day's second attempt");

    runQuietly(lake, days, outcome);
    assertTrue(outcome[0].idle(), "every day is committed: nothing to do");
    assertEquals(new ScheduledAnalyze.Outcome(0, 3, 0), outcome[0]);

    TestLake full = lake(dir.resolve("full"));
    AnalyzeRunner.run(TestLake.spark(), full.config(), "clicks", AnalyzeOptions.fullRecompute());
    assertEquals(3 * 3, perDay(full, ProfileAnalysis.TABLE).where(col("window").equalTo("day")).count());
    AnalyzeRunnerTest.assertSameNumbers(perDay(full, ProfileAnalysis.TABLE).collectAsList(),
        perDay(lake, ProfileAnalysis.TABLE).collectAsList());
  }

  private static String statusAndDay(Row r) {
    return r.getAs("status") + " " + r.<java.sql.Timestamp>getAs("window_start").toInstant();
  }

  /**
   * A day run covers its day, widened to the Monday of its week when weekly windows are configured; a day
   * without events, or an incremental run over an unchanged input, has nothing to do.
   */
  @Test
  void aDayRunReplacesItsDayAndSaysWhenItHasNoEvents() {
    TestLake lake = lake(dir);
    lake.writeJob("clicks", JOB.replace("windows: [hour, day]", "windows: [day, week]"));
    RunSummary wednesday = AnalyzeRunner.run(TestLake.spark(), lake.config(), "clicks",
        AnalyzeOptions.day(MONDAY.plusDays(2)));
    assertEquals(Instant.parse("2026-03-02T00:00:00Z"), wednesday.from());
    assertEquals(Instant.parse("2026-03-05T00:00:00Z"), wednesday.to());
    List<Row> weeks = lake.gold(ProfileAnalysis.TABLE).where(col("window").equalTo("week")
        .and(col("column").equalTo("price"))).collectAsList();
    assertEquals(1, weeks.size());
    assertEquals(450L, (long) weeks.get(0).<Long>getAs("count") + (long) weeks.get(0).<Long>getAs("null_count"),
        "the week so far: three days of 150 events");

    RunSummary again = AnalyzeRunner.run(TestLake.spark(), lake.config(), "clicks",
        AnalyzeOptions.day(MONDAY.plusDays(2)));
    assertEquals(wednesday.goldRows(), again.goldRows(), "re-running a day replaces its rows");
    assertEquals(List.of(again.runId()), lake.gold(ProfileAnalysis.TABLE).where(col("window").equalTo("day"))
        .select("run_id").distinct().collectAsList().stream().map(r -> r.getString(0)).toList());

    RunSummary sunday = AnalyzeRunner.run(TestLake.spark(), lake.config(), "clicks",
        AnalyzeOptions.day(MONDAY.plusDays(6)));
    assertTrue(sunday.empty());
    assertEquals("silver/clickstream version 0 has no rows on 2026-03-08", sunday.nothingToDo());

    // The last day run covered the input's last day at its current version: an incremental run has nothing new.
    RunSummary incremental = AnalyzeRunner.run(TestLake.spark(), lake.config(), "clicks",
        AnalyzeOptions.incremental());
    assertEquals("silver/clickstream version 0 has not changed since run " + again.runId(),
        incremental.nothingToDo());
  }
}
