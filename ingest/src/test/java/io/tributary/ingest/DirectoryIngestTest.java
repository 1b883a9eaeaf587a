package io.tributary.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
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
import java.util.stream.Collectors;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Landing-directory ingest of a sensor-telemetry schema (not the clickstream, to prove nothing is
 * hard-wired): content of silver and quarantine, reconciliation, restart, and a lost checkpoint.
 */
class DirectoryIngestTest {
  private final SparkSession spark = TestSpark.get();

  @TempDir Path tmp;

  private PipelineConfig pipeline(Path landing) throws IOException {
    Path file = tmp.resolve("sensors.yaml");
    Files.writeString(file, """
        name: sensors
        source:
          directory:
            path: %s
            maxFilesPerTrigger: 1
        schema: reading_id STRING, ts TIMESTAMP, sensor_id STRING, temperature DOUBLE
        eventId: reading_id
        eventTime: ts
        rules:
          - id: temperature_plausible
            expr: temperature BETWEEN -60 AND 80
            message: temperature outside -60..80 C
        """.formatted(landing));
    return PipelineLoader.load(file);
  }

  private static void drop(Path landing, String name, String... lines) throws IOException {
    Path tmpFile = landing.resolve("." + name);
    Files.writeString(tmpFile, String.join("\n", lines) + "\n");
    Files.move(tmpFile, landing.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String reading(String id, String ts, String sensor, double t) {
    return "{\"reading_id\":\"%s\",\"ts\":\"%s\",\"sensor_id\":\"%s\",\"temperature\":%s}".formatted(id, ts, sensor, t);
  }

  private List<BatchMetrics> runOnce(LakeLayout layout, PipelineConfig p) throws Exception {
    List<BatchMetrics> batches = new ArrayList<>();
    StreamingQuery q = new IngestRunner(spark, layout, batches::add).start(p, true);
    q.awaitTermination();
    return batches;
  }

  private Map<String, Double> silver(LakeLayout layout, PipelineConfig p) {
    Map<String, Double> out = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.silver(p)).select("reading_id", "temperature").collectAsList()) {
      assertTrue(out.put(r.getString(0), r.getDouble(1)) == null, "duplicate in silver: " + r);
    }
    return out;
  }

  @Test
  void landsValidatesDeduplicatesAndSurvivesRestartAndLostCheckpoint() throws Exception {
    Path landing = Files.createDirectories(tmp.resolve("landing"));
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    PipelineConfig p = pipeline(landing);

    drop(landing, "a.jsonl",
        reading("r1", "2026-03-02T10:00:00.000Z", "s1", 21.5),
        reading("r2", "2026-03-02T10:01:00.000Z", "s1", 21.7),
        "{\"reading_id\":\"r3\",\"ts\":\"2026-03-02T10",              // truncated JSON
        reading("r1", "2026-03-02T10:00:00.000Z", "s1", 21.5),         // duplicate within the batch
        "{\"reading_id\":\"r4\",\"ts\":\"2026-03-02T10:02:00Z\",\"sensor_id\":\"s2\",\"temperature\":\"hot\"}",
        reading("r5", "2026-03-03T00:00:00.000Z", "s2", 120.0));       // fails the rule
    drop(landing, "b.jsonl",
        reading("r2", "2026-03-02T10:01:00.000Z", "s1", 21.7),         // duplicate of an earlier batch
        "{\"ts\":\"2026-03-02T11:00:00Z\",\"sensor_id\":\"s3\",\"temperature\":1.0}",  // no id
        reading("r6", "2026-03-03T01:00:00.000Z", "s3", -3.25));

    List<BatchMetrics> first = runOnce(layout, p);
    assertEquals(2, first.size(), "one file per trigger");
    assertEquals(Map.of("r1", 21.5, "r2", 21.7, "r6", -3.25), silver(layout, p));

    Map<String, String> reasons = spark.read().format("delta").load(layout.quarantine(p))
        .selectExpr("concat(element_at(split(source, '/'), -1), ':', source_offset)", "errors[0].rule", "errors[0].message")
        .collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1) + " | " + r.getString(2)));
    assertEquals(4, reasons.size(), reasons.toString());
    assertTrue(reasons.get("a.jsonl:3").startsWith("parse | malformed JSON"), reasons.toString());
    assertEquals("type | field temperature: 'hot' is a string where DOUBLE is declared", reasons.get("a.jsonl:5"));
    assertEquals("temperature_plausible | temperature outside -60..80 C", reasons.get("a.jsonl:6"));
    assertEquals("missing_event_id | reading_id is missing", reasons.get("b.jsonl:2"));

    long received = first.stream().mapToLong(BatchMetrics::received).sum();
    assertEquals(9, received);
    assertEquals(9, spark.read().format("delta").load(layout.bronze(p)).count());
    assertEquals(3, first.stream().mapToLong(BatchMetrics::silverRows).sum());
    assertEquals(4, first.stream().mapToLong(BatchMetrics::quarantined).sum());
    assertEquals(2, first.stream().mapToLong(BatchMetrics::duplicates).sum());
    for (BatchMetrics m : first) {
      assertTrue(m.reconciled(), m.toString());
      assertEquals(0, m.replayed(), m.toString());
    }

    // A crash after batch 1 landed but before Spark recorded it as done: Spark replays batch 1 on restart.
    // Every table already holds it, so nothing lands twice and its rows count as replayed, not duplicates.
    Files.delete(Path.of(layout.checkpoint(p), "commits", "1"));
    Files.deleteIfExists(Path.of(layout.checkpoint(p), "commits", ".1.crc"));
    drop(landing, "c.jsonl", reading("r7", "2026-03-03T02:00:00.000Z", "s1", 5.0), reading("r1", "2026-03-02T10:00:00.000Z", "s1", 21.5));
    List<BatchMetrics> second = runOnce(layout, p);
    assertEquals(2, second.size(), second.toString());
    BatchMetrics replay = second.get(0);
    assertEquals(1, replay.batchId());
    long replayedFile = first.get(1).received();  // whichever of a.jsonl / b.jsonl batch 1 read
    assertEquals(List.of(replayedFile, 0L, 0L, 0L, replayedFile), List.of(replay.received(), replay.silverRows(),
        replay.quarantined(), replay.duplicates(), replay.replayed()));
    assertTrue(replay.reconciled());
    assertEquals(1, second.get(1).silverRows());
    assertEquals(1, second.get(1).duplicates());
    assertEquals(Map.of("r1", 21.5, "r2", 21.7, "r6", -3.25, "r7", 5.0), silver(layout, p));

    // Lose the checkpoint: every file is listed again, but nothing lands twice anywhere.
    FileUtils.deleteDirectory(Path.of(layout.checkpoint(p)).toFile());
    drop(landing, "d.jsonl", reading("r8", "2026-03-03T03:00:00.000Z", "s4", 7.0));
    List<BatchMetrics> third = runOnce(layout, p);
    assertEquals(Map.of("r1", 21.5, "r2", 21.7, "r6", -3.25, "r7", 5.0, "r8", 7.0), silver(layout, p));
    assertEquals(12, spark.read().format("delta").load(layout.bronze(p)).count());
    assertEquals(4, spark.read().format("delta").load(layout.quarantine(p)).count());
    assertEquals(1, third.stream().mapToLong(BatchMetrics::bronzeRows).sum());
    assertTrue(third.stream().allMatch(BatchMetrics::reconciled), third.toString());
    assertEquals(11, third.stream().mapToLong(BatchMetrics::replayed).sum(), "the three earlier files, re-listed");

    // The ops table holds every batch of the three runs and reconciles in total.
    Row ops = spark.read().format("delta").load(layout.opsBatches()).where("pipeline = 'sensors'")
        .selectExpr("count(*)", "sum(bronze_rows)", "sum(silver_rows)", "sum(quarantined)", "sum(duplicates)").first();
    assertEquals(12L, ops.getLong(1));
    assertEquals(5L, ops.getLong(2));
    assertEquals(4L, ops.getLong(3));
    assertEquals(3L, ops.getLong(4));
  }

  @Test
  void csvFilesAreCheckedAgainstTheSchemaByTheirHeaderWhileAnotherPipelineRuns() throws Exception {
    Path landing = Files.createDirectories(tmp.resolve("csv"));
    Path file = tmp.resolve("meters.yaml");
    Files.writeString(file, """
        name: meters_csv
        source:
          directory:
            path: %s
            format: csv
        schema: id STRING, at TIMESTAMP, kwh DOUBLE
        eventId: id
        eventTime: at
        """.formatted(landing));
    PipelineConfig p = PipelineLoader.load(file);
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    drop(landing, "good.csv", "id,at,kwh", "m1,2026-03-02T10:00:00Z,1.5", "m2,2026-03-02T11:00:00Z,oops", "m3,2026-03-02T12:00:00Z,2.25");
    drop(landing, "swapped.csv", "id,kwh,at", "m4,3.5,2026-03-02T13:00:00Z");

    // A second pipeline in the same application, both starting on a fresh lake (one shared ops table).
    Path jsonLanding = Files.createDirectories(tmp.resolve("json"));
    PipelineConfig sensors = pipeline(jsonLanding);
    drop(jsonLanding, "s.jsonl", reading("r1", "2026-03-02T10:00:00.000Z", "s1", 20.0));

    List<BatchMetrics> all = java.util.Collections.synchronizedList(new ArrayList<>());
    IngestRunner runner = new IngestRunner(spark, layout, all::add);
    StreamSupervisor.await(List.of(runner.start(p, true), runner.start(sensors, true)));
    List<BatchMetrics> batches = all.stream().filter(m -> m.pipeline().equals("meters_csv")).toList();
    assertEquals(4, batches.stream().mapToLong(BatchMetrics::received).sum(), "header lines are not records");
    assertEquals(Map.of("r1", 20.0), silver(layout, sensors));
    assertEquals(List.of("meters_csv", "sensors"), spark.read().format("delta").load(layout.opsBatches())
        .select("pipeline").distinct().orderBy("pipeline").collectAsList().stream().map(r -> r.getString(0)).toList());
    Map<String, Double> silver = new TreeMap<>();
    spark.read().format("delta").load(layout.silver(p)).collectAsList()
        .forEach(r -> silver.put(r.getAs("id"), r.getAs("kwh")));
    assertEquals(Map.of("m1", 1.5, "m3", 2.25), silver);
    Map<Long, String> quarantine = new TreeMap<>();
    spark.read().format("delta").load(layout.quarantine(p)).selectExpr("source_offset", "errors[0].rule").collectAsList()
        .forEach(r -> quarantine.put(r.getLong(0), r.getString(1)));
    assertEquals(Map.of(3L, "type", 2L, "csv_header"), quarantine, "line 3 of good.csv, line 2 of swapped.csv");
  }
}
