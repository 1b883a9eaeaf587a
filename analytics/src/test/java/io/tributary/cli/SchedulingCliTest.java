package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.analyze.Clickstream;
import io.tributary.analyze.TestLake;
import io.tributary.land.Faults;
import io.tributary.schedule.LeaseHolder;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze} as a scheduler sees it: each exit code, a backfill resumed after a failure, the run history
 * printed by {@code runs}, and the lock held by another process (a child JVM), then taken over once that process
 * was killed and its lease expired.
 */
class SchedulingCliTest {
  private static final LocalDate MONDAY = LocalDate.of(2026, 3, 2);
  private static final String JOB = """
      name: clicks
      input: silver/clickstream
      timeColumn: event_time
      profile:
        columns: [price, event_type]
        windows: [day]
      """;

  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      return new Result(Tributary.execute(args), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private String[] analyze(String... more) {
    List<String> args = new ArrayList<>(List.of("analyze", "--config", dir.resolve("tributary.yaml").toString(),
        "--lake", dir.resolve("lake").toString(), "--job", "clicks"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private String[] runs(String... more) {
    List<String> args = new ArrayList<>(List.of("runs", "--config", dir.resolve("tributary.yaml").toString(),
        "--lake", dir.resolve("lake").toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void exitCodesBackfillResumeRunHistoryAndTheLock() throws Exception {
    Files.copy(Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "conf", "tributary.yaml"),
        dir.resolve("tributary.yaml"));
    TestLake lake = new TestLake(dir);
    lake.writeJob("clicks", JOB);
    lake.append("silver/clickstream", Clickstream.days(MONDAY, 2, 40, 3), Clickstream.SCHEMA);

    Result usage = run(analyze("--dat", "2026-03-02"));
    assertEquals(2, usage.code(), usage.err());
    assertEquals(2, run(analyze("--date", "2026-13-01")).code());
    Result help = run("analyze", "--help");
    assertTrue(help.out().contains("Exit codes: 0 done, 1 failed, 2 invalid command line or configuration,\n"
        + "75 another run of the job holds its lock, 99 nothing to do."), help.out());

    Result day = run(analyze("--date", "2026-03-02"));
    assertEquals(0, day.code(), day.err());
    assertTrue(day.out().contains("over [2026-03-02T00:00:00Z, 2026-03-03T00:00:00Z)"), day.out());

    Result empty = run(analyze("--date", "2026-03-09"));
    assertEquals(99, empty.code(), empty.err());
    assertTrue(empty.out().contains("analyze clicks: silver/clickstream version 0 has no rows on 2026-03-09; "
        + "nothing to do"), empty.out());

    System.setProperty(Faults.PROPERTY, "started:2026-03-03");
    Result failed;
    try {
      failed = run(analyze("--from", "2026-03-02", "--to", "2026-03-03"));
    } finally {
      System.clearProperty(Faults.PROPERTY);
    }
    assertEquals(1, failed.code(), failed.err());
    assertEquals("failed: injected fault at started:2026-03-03 (--verbose prints the details)\n", failed.err());
    assertTrue(failed.out().contains("analyze clicks: 2026-03-02 already committed by run "), failed.out());

    Result resumed = run(analyze("--from", "2026-03-02", "--to", "2026-03-03"));
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("1 day(s) committed, 1 skipped"), resumed.out());
    Result done = run(analyze("--from", "2026-03-02", "--to", "2026-03-03"));
    assertEquals(99, done.code(), done.out());

    Result history = run(runs("--job", "clicks"));
    assertEquals(0, history.code(), history.err());
    List<String> lines = history.out().lines().toList();
    assertTrue(lines.stream().allMatch(l -> l.length() <= 80), history.out());
    assertTrue(lines.get(0).matches("STARTED \\(UTC\\) +JOB +WINDOW +# +STATUS +SECS"), lines.get(0));
    // Newest first: the resumed day, the failed attempt of the same day, the empty day, the first day.
    List<String> summaries = lines.stream().filter(l -> l.matches("\\d{4}-.*"))
        .map(l -> l.replaceAll("^\\S+ \\S+ +", "").replaceAll(" +\\d+$", "").replaceAll(" +", " ")).toList();
    assertEquals(List.of("clicks 2026-03-03 2 succeeded", "clicks 2026-03-03 1 failed",
        "clicks 2026-03-09 1 nothing_to_do", "clicks 2026-03-02 1 succeeded"), summaries, history.out());
    assertTrue(lines.get(2).startsWith("  backfill; rows: profiles 4; silver/clickstream v0"), history.out());
    assertEquals("  backfill; error: injected fault at started:2026-03-03", lines.get(4), history.out());
    Result failedOnly = run(runs("--failed", "--limit", "5"));
    assertEquals(3, failedOnly.out().lines().count(), failedOnly.out());

    // Another process holds the job's lock: the run does not start, and says who holds it.
    String lease = lake.layout.lease("clicks");
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LeaseHolder.class.getName(), lease, "clicks", "2")
        .redirectErrorStream(true).start();
    try {
      String pid = awaitHeld(holder);
      Thread.sleep(2_500); // past the first expiry: the holder renews it
      Result locked = run(analyze("--date", "2026-03-02"));
      assertEquals(75, locked.code(), locked.err());
      assertTrue(locked.err().matches("locked: job clicks is being run by \\S+ pid " + pid + " \\(tributary analyze "
          + "--job clicks, since \\S+, lease expires at \\S+\\); this run did not start\\. .*\n"), locked.err());
      assertEquals(1, locked.err().lines().count());
    } finally {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    // Killed without releasing: once its lease expires the next run takes it over and says so.
    Thread.sleep(2_500);
    Result tookOver = run(analyze("--date", "2026-03-02"));
    assertEquals(0, tookOver.code(), tookOver.err());
    assertTrue(tookOver.err().contains("note: took over the lock of job clicks from "), tookOver.err());
    assertTrue(Files.notExists(Path.of(lease)), "released at the end");
  }

  /**
   * A backfill process killed (halted as by SIGKILL) between its days leaves its first day committed and its
   * lease behind; once the lease expires, the same command takes the lock over and finishes only the rest.
   */
  @Test
  void aBackfillKilledBetweenDaysResumesWhereItStopped() throws Exception {
    Files.copy(Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "conf", "tributary.yaml"),
        dir.resolve("tributary.yaml"));
    TestLake lake = new TestLake(dir);
    lake.writeJob("clicks", JOB);
    lake.append("silver/clickstream", Clickstream.days(MONDAY, 2, 40, 3), Clickstream.SCHEMA);
    String[] backfill = analyze("--from", "2026-03-02", "--to", "2026-03-03", "--lease-ttl", "2s");

    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dlog4j2")).toList());
    cmd.addAll(List.of("-Xmx1g", "-D" + Faults.PROPERTY + "=started:2026-03-03!", "-cp",
        System.getProperty("java.class.path"), Tributary.class.getName()));
    cmd.addAll(List.of(backfill));
    Path log = dir.resolve("killed.log");
    Process killed = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(killed.waitFor(5, TimeUnit.MINUTES), "the child finished");
    String childOut = Files.readString(log);
    assertEquals(137, killed.exitValue(), childOut);
    assertTrue(Files.exists(Path.of(lake.layout.lease("clicks"))), "a killed run leaves its lease");

    Thread.sleep(2_500); // past the lease's expiry
    Result resumed = run(backfill);
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.err().contains("note: took over the lock of job clicks from "), resumed.err());
    assertTrue(resumed.out().contains("analyze clicks: 2026-03-02 already committed by run "), resumed.out());
    assertTrue(resumed.out().contains("backfill 2026-03-02..2026-03-03: 1 day(s) committed, 1 skipped"),
        resumed.out());
    // Each day's rows are published once, by one run: the killed process's day and the resumed run's day.
    List<Row> days = lake.gold("profiles").where("window = 'day' AND column = 'price'")
        .orderBy("window_start").collectAsList();
    assertEquals(List.of("2026-03-02", "2026-03-03"), days.stream()
        .map(r -> r.<java.sql.Timestamp>getAs("window_start").toInstant().toString().substring(0, 10)).toList());
    assertTrue(days.stream().allMatch(r -> r.<Long>getAs("count") + r.<Long>getAs("null_count") == 40L),
        days.toString());
    assertTrue(!days.get(0).getAs("run_id").equals(days.get(1).getAs("run_id")), "two runs, one per day");
  }

  private static String awaitHeld(Process p) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      if (line.startsWith("held ")) {
        return line.substring(5).trim();
      }
      seen.add(line);
    }
    throw new AssertionError("the holder exited: " + seen);
  }
}
