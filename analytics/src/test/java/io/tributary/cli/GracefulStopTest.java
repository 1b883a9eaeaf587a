package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.TestSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary ingest} in its own JVM, stopped with SIGTERM in the middle of the stream: the batch in
 * progress finishes, the process exits, and a restart lands the rest, every event exactly once.
 */
class GracefulStopTest {
  private static final int FILES = 5;
  private static final int PER_FILE = 50;

  private final SparkSession spark = TestSpark.get();

  @TempDir Path tmp;

  @Test
  void sigtermFinishesTheCurrentBatchAndARestartLandsTheRest() throws Exception {
    Path shipped = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "conf");
    Path conf = tmp.resolve("conf");
    FileUtils.copyDirectory(shipped.toFile(), conf.toFile());
    Path landing = Files.createDirectories(tmp.resolve("landing"));
    Path pipeline = conf.resolve("pipelines/clickstream.yaml");
    Files.writeString(pipeline, Files.readString(pipeline)
        .replace("path: ./landing/clickstream", "path: " + landing)
        .replace("maxFilesPerTrigger: 50", "maxFilesPerTrigger: 1")
        .replace("interval: 10 seconds", "interval: 1 second"));
    for (int f = 0; f < FILES; f++) {
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < PER_FILE; i++) {
        int n = f * PER_FILE + i;
        lines.append(String.format("{\"event_id\":\"e%d\",\"event_time\":\"2026-03-02T%02d:%02d:00Z\",\"event_type\":\"view\","
            + "\"user_id\":\"u%d\",\"price\":1.50,\"quantity\":1}%n", n, n % 24, n % 60, n % 9));
      }
      Path hidden = landing.resolve(".f" + f);
      Files.writeString(hidden, lines);
      Files.move(hidden, landing.resolve(String.format("f%02d.jsonl", f)), StandardCopyOption.ATOMIC_MOVE);
    }
    String lake = tmp.resolve("lake").toString();
    List<String> args = List.of("ingest", "--config", conf.resolve("tributary.yaml").toString(), "--lake", lake,
        "--pipeline", "clickstream");

    Process child = start(args);
    String ops = lake + "/ops/batches";
    long deadline = System.currentTimeMillis() + 180_000;
    while (batches(ops) < 2 && System.currentTimeMillis() < deadline && child.isAlive()) {
      Thread.sleep(500);
    }
    assertTrue(child.isAlive(), "still ingesting after two batches");
    child.destroy(); // SIGTERM
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "exits after SIGTERM");
    long landed = spark.read().format("delta").load(lake + "/silver/clickstream").count();
    assertTrue(landed < FILES * PER_FILE, "stopped mid-stream, after " + landed + " events");
    assertEquals(0, landed % PER_FILE, "whole batches (one file each) only: " + landed);
    assertEquals(landed, spark.read().format("delta").load(ops).selectExpr("sum(silver_rows)").first().getLong(0));

    Process rest = start(List.of("ingest", "--once", "--config", conf.resolve("tributary.yaml").toString(), "--lake", lake,
        "--pipeline", "clickstream"));
    assertTrue(rest.waitFor(300, TimeUnit.SECONDS), "the --once run finishes");
    assertEquals(0, rest.exitValue());
    var silver = spark.read().format("delta").load(lake + "/silver/clickstream");
    assertEquals(FILES * PER_FILE, silver.count());
    assertEquals(FILES * PER_FILE, silver.select("event_id").distinct().count());
    assertEquals(FILES * PER_FILE, spark.read().format("delta").load(ops).selectExpr("sum(received)").first().getLong(0));
  }

  private long batches(String ops) {
    try {
      return spark.read().format("delta").load(ops).count();
    } catch (Exception notYet) {
      return 0;
    }
  }

  /** The CLI in a child JVM with this JVM's classpath and flags, its output appended to a log file. */
  private Process start(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dlog4j2")).toList());
    cmd.addAll(List.of("-Xmx2g", "-cp", System.getProperty("java.class.path"), Tributary.class.getName()));
    cmd.addAll(args);
    File log = tmp.resolve("child.log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
  }
}
