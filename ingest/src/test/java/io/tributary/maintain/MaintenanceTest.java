package io.tributary.maintain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.tributary.config.ConfigException;
import io.tributary.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maintenance against real local Delta tables: its numbers are Delta's, its retention applies, a dry run is dry. */
class MaintenanceTest {
  /** 36 ms: short enough that files dropped a second before the run are due, with --allow-short-retention. */
  private static final double SHORT_RETENTION_HOURS = 1e-5;

  @TempDir Path tmp;
  private final SparkSession spark = TestSpark.get();

  /**
   * Three small files that were overwritten (their tombstones are a second old by the time maintenance runs),
   * then three small files in the current snapshot that compaction can merge into one.
   */
  private String tableWithDroppedAndSmallFiles() throws InterruptedException {
    String path = tmp.resolve("t").toString();
    for (int i = 0; i < 3; i++) {
      spark.range(i * 10, i * 10 + 10).write().format("delta").mode("append").save(path);
    }
    spark.range(100, 110).write().format("delta").mode("overwrite").save(path);
    for (int i = 0; i < 2; i++) {
      spark.range(200 + i * 10, 210 + i * 10).write().format("delta").mode("append").save(path);
    }
    Thread.sleep(1000);
    return path;
  }

  private Set<String> dataFiles(String path) throws IOException {
    try (Stream<Path> s = Files.list(Path.of(path))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private Set<String> liveFiles(String path) {
    return DeltaTable.forPath(spark, path).toDF().inputFiles().length == 0 ? Set.of()
        : Stream.of(DeltaTable.forPath(spark, path).toDF().inputFiles()).map(f -> f.substring(f.lastIndexOf('/') + 1))
            .collect(Collectors.toCollection(TreeSet::new));
  }

  private long version(String path) {
    return DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0);
  }

  /** The operation metric {@code key} of the newest commit of {@code operation}. */
  private long logMetric(String path, String operation, String key) {
    Row r = DeltaTable.forPath(spark, path).history().where("operation = '" + operation + "'")
        .orderBy(org.apache.spark.sql.functions.col("version").desc()).select("operationMetrics").first();
    Map<String, String> m = r.getJavaMap(0);
    return Long.parseLong(m.get(key));
  }

  @Test
  void reportsTheFilesDeltaCompactedAndVacuumedAndAppliesTheRetention() throws Exception {
    String path = tableWithDroppedAndSmallFiles();
    Set<String> before = dataFiles(path);
    Set<String> liveBefore = liveFiles(path);
    assertEquals(6, before.size());
    assertEquals(3, liveBefore.size());

    Maintenance.Result r = new Maintenance(spark).run(path, List.of(), SHORT_RETENTION_HOURS, true);

    assertEquals(logMetric(path, "OPTIMIZE", "numRemovedFiles"), r.filesRemoved());
    assertEquals(logMetric(path, "OPTIMIZE", "numAddedFiles"), r.filesAdded());
    assertEquals(logMetric(path, "VACUUM END", "numDeletedFiles"), r.filesVacuumed());
    assertEquals(3, r.filesRemoved());
    assertEquals(1, r.filesAdded());
    // The overwritten files were dropped a second ago: with the 36 ms retention they are gone. Delta ignores a
    // non-zero RETAIN unless told not to, and would have kept them for its default seven days.
    Set<String> overwritten = new TreeSet<>(before);
    overwritten.removeAll(liveBefore);
    Set<String> after = dataFiles(path);
    for (String f : overwritten) {
      assertFalse(after.contains(f), f + " should have been vacuumed; left: " + after);
    }
    assertTrue(r.filesVacuumed() >= 3, "vacuumed " + r.filesVacuumed());
    assertEquals(before.size() + 1 - r.filesVacuumed(), after.size(), "files on disk: " + after);
    assertTrue(after.containsAll(liveFiles(path)));
    assertEquals(30, spark.read().format("delta").load(path).count());
    for (String key : List.of(Maintenance.RETENTION_CHECK, Maintenance.VACUUM_LOGGING, Maintenance.RETENTION_WINDOW_IGNORE)) {
      assertTrue(spark.conf().getAll().get(key).isEmpty(), key + " is restored to unset");
    }
  }

  @Test
  void theDefaultRetentionKeepsRecentlyDroppedFiles() throws Exception {
    String path = tableWithDroppedAndSmallFiles();
    Maintenance.Result r = new Maintenance(spark).run(path, List.of(), Maintenance.MIN_RETENTION_HOURS, false);
    assertEquals(0, r.filesVacuumed());
    assertEquals(0, logMetric(path, "VACUUM END", "numDeletedFiles"));
    assertEquals(7, dataFiles(path).size(), "six written files plus the compacted one");
  }

  @Test
  void aDryRunListsWhatItWouldDoAndChangesNothing() throws Exception {
    String path = tableWithDroppedAndSmallFiles();
    long version = version(path);
    Set<String> before = dataFiles(path);
    Set<String> overwritten = new TreeSet<>(before);
    overwritten.removeAll(liveFiles(path));

    Maintenance.DryRun d = new Maintenance(spark).dryRun(path, List.of(), SHORT_RETENTION_HOURS, true);

    assertEquals(version, version(path), "no commit");
    assertEquals(before, dataFiles(path), "no file written or deleted");
    assertEquals(3, d.compaction().files());
    assertEquals(1, d.compaction().partitions());
    assertEquals(overwritten, d.vacuumFiles().stream().map(f -> f.substring(f.lastIndexOf('/') + 1))
        .collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void refusesAShortRetentionUnlessAllowed() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new Maintenance(spark).run(tmp.resolve("none").toString(), List.of(), 1.0, false));
    assertTrue(e.getMessage().startsWith("VACUUM retention 1.0 h is below the safe minimum of 168.0 h"), e.getMessage());
  }
}
