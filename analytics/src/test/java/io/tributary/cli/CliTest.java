package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: help, one-line errors, and the spark-submit hand-off. */
class CliTest {
  @TempDir Path tmp;

  /** Exit code, stdout, stderr. */
  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = Tributary.execute(args);
      return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static String shippedConfig() {
    return Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "conf", "tributary.yaml").toString();
  }

  @Test
  void everyCommandExplainsItself() {
    Result top = run("--help");
    assertEquals(0, top.code());
    for (String cmd : List.of("demo", "generate", "ingest", "analyze", "status", "maintain", "validate")) {
      assertTrue(top.out().contains(cmd), top.out());
      Result help = run(cmd, "--help");
      assertEquals(0, help.code(), cmd);
      assertTrue(help.out().startsWith("Usage: tributary " + cmd), help.out());
      assertTrue(help.out().lines().count() > 5, help.out());
    }
    assertTrue(run("ingest", "--help").out().contains("--once"));
    assertTrue(run("analyze", "--help").out().contains("--as-of-version"));
    assertTrue(run("generate", "--help").out().contains("--file-prefix"));
    // The top-level help promises the lake options only where they exist.
    assertFalse(run("generate", "--help").out().contains("--config"));
    assertTrue(top.out().contains("Commands that use the lake (all but generate)"), top.out());
  }

  /** A conf directory with the shipped pipeline and job plus {@code extra} pipeline files. */
  private Path confWith(String badPipeline) throws Exception {
    Path shipped = Path.of(shippedConfig()).getParent();
    Path conf = tmp.resolve("conf");
    Files.createDirectories(conf.resolve("pipelines"));
    Files.createDirectories(conf.resolve("jobs"));
    Files.copy(shipped.resolve("tributary.yaml"), conf.resolve("tributary.yaml"));
    Files.copy(shipped.resolve("pipelines/clickstream.yaml"), conf.resolve("pipelines/clickstream.yaml"));
    Files.copy(shipped.resolve("jobs/clickstream.yaml"), conf.resolve("jobs/clickstream.yaml"));
    if (badPipeline != null) {
      Files.writeString(conf.resolve("pipelines/bad.yaml"), badPipeline);
    }
    return conf;
  }

  private static final String MONEY = "name: bad\nsource: {directory: {path: /x}}\nschema: id STRING, ts TIMESTAMP, price MONEY\n"
      + "eventId: id\neventTime: ts\n";

  @Test
  void validateChecksEveryFileWithoutSparkAndSaysWhichFailed() throws Exception {
    Result shipped = run("validate", "--config", shippedConfig());
    assertEquals(0, shipped.code(), shipped.out() + shipped.err());
    assertTrue(shipped.out().lines().allMatch(l -> l.startsWith("OK     ")), shipped.out());
    assertEquals(3, shipped.out().lines().count(), shipped.out());

    Path conf = confWith(MONEY);
    Result r = run("validate", "--config", conf.resolve("tributary.yaml").toString());
    assertEquals(2, r.code(), r.out());
    List<String> lines = r.out().lines().toList();
    assertEquals("OK     " + conf.resolve("tributary.yaml"), lines.get(0));
    assertEquals("ERROR  " + conf.resolve("pipelines/bad.yaml") + ", line 3: schema does not parse: Unsupported data type "
        + "\"MONEY\" (at character 32); use Spark SQL types such as STRING, BIGINT, DOUBLE, DECIMAL(10,2), BOOLEAN, DATE, "
        + "TIMESTAMP", lines.get(1));
    assertEquals("OK     " + conf.resolve("pipelines/clickstream.yaml"), lines.get(2));
    assertEquals("OK     " + conf.resolve("jobs/clickstream.yaml"), lines.get(3));
    assertEquals(4, lines.size(), r.out());
  }

  @Test
  void commandsValidateEveryFileBeforeSparkStarts() throws Exception {
    Path conf = confWith(MONEY);
    // Without the early check, status would start Spark and then report the missing lake.
    Result r = run("status", "--config", conf.resolve("tributary.yaml").toString(), "--lake", tmp.resolve("nowhere").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("error: " + conf.resolve("pipelines/bad.yaml") + ", line 3: schema does not parse"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void aLocalDryRunIsRefusedWhereItWouldRunForReal() {
    Result r = run("ingest", "--config", shippedConfig(), "--lake", tmp.toString(), "--once", "--dry-run");
    assertEquals(2, r.code(), r.err());
    assertEquals("error: --dry-run with the local profile is not supported by `ingest`: it would run for real; use "
        + "--dry-run with a cluster profile (--profile yarn) to print the spark-submit command", r.err().strip());
  }

  @Test
  void runtimeProblemsAreOneLineWithTheFix() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Result lake = run("ingest", "--config", shippedConfig(), "--lake", file.resolve("lake").toString(), "--once");
    assertEquals(2, lake.code(), lake.err());
    assertEquals("error: cannot write the lake at " + file.resolve("lake") + " (lake.root): " + file + " is a file, not a "
        + "directory; choose a writable directory with --lake or lake.root in the config file", lake.err().strip());

    Path landing = tmp.resolve("landing");
    String[] generate = {"generate", "--to", "dir", "--path", landing.toString(), "--days", "1", "--events-per-day", "50"};
    assertEquals(0, run(generate).code());
    Result again = run(generate);
    assertEquals(2, again.code(), again.err());
    assertEquals("error: " + landing + " already holds generated files (events-00000.jsonl): use an empty directory, or "
        + "add --file-prefix NAME (e.g. --file-prefix events2) so the new files sit beside them", again.err().strip());
    List<String> args = new java.util.ArrayList<>(List.of(generate));
    args.addAll(List.of("--file-prefix", "events2"));
    Result second = run(args.toArray(String[]::new));
    assertEquals(0, second.code(), second.err());
    assertTrue(Files.exists(landing.resolve("events-00000.jsonl")) && Files.exists(landing.resolve("events2-00000.jsonl")));
    assertTrue(Files.exists(tmp.resolve("landing-ground-truth.json")) && Files.exists(tmp.resolve("landing-events2-ground-truth.json")));

    Failures.Line kafka = Failures.describe(new java.io.IOException("Sending to Kafka topic t at 127.0.0.1:1 failed",
        new org.apache.kafka.common.errors.TimeoutException("Topic t not present in metadata after 60000 ms.")));
    assertEquals("error: Kafka did not answer (Topic t not present in metadata after 60000 ms.): check that the brokers in "
        + "the pipeline's source.kafka.bootstrapServers (or generate's --bootstrap-servers) are running and reachable", kafka.text());
    Failures.Line denied = Failures.describe(new RuntimeException(new java.nio.file.AccessDeniedException("/data/lake/bronze")));
    assertEquals("error: permission denied on /data/lake/bronze: make it writable, or choose another lake with --lake "
        + "(or lake.root in the config file)", denied.text());
    Failures.Line other = Failures.describe(new IllegalStateException("boom"));
    assertEquals("failed: boom (--verbose prints the details)", other.text());
    assertFalse(other.userError());
  }

  @Test
  void configurationMistakesGiveOneLineThatSaysWhatToFix() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "lake:\n  rot: /tmp/x\n");
    Result r = run("status", "--config", bad.toString());
    assertEquals(2, r.code());
    assertEquals("error: " + bad + ", line 2: unknown key 'lake.rot'; valid keys there are [root]", r.err().strip());

    Result missingLake = run("status", "--config", shippedConfig(), "--lake", tmp.resolve("nowhere").toString());
    assertEquals(2, missingLake.code());
    assertTrue(missingLake.err().startsWith("error: lake " + tmp.resolve("nowhere") + " does not exist yet: run"), missingLake.err());
    assertEquals(1, missingLake.err().strip().lines().count(), missingLake.err());

    Result noJob = run("analyze", "--config", shippedConfig(), "--lake", tmp.toString(), "--job", "nope");
    assertEquals(2, noJob.code());
    assertTrue(noJob.err().contains("no analysis job named 'nope'"), noJob.err());

    Result unsafe = run("maintain", "--config", shippedConfig(), "--lake", tmp.toString(), "--retention-hours", "1");
    assertEquals(2, unsafe.code());
    assertTrue(unsafe.err().contains("below the safe minimum of 168.0 h"), unsafe.err());
  }

  @Test
  void printConfigShowsTheLayeredResultWithSecretsMasked() {
    Result r = run("status", "--config", shippedConfig(), "--lake", "/data/lake", "--set", "spark.profiles.local.conf.spark.sql.shuffle.partitions=7",
        "--print-config");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("root: /data/lake"), r.out());
    assertTrue(r.out().contains("spark.sql.shuffle.partitions: 7"), r.out());
    assertFalse(r.out().contains("null"), r.out());
    assertTrue(r.out().contains("name: clickstream"), r.out());
  }

  @Test
  void aClusterProfileBecomesASparkSubmitCommand() {
    Result local = run("ingest", "--config", shippedConfig(), "--profile", "yarn", "--dry-run");
    assertEquals(2, local.code());
    assertTrue(local.err().contains("is a local path, which cluster nodes cannot share"), local.err());

    Result yarn = run("ingest", "--config", shippedConfig(), "--profile", "yarn", "--lake", "hdfs://nn:8020/lake",
        "--pipeline", "clickstream", "--once", "--dry-run");
    assertEquals(0, yarn.code(), yarn.err());
    String cmd = yarn.out().strip();
    assertTrue(cmd.startsWith("spark-submit --master yarn --deploy-mode cluster --name tributary --class io.tributary.cli.Tributary"), cmd);
    assertTrue(cmd.contains("'spark.driver.extraJavaOptions=--add-opens=java.base/java.lang=ALL-UNNAMED"), cmd);
    assertTrue(cmd.contains("--conf spark.executor.instances=2"), cmd);
    assertTrue(cmd.contains("--archives '<conf.zip>#tributary-conf'") || cmd.contains("--archives <conf.zip>#tributary-conf"), cmd);
    assertTrue(cmd.matches(".*analytics/target/tributary-analytics-[^ ]+-app\\.jar ingest --profile yarn --lake hdfs://nn:8020/lake "
        + "--pipeline clickstream --once --config tributary-conf/tributary.yaml$"), cmd);

    List<String> args = SparkSubmitLauncher.argsForCluster(List.of("ingest", "--config", "x.yaml", "--once", "--dry-run", "--profile", "yarn"));
    assertEquals(List.of("ingest", "--once", "--profile", "yarn", "--config", "tributary-conf/tributary.yaml"), args);
  }
}
