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
    for (String cmd : List.of("demo", "generate", "ingest", "analyze", "status", "maintain")) {
      assertTrue(top.out().contains(cmd), top.out());
      Result help = run(cmd, "--help");
      assertEquals(0, help.code(), cmd);
      assertTrue(help.out().startsWith("Usage: tributary " + cmd), help.out());
      assertTrue(help.out().lines().count() > 5, help.out());
    }
    assertTrue(run("ingest", "--help").out().contains("--once"));
    assertTrue(run("analyze", "--help").out().contains("--as-of-version"));
  }

  @Test
  void configurationMistakesGiveOneLineThatSaysWhatToFix() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "lake:\n  rot: /tmp/x\n");
    Result r = run("status", "--config", bad.toString());
    assertEquals(2, r.code());
    assertEquals("error: " + bad + ": unknown key 'lake.rot'; valid keys there are [root]", r.err().strip());

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
