package io.tributary.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.MiniHdfs;
import io.tributary.testing.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user runs on a cluster, run for real: {@code scripts/tributary ... --profile yarn} builds the spark-submit
 * command (the shipped conf/tributary.yaml's yarn profile, the application jar from {@code package}) and runs it
 * against a MiniYARNCluster and MiniDFSCluster in this JVM. The lake and the landing directory are on HDFS; the
 * tables the applications wrote are then read here and compared with what the test wrote and computed itself.
 *
 * <p>The only settings added to the shipped profile are those of this one-machine environment ({@link #environment}):
 * where Spark's jars are, and sizes for 2 cores. The tests run in order: the analyses read what the ingest landed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnIT {
  /** The launcher's last line: the application id, then the final status (cluster mode) or the driver's exit code. */
  private static final Pattern SUMMARY =
      Pattern.compile("YARN application (application_\\d+_\\d+)(?: finished: ([A-Z]+)|: the driver exited with code (\\d+))");
  private static final long RUN_TIMEOUT_SECONDS = 240;

  @TempDir static Path work;
  private static MiniHdfs hdfs;
  private static MiniYarn yarn;
  private static SparkDistribution spark;
  private static Path hadoopConf;
  private static Path config;
  private static String lake;
  private static LandingFiles landing;
  private static int runs;

  @BeforeAll
  static void startCluster() throws Exception {
    hdfs = MiniHdfs.start();
    yarn = MiniYarn.start(hdfs.uri());
    hadoopConf = work.resolve("hadoop-conf");
    yarn.writeClientConf(hadoopConf);
    spark = SparkDistribution.write(work.resolve("spark"));
    lake = hdfs.uri() + "/lake";
    // The yarn profile's event log directory must exist, as a History Server's does.
    hdfs.fileSystem().mkdirs(new org.apache.hadoop.fs.Path("/spark-history"));
    landing = LandingFiles.write(hdfs.fileSystem(), hdfs.uri() + "/landing/events");
    config = writeConfig(work.resolve("conf"));
  }

  @AfterAll
  static void stopCluster() {
    if (yarn != null) {
      yarn.close();
    }
    if (hdfs != null) {
      hdfs.close();
    }
  }

  /** The shipped conf/tributary.yaml as it is, with a pipeline and jobs of this test beside it. */
  private static Path writeConfig(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("pipelines"));
    Files.createDirectories(dir.resolve("jobs"));
    Files.copy(BuiltArtifacts.treeRoot().resolve("conf").resolve("tributary.yaml"), dir.resolve("tributary.yaml"));
    Files.writeString(dir.resolve("pipelines").resolve("events.yaml"), """
        name: events
        source:
          directory:
            path: %s
        schema: event_id STRING, event_time TIMESTAMP, user_id STRING, amount DOUBLE, country STRING
        eventId: event_id
        eventTime: event_time
        partitionBy: [event_date]
        rules:
          - id: amount_non_negative
            expr: "amount >= 0"
            message: amount must not be negative
        dedup:
          horizon: 1 day
          onConflict: quarantine
        """.formatted(landing.directory()));
    Files.writeString(dir.resolve("jobs").resolve("amounts.yaml"), """
        name: amounts
        input: silver/events
        timeColumn: event_time
        profile:
          columns: [amount]
          dimensions: [country]
          windows: [day]
        """);
    Files.writeString(dir.resolve("jobs").resolve("no_input.yaml"), """
        name: no_input
        input: silver/never_landed
        timeColumn: event_time
        profile:
          columns: [amount]
        """);
    return dir.resolve("tributary.yaml");
  }

  /**
   * Settings of this environment, not of the product: the Spark jars are already on the only node (a real
   * cluster's Spark uploads its jars or names spark.yarn.archive), and containers are small.
   */
  private static List<String> environment() {
    Map<String, String> conf = new TreeMap<>();
    conf.put("spark.yarn.jars", "local:" + spark.home().resolve("jars-on-every-node.jar"));
    conf.put("spark.driver.extraClassPath", spark.classpath());
    conf.put("spark.executor.extraClassPath", spark.classpath());
    conf.put("spark.driver.memory", "1g");
    conf.put("spark.executor.memory", "1g");
    conf.put("spark.executor.cores", "2");
    conf.put("spark.dynamicAllocation.maxExecutors", "1");
    conf.put("spark.sql.shuffle.partitions", "4");
    // As the local profile does: Delta's 50 snapshot partitions cost seconds per table load on 2 cores.
    conf.put("spark.databricks.delta.snapshotPartitions", "2");
    conf.put("spark.ui.enabled", "false");
    // Drivers and executors listen on loopback only (a cluster-mode driver would take the host's address).
    conf.put("spark.yarn.appMasterEnv.SPARK_LOCAL_IP", "127.0.0.1");
    conf.put("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
    List<String> args = new ArrayList<>();
    conf.forEach((k, v) -> args.addAll(List.of("--set", "spark.profiles.yarn.conf." + k + "=" + v)));
    return args;
  }

  /** Exit code and merged output of one {@code scripts/tributary} run. */
  private record Run(int code, String output) {
    /** The summary line the launcher prints: application id, then the final status or the driver's exit code. */
    Matcher summary() {
      Matcher m = SUMMARY.matcher(output);
      assertTrue(m.find(), () -> "no YARN summary line in:\n" + tail());
      return m;
    }

    String tail() {
      List<String> lines = output.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())) + "\n(exit code " + code + ")";
    }
  }

  /** Runs {@code scripts/tributary ARGS --profile yarn} as a user on the cluster's gateway machine would. */
  private static Run tributary(List<String> extra, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(BuiltArtifacts.treeRoot().resolve("scripts").resolve("tributary").toString());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--config", config.toString(), "--profile", "yarn", "--lake", lake));
    cmd.addAll(environment());
    cmd.addAll(extra);
    // Kept under target/ for whoever reads a failure; one file per run, named by the command.
    Path log = BuiltArtifacts.moduleDir().resolve(Path.of("target", "yarn-it", (++runs) + "-" + args[0] + ".log"));
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("TRIBUTARY_"));
    env.put("TRIBUTARY_NO_BUILD", "1");
    env.put("TRIBUTARY_JAVA_OPTS", "-Xmx512m");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("SPARK_HOME", spark.home().toString());
    env.put("HADOOP_CONF_DIR", hadoopConf.toString());
    env.put("YARN_CONF_DIR", hadoopConf.toString());
    Process p = pb.start();
    if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      throw new AssertionError("tributary " + String.join(" ", args) + " did not finish in " + RUN_TIMEOUT_SECONDS + " s:\n"
          + new Run(-1, Files.readString(log)).tail());
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Asserts a cluster-mode run succeeded, as the command and the ResourceManager both say. */
  private static String assertSucceeded(Run run) {
    Matcher m = run.summary();
    String app = m.group(1);
    String why = run.tail() + "\n" + yarn.containerLogs(app, 40);
    assertEquals("SUCCEEDED", m.group(2), why);
    assertEquals(0, run.code(), why);
    assertEquals(FinalApplicationStatus.SUCCEEDED, yarn.finalStatus(app), why);
    return app;
  }

  private static SparkSession local() {
    return TestSpark.get();
  }

  @Test
  @Order(1)
  void ingestInClusterModeLandsTheHdfsLandingDirectoryExactly() throws Exception {
    Run run = tributary(List.of(), "ingest", "--pipeline", "events", "--once");
    String app = assertSucceeded(run);
    assertTrue(run.output().contains("--deploy-mode cluster"), "the shipped profile's deploy mode");

    // Silver: exactly the valid events, each once, with the values written and the date of their event time.
    Map<String, LandingFiles.Event> silver = new TreeMap<>();
    Map<String, String> dates = new TreeMap<>();
    for (Row r : local().read().format("delta").load(lake + "/silver/events")
        .selectExpr("event_id", "event_time", "user_id", "amount", "country", "cast(event_date AS STRING)").collectAsList()) {
      LandingFiles.Event e = new LandingFiles.Event(r.getString(0), r.getTimestamp(1).toInstant(), r.getString(2), r.getDouble(3),
          r.getString(4));
      assertEquals(null, silver.put(e.id(), e), "twice in silver: " + e.id());
      dates.put(e.id(), r.getString(5));
    }
    assertEquals(landing.expectedSilver(), silver, app);
    landing.events().forEach(e -> assertEquals(e.date().toString(), dates.get(e.id()), e.id()));

    // Quarantine: every bad line, by file and line, with its rule.
    Map<String, String> quarantine = new TreeMap<>();
    for (Row r : local().read().format("delta").load(lake + "/quarantine/events")
        .selectExpr("concat(element_at(split(source, '/'), -1), ':', source_offset)", "errors[0].rule", "errors[0].message")
        .collectAsList()) {
      quarantine.put(r.getString(0), r.getString(1) + " | " + r.getString(2));
    }
    assertEquals(landing.expectedQuarantine().keySet(), quarantine.keySet(), quarantine.toString());
    landing.expectedQuarantine().forEach((where, reason) ->
        assertTrue(quarantine.get(where).startsWith(reason), where + ": " + quarantine.get(where) + ", expected " + reason));

    // Ops: the batches reconcile, and count what was written.
    Row ops = local().read().format("delta").load(lake + "/ops/batches").where("pipeline = 'events'")
        .selectExpr("sum(received)", "sum(silver_rows)", "sum(quarantined)", "sum(duplicates)", "bool_and(reconciled)").first();
    assertEquals(List.of(landing.lines(), (long) landing.events().size(), (long) landing.expectedQuarantine().size(),
        landing.duplicates(), true), List.of(ops.getLong(0), ops.getLong(1), ops.getLong(2), ops.getLong(3), ops.getBoolean(4)));
  }

  @Test
  @Order(2)
  void analyzeInClusterModeWritesTheProfileComputedHere() throws Exception {
    assertSucceeded(tributary(List.of(), "analyze", "--job", "amounts"));
    Map<String, DescriptiveStatistics> expected = new TreeMap<>(landing.amountsBy(e -> "all"));
    expected.putAll(landing.amountsBy(e -> "day " + e.date()));
    expected.putAll(landing.amountsBy(e -> "all country=" + e.country()));
    Map<String, Row> gold = new TreeMap<>();
    for (Row r : local().read().format("delta").load(lake + "/gold/profiles")
        .where("job = 'amounts' AND column = 'amount' AND (slice_key IS NULL OR window = 'all')")
        .selectExpr("concat_ws(' ', if(window = 'all', 'all', concat(window, ' ', cast(cast(window_start AS DATE) AS STRING))), "
            + "concat(slice_key, '=', slice_value))", "window", "count", "mean", "stddev", "min", "max").collectAsList()) {
      assertEquals(null, gold.put(r.getString(0), r), r.getString(0));
    }
    assertEquals(expected.keySet(), gold.keySet());
    expected.forEach((key, stats) -> assertProfile(key, stats, gold.get(key)));
  }

  /** count, mean, stddev (sample), min, max as Commons Math computes them over the values written. */
  private static void assertProfile(String what, DescriptiveStatistics expected, Row row) {
    assertEquals(expected.getN(), row.getLong(2), what);
    assertEquals(expected.getMean(), row.getDouble(3), 1e-12 * Math.abs(expected.getMean()), what);
    assertEquals(expected.getStandardDeviation(), row.getDouble(4), 1e-9 * expected.getStandardDeviation(), what);
    assertEquals(expected.getMin(), ((Number) row.get(5)).doubleValue(), 0, what);
    assertEquals(expected.getMax(), ((Number) row.get(6)).doubleValue(), 0, what);
  }

  @Test
  @Order(3)
  void clientModeRunsTheDriverHereAndReportsItsExitCode() throws Exception {
    Run run = tributary(List.of("--set", "spark.profiles.yarn.deployMode=client"), "status");
    Matcher m = run.summary();
    String why = run.tail() + "\n" + yarn.containerLogs(m.group(1), 40);
    assertEquals("0", m.group(3), why);
    assertEquals(0, run.code(), why);
    assertTrue(run.output().contains("--deploy-mode client"), why);
    assertFalse(run.output().contains("--archives"), "client mode reads the local config: " + why);
    // The application master and the executors ran in YARN, which recorded a clean end.
    assertEquals(FinalApplicationStatus.SUCCEEDED, yarn.finalStatus(m.group(1)), why);
    // What the driver (here) printed: the ingest's one batch and silver's size, from the tables on HDFS.
    assertTrue(run.output().contains("  last batch   #0 finished "), why);
    assertTrue(run.output().contains(": received 3,006, silver 3,000, quarantined 5, duplicates 1\n"), why);
    assertTrue(Pattern.compile("\\n  " + Pattern.quote(lake + "/silver/events") + " +3,000 rows, ").matcher(run.output()).find(), why);
    assertTrue(run.output().contains("  amounts "), why);
  }

  @Test
  @Order(4)
  void aFailedClusterApplicationMakesTheCommandFailWithItsIdAndStatus() throws Exception {
    // One attempt: the production profile's retries of a deterministic failure would only repeat it.
    Run run = tributary(List.of("--set", "spark.profiles.yarn.conf.spark.yarn.maxAppAttempts=1"), "analyze", "--job", "no_input");
    Matcher m = run.summary();
    String app = m.group(1);
    assertEquals("FAILED", m.group(2), run.tail());
    assertNotEquals(0, run.code(), run.tail());
    assertEquals(FinalApplicationStatus.FAILED, yarn.finalStatus(app), run.tail());
    // The driver's own one-line error is in the application's logs, where the README sends the user.
    assertTrue(yarn.containerLogs(app, 400).contains("never_landed"), yarn.containerLogs(app, 60));
  }
}
