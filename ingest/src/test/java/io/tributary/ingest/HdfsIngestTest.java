package io.tributary.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.layout.LakeLayout;
import io.tributary.maintain.Maintenance;
import io.tributary.ops.BatchMetrics;
import io.tributary.ops.TableStats;
import io.tributary.testing.MiniHdfs;
import io.tributary.testing.TestSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same ingest with the landing directory and the lake on a real HDFS (MiniDFSCluster), including
 * compaction, VACUUM and log checkpoints running while a stream keeps appending.
 */
class HdfsIngestTest {
  private static MiniHdfs hdfs;
  private final SparkSession spark = TestSpark.get();

  @TempDir Path tmp;

  @BeforeAll
  static void startHdfs() {
    hdfs = MiniHdfs.start();
  }

  @AfterAll
  static void stopHdfs() {
    hdfs.close();
  }

  private PipelineConfig pipeline(String landing) throws Exception {
    Path file = tmp.resolve("meters.yaml");
    Files.writeString(file, """
        name: meters
        source:
          directory:
            path: %s
            maxFilesPerTrigger: 2
        schema: id STRING, at TIMESTAMP, meter STRING, kwh DOUBLE
        eventId: id
        eventTime: at
        partitionBy: [event_date, meter]
        trigger:
          interval: 500 milliseconds
        """.formatted(landing));
    return PipelineLoader.load(file);
  }

  /** Writes a file under a hidden name and renames it, as producers must. */
  private static void drop(FileSystem fs, String dir, int file, int perFile) throws Exception {
    org.apache.hadoop.fs.Path hidden = new org.apache.hadoop.fs.Path(dir, ".f" + file);
    try (FSDataOutputStream out = fs.create(hidden)) {
      for (int i = 0; i < perFile; i++) {
        int id = file * perFile + i;
        out.write(("{\"id\":\"m%d\",\"at\":\"2026-03-%02dT%02d:00:00Z\",\"meter\":\"M%d\",\"kwh\":%d.5}\n"
            .formatted(id, 2 + id % 3, id % 24, id % 4, id)).getBytes(StandardCharsets.UTF_8));
      }
    }
    assertTrue(fs.rename(hidden, new org.apache.hadoop.fs.Path(dir, "f" + file + ".jsonl")));
  }

  private static Set<String> ids(int files, int perFile) {
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < files * perFile; i++) {
      out.add("m" + i);
    }
    return out;
  }

  @Test
  void ingestsOnHdfsAndMaintainsWhileIngesting() throws Exception {
    FileSystem fs = hdfs.fileSystem();
    String landing = hdfs.uri() + "/landing/meters";
    fs.mkdirs(new org.apache.hadoop.fs.Path(landing));
    LakeLayout layout = new LakeLayout(hdfs.uri() + "/lake");
    PipelineConfig p = pipeline(landing);
    for (int f = 0; f < 3; f++) {
      drop(fs, landing, f, 25);
    }

    List<BatchMetrics> batches = Collections.synchronizedList(new ArrayList<>());
    StreamingQuery q = new IngestRunner(spark, layout, batches::add).start(p, false);
    long deadline = System.currentTimeMillis() + 300_000;
    while (batches.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    // Maintenance on HDFS while the stream keeps appending new files.
    Maintenance maintenance = new Maintenance(spark);
    List<Maintenance.Result> results = new ArrayList<>();
    for (int f = 3; f < 7; f++) {
      drop(fs, landing, f, 25);
      if (f % 2 == 1) {
        results.add(maintenance.run(layout.silver(p), List.of("id"), Maintenance.MIN_RETENTION_HOURS, false));
      }
    }
    assertTrue(q.isActive(), "maintenance ran while the stream was running");
    while (batches.stream().mapToLong(BatchMetrics::received).sum() < 175 && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    StreamSupervisor.stopAfterBatch(q);
    assertTrue(q.exception().isEmpty(), () -> "stream failed: " + q.exception().get());

    List<Row> rows = spark.read().format("delta").load(layout.silver(p)).select("id", "kwh", "meter").collectAsList();
    Set<String> landed = new TreeSet<>();
    for (Row r : rows) {
      assertTrue(landed.add(r.getString(0)), "duplicate " + r);
      int n = Integer.parseInt(r.getString(0).substring(1));
      assertEquals(n + 0.5, r.getDouble(1), 1e-12);
      assertEquals("M" + (n % 4), r.getString(2));
    }
    assertEquals(ids(7, 25), landed);
    assertTrue(hdfs.fileSystem().exists(new org.apache.hadoop.fs.Path(layout.silver(p) + "/_delta_log")));
    assertTrue(results.stream().allMatch(Maintenance.Result::existed), results.toString());
    // A last compaction once the stream stopped: the silver table ends with fewer, larger files.
    TableStats before = TableStats.of(spark, layout.silver(p));
    Maintenance.Result last = maintenance.run(layout.silver(p), List.of(), Maintenance.MIN_RETENTION_HOURS, false);
    TableStats after = TableStats.of(spark, layout.silver(p));
    assertTrue(after.files() <= before.files(), before + " -> " + after);
    assertEquals(175, after.rows());
    assertTrue(last.filesRemoved() >= last.filesAdded());
    assertTrue(fs.listStatus(new org.apache.hadoop.fs.Path(layout.silver(p) + "/_delta_log"),
        s -> s.getName().endsWith(".checkpoint.parquet")).length > 0, "log checkpoint written");
  }
}
