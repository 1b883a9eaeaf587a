package io.tributary.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.land.Faults;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.BatchMetrics;
import io.tributary.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * De-duplication within a horizon on event time (duplicates counted, conflicting copies quarantined, copies
 * beyond the horizon kept), and a crash between the table commits of a batch: the replay completes the batch
 * and the ops table then reports exactly what every table holds.
 */
class DedupAndRecoveryTest {
  private final SparkSession spark = TestSpark.get();

  @TempDir Path tmp;

  private PipelineConfig pipeline(Path landing, String extra) throws IOException {
    Path file = tmp.resolve("meters.yaml");
    Files.writeString(file, """
        name: meters
        source:
          directory:
            path: %s
            maxFilesPerTrigger: 1
        schema: id STRING, at TIMESTAMP, kwh DOUBLE
        eventId: id
        eventTime: at
        %s
        """.formatted(landing, extra));
    return PipelineLoader.load(file);
  }

  private static void drop(Path landing, String name, String... lines) throws IOException {
    Path tmpFile = landing.resolve("." + name);
    Files.writeString(tmpFile, String.join("\n", lines) + "\n");
    Files.move(tmpFile, landing.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String reading(String id, String at, double kwh) {
    return "{\"id\":\"%s\",\"at\":\"%s\",\"kwh\":%s}".formatted(id, at, kwh);
  }

  private List<BatchMetrics> runOnce(LakeLayout layout, PipelineConfig p) throws Exception {
    List<BatchMetrics> batches = new ArrayList<>();
    StreamingQuery q = new IngestRunner(spark, layout, batches::add).start(p, true);
    q.awaitTermination();
    return batches;
  }

  /** silver as "id@date" -> kwh. */
  private Map<String, Double> silver(LakeLayout layout, PipelineConfig p) {
    Map<String, Double> out = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.silver(p)).selectExpr("concat(id, '@', event_date)", "kwh")
        .collectAsList()) {
      assertTrue(out.put(r.getString(0), r.getDouble(1)) == null, "twice in silver: " + r);
    }
    return out;
  }

  private Map<String, String> quarantine(LakeLayout layout, PipelineConfig p) {
    Map<String, String> out = new TreeMap<>();
    spark.read().format("delta").load(layout.quarantine(p))
        .selectExpr("concat(element_at(split(source, '/'), -1), ':', source_offset)", "errors[0].rule")
        .collectAsList().forEach(r -> out.put(r.getString(0), r.getString(1)));
    return out;
  }

  @Test
  void duplicatesWithinTheHorizonAreCountedAndConflictingCopiesQuarantined() throws Exception {
    Path landing = Files.createDirectories(tmp.resolve("landing"));
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    PipelineConfig p = pipeline(landing, "dedup: {horizon: 1 day}");

    drop(landing, "1.jsonl",
        reading("a", "2026-03-02T10:00:00Z", 1.0),
        reading("b", "2026-03-02T23:59:00Z", 2.0),
        reading("c", "2026-03-01T08:00:00Z", 3.0),
        reading("a", "2026-03-02T10:00:00Z", 1.0));      // line 4: same content in the same batch: duplicate
    drop(landing, "2.jsonl",
        reading("a", "2026-03-02T10:00:00Z", 1.0),       // line 1: duplicate of silver
        reading("b", "2026-03-03T00:01:00Z", 2.0),       // line 2: next day, within the horizon, other time: conflict
        reading("a", "2026-03-02T10:00:00Z", 9.0),       // line 3: same id and time, other value: conflict
        reading("c", "2026-03-05T08:00:00Z", 3.0),       // line 4: four days later, beyond the horizon: a new event
        reading("d", "2026-03-02T12:00:00Z", 4.0),       // line 5: new
        reading("d", "2026-03-02T12:00:00Z", 4.5));      // line 6: conflicting copy within the batch
    List<BatchMetrics> batches = runOnce(layout, p);

    assertEquals(Map.of("a@2026-03-02", 1.0, "b@2026-03-02", 2.0, "c@2026-03-01", 3.0, "c@2026-03-05", 3.0,
        "d@2026-03-02", 4.0), silver(layout, p));
    assertEquals(Map.of("2.jsonl:2", "duplicate_conflict", "2.jsonl:3", "duplicate_conflict", "2.jsonl:6",
        "duplicate_conflict"), quarantine(layout, p));
    assertEquals(List.of(4L, 6L), batches.stream().map(BatchMetrics::received).toList());
    assertEquals(List.of(3L, 2L), batches.stream().map(BatchMetrics::silverRows).toList());
    assertEquals(List.of(0L, 3L), batches.stream().map(BatchMetrics::quarantined).toList());
    assertEquals(List.of(1L, 1L), batches.stream().map(BatchMetrics::duplicates).toList());
    assertTrue(batches.stream().allMatch(BatchMetrics::reconciled), batches.toString());
    // Silver's source lines are the true line numbers of each file.
    assertEquals(List.of("1.jsonl:1", "1.jsonl:2", "1.jsonl:3", "2.jsonl:4", "2.jsonl:5"),
        spark.read().format("delta").load(layout.silver(p))
            .selectExpr("concat(element_at(split(_source, '/'), -1), ':', _source_offset) AS at").orderBy("at")
            .collectAsList().stream().map(r -> r.getString(0)).toList());
  }

  @Test
  void conflictsCanBeCountedInsteadOfQuarantined() throws Exception {
    Path landing = Files.createDirectories(tmp.resolve("landing"));
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    PipelineConfig p = pipeline(landing, "dedup: {horizon: 2 days, onConflict: count}");
    drop(landing, "1.jsonl", reading("a", "2026-03-02T10:00:00Z", 1.0), "", reading("a", "2026-03-02T10:00:00Z", 2.0));
    List<BatchMetrics> batches = runOnce(layout, p);
    assertEquals(Map.of("a@2026-03-02", 1.0), silver(layout, p));
    assertEquals(1, batches.get(0).duplicates());
    assertEquals(2, batches.get(0).received(), "a blank line is not a record");
    assertTrue(batches.get(0).reconciled());
  }

  @Test
  void aCrashBetweenTableCommitsIsCompletedByTheReplayAndOpsMatchesTheTables() throws Exception {
    Path landing = Files.createDirectories(tmp.resolve("landing"));
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    PipelineConfig p = pipeline(landing, "rules: [{id: kwh_positive, expr: kwh > 0, message: kwh must be positive}]");
    drop(landing, "1.jsonl", reading("a", "2026-03-02T10:00:00Z", 1.0), reading("b", "2026-03-02T11:00:00Z", -1.0),
        reading("a", "2026-03-02T10:00:00Z", 1.0));
    drop(landing, "2.jsonl", reading("c", "2026-03-02T12:00:00Z", 2.0), "not json", reading("a", "2026-03-02T10:00:00Z", 1.0));

    for (String point : List.of("committed:silver", "before:ops")) {
      System.setProperty(Faults.PROPERTY, point);
      try {
        Exception e = assertThrows(Exception.class, () -> runOnce(layout, p));
        assertTrue(String.valueOf(e.getMessage()).contains("injected fault at " + point) || causeSays(e, point), e.toString());
      } finally {
        System.clearProperty(Faults.PROPERTY);
      }
    }
    List<BatchMetrics> after = runOnce(layout, p);
    assertTrue(after.stream().allMatch(BatchMetrics::reconciled), after.toString());

    assertEquals(Map.of("a@2026-03-02", 1.0, "c@2026-03-02", 2.0), silver(layout, p));
    assertEquals(Map.of("1.jsonl:2", "kwh_positive", "2.jsonl:2", "parse"), quarantine(layout, p));
    Row ops = spark.read().format("delta").load(layout.opsBatches()).where("pipeline = 'meters'")
        .selectExpr("count(*)", "sum(received)", "sum(bronze_rows)", "sum(silver_rows)", "sum(quarantined)",
            "sum(duplicates)", "bool_and(reconciled)").first();
    assertEquals(List.of(2L, 6L, 6L, 2L, 2L, 2L, true), List.of(ops.getLong(0), ops.getLong(1), ops.getLong(2),
        ops.getLong(3), ops.getLong(4), ops.getLong(5), ops.getBoolean(6)), "one ops row per batch, equal to the tables");
    assertEquals(6, spark.read().format("delta").load(layout.bronze(p)).count());
  }

  private static boolean causeSays(Throwable e, String point) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("injected fault at " + point)) {
        return true;
      }
    }
    return false;
  }
}
