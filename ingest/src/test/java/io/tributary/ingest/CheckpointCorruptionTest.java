package io.tributary.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.land.Faults;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.BatchMetrics;
import io.tributary.testing.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A corrupted checkpoint resumes from the lake as a deleted one does: each corruption is made on the checkpoint
 * of a real landing-directory run, the next run lands what is left, and the lake reconciles to the event: every
 * generated id in silver exactly once or in quarantine with its rule, nothing else, and ops totals equal to what
 * each table holds. The corrupted checkpoint is kept beside the new one, unchanged.
 */
class CheckpointCorruptionTest {
  private static final int FILES = 3;
  private final SparkSession spark = TestSpark.get();

  @TempDir Path tmp;

  /** A corruption of a checkpoint directory; true when the checkpoint must be moved aside. */
  enum Corruption {
    NEWEST_OFFSETS_EMPTY(true, cp -> rewrite(newest(cp, "offsets"), "")),
    // Cut as a crash would leave it, its .crc unchanged: the file fails its checksum.
    NEWEST_OFFSETS_TRUNCATED_MID_LINE(true, cp -> truncateKeepingChecksum(newest(cp, "offsets"), 6)),
    NEWEST_COMMIT_TRUNCATED_MID_LINE(true, cp -> truncate(newest(cp, "commits"), 4)),
    METADATA_EMPTY(true, cp -> rewrite(cp.resolve("metadata"), "")),
    // Spark 4.2 refuses a checkpoint whose logs hold batches but whose metadata file is gone.
    METADATA_MISSING(true, cp -> delete(cp.resolve("metadata"))),
    // An empty checkpoint directory is a new checkpoint: nothing to move aside, the lake says what is landed.
    CHECKPOINT_EMPTIED(false, cp -> {
      FileUtils.cleanDirectory(cp.toFile());
      return null;
    });

    final boolean movedAside;
    final Corrupter corrupt;

    Corruption(boolean movedAside, Corrupter corrupt) {
      this.movedAside = movedAside;
      this.corrupt = corrupt;
    }
  }

  interface Corrupter {
    Path apply(Path checkpoint) throws IOException;
  }

  @ParameterizedTest
  @EnumSource(Corruption.class)
  void aCorruptedCheckpointResumesFromTheLake(Corruption corruption) throws Exception {
    Path landing = Files.createDirectories(tmp.resolve("landing"));
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    PipelineConfig p = pipeline(landing);
    for (int f = 1; f <= FILES; f++) {
      dropFile(landing, f);
    }
    assertEquals(2, runOnce(layout, p).size(), "two files per batch: offsets/0 and offsets/1");

    Path checkpoint = Path.of(layout.checkpoint(p));
    Path corrupted = corruption.corrupt.apply(checkpoint);
    byte[] corruptedBytes = corrupted == null || Files.notExists(corrupted) ? null : Files.readAllBytes(corrupted);
    dropFile(landing, FILES + 1);
    runOnce(layout, p);

    Path aside = asideOf(checkpoint);
    if (corruption.movedAside) {
      assertTrue(aside != null, "the corrupted checkpoint is kept beside the new one");
      if (corruptedBytes != null) {
        assertArrayEquals(corruptedBytes, Files.readAllBytes(aside.resolve(checkpoint.relativize(corrupted))),
            "moved unchanged");
      }
      assertTrue(Files.exists(aside.resolve("offsets").resolve("1")), "the whole checkpoint moved");
    } else {
      assertEquals(null, aside, "nothing to recover");
    }
    reconcile(layout, p, FILES + 1);
  }

  /** A kill after bronze committed batch 3, then the newest offsets file truncated, then a restart. */
  @Test
  void aCorruptedCheckpointAfterAKillInTheMiddleOfABatchResumesFromTheLake() throws Exception {
    Path landing = Files.createDirectories(tmp.resolve("landing"));
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    PipelineConfig p = pipeline(landing);
    for (int f = 1; f <= FILES; f++) {
      dropFile(landing, f);
    }
    runOnce(layout, p);
    dropFile(landing, FILES + 1);
    System.setProperty(Faults.PROPERTY, "committed:bronze");
    try {
      assertThrows(Exception.class, () -> runOnce(layout, p));
    } finally {
      System.clearProperty(Faults.PROPERTY);
    }
    Path checkpoint = Path.of(layout.checkpoint(p));
    Path offsets = newest(checkpoint, "offsets");
    assertEquals("2", offsets.getFileName().toString(), "the killed batch's offsets are newest");
    assertTrue(Files.notExists(checkpoint.resolve("commits").resolve("2")), "and not committed");
    truncate(offsets, 6);
    List<BatchMetrics> after = runOnce(layout, p);
    assertTrue(asideOf(checkpoint) != null, "moved aside");
    assertTrue(after.stream().allMatch(BatchMetrics::reconciled), after.toString());
    reconcile(layout, p, FILES + 1);
  }

  /** What Spark 4.2 would reject, named as the WARN line names it; what it accepts passes. */
  @Test
  void findsWhatSparkWouldRejectAndNothingElse() throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    Path cp = Files.createDirectories(tmp.resolve("cp"));
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(cp.toString());
    Files.writeString(cp.resolve("metadata"), "{\"id\":\"5f1c\"}");
    Files.writeString(cp.resolve("tributary-checkpoint-id"), "abc");
    Files.createDirectories(cp.resolve("offsets"));
    Files.createDirectories(cp.resolve("commits"));
    String offsets = "v1\n{\"batchWatermarkMs\":0,\"batchTimestampMs\":1,\"conf\":{}}\n{\"logOffset\":%d}";
    Files.writeString(cp.resolve("offsets/0"), offsets.formatted(0));
    Files.writeString(cp.resolve("offsets/1"), offsets.formatted(1));
    Files.writeString(cp.resolve("commits/0"), "v1\n{\"nextBatchWatermarkMs\":0}");
    assertEquals(Optional.empty(), CheckpointCheck.problem(fs, dir));
    Files.writeString(cp.resolve("commits/0"), "v1");  // Spark reads a commit without metadata as {}
    assertEquals(Optional.empty(), CheckpointCheck.problem(fs, dir));

    Map<String, String> cases = new TreeMap<>(Map.of(
        "offsets/1", "v1\n{\"batchWatermarkMs\":0,\"batchTimestampMs\":1,\"conf\":{}}\n{\"logOff",
        "offsets/0", "v1\n{\"batchWatermarkMs\":0,\"batch",
        "commits/0", "v1\n{\"nextBatch",
        "metadata", "{\"id\":",
        "tributary-checkpoint-id", " "));
    Map<String, String> expected = Map.of(
        "offsets/1", "offsets/1 is truncated: a source offset is not complete JSON",
        "offsets/0", "offsets/0 is truncated: no source offsets",
        "commits/0", "commits/0 is truncated: its metadata is not complete JSON",
        "metadata", "metadata is truncated or has no query id",
        "tributary-checkpoint-id", "tributary-checkpoint-id is empty");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path file = cp.resolve(c.getKey());
      String good = Files.readString(file);
      Files.writeString(file, c.getValue());
      assertEquals(Optional.of(expected.get(c.getKey())), CheckpointCheck.problem(fs, dir), c.getKey());
      Files.writeString(file, good);
    }
    Files.writeString(cp.resolve("commits/0"), "");
    assertEquals(Optional.of("commits/0 is empty"), CheckpointCheck.problem(fs, dir));
    Files.writeString(cp.resolve("commits/0"), "v1");
    // Written through Hadoop (with its .crc), then cut short behind its back.
    try (var out = fs.create(new org.apache.hadoop.fs.Path(dir, "offsets/1"), true)) {
      out.write(offsets.formatted(1).getBytes(StandardCharsets.UTF_8));
    }
    truncateKeepingChecksum(cp.resolve("offsets/1"), 2);
    assertEquals(Optional.of("offsets/1 does not match its checksum"), CheckpointCheck.problem(fs, dir));
    Files.delete(crc(cp.resolve("offsets/1")));
    Files.writeString(cp.resolve("offsets/1"), offsets.formatted(1));
    Files.delete(cp.resolve("metadata"));
    assertEquals(Optional.of("metadata is missing"), CheckpointCheck.problem(fs, dir));
    Files.writeString(cp.resolve("metadata"), "{\"id\":\"5f1c\"}");
    Files.writeString(cp.resolve("commits/2"), "v1\n{\"nextBatchWatermarkMs\":0}");
    assertEquals(Optional.of("commits/2 has no offsets file: offsets/ ends at 1"), CheckpointCheck.problem(fs, dir));
    Files.delete(cp.resolve("commits/2"));
    Files.delete(cp.resolve("offsets/0"));
    assertEquals(Optional.of("offsets/0 is missing"), CheckpointCheck.problem(fs, dir),
        "Spark reads the offsets before the newest to know where the newest batch starts");
  }

  /** A checkpoint of a newer Spark is not corrupt: one line says what to do, and nothing is moved. */
  @Test
  void aCheckpointOfANewerSparkIsLeftAloneWithOneLineSayingWhatToDo() throws Exception {
    Path cp = Files.createDirectories(tmp.resolve("cp").resolve("offsets")).getParent();
    Files.writeString(cp.resolve("metadata"), "{\"id\":\"5f1c\"}");
    Files.writeString(cp.resolve("offsets/0"), "v7\n{}\n{\"logOffset\":0}");
    ConfigException e = assertThrows(ConfigException.class,
        () -> CheckpointCheck.recoverIfCorrupt("meters", cp.toString(), new Configuration()));
    assertEquals("pipeline meters: checkpoint " + cp + " was written by a newer Spark (offsets/0 is log version v7; "
        + "this Spark reads up to v2): run the pipeline with the Spark version that wrote it, or move the checkpoint "
        + "aside to resume from what the lake's tables record", e.getMessage());
    assertEquals("v7\n{}\n{\"logOffset\":0}", Files.readString(cp.resolve("offsets/0")));
  }

  /** A file system that cannot be read is not a corrupted checkpoint: the error propagates, nothing is moved. */
  @Test
  void anUnreachableFileSystemIsNotTakenForCorruption() {
    Configuration conf = new Configuration();
    conf.setInt("ipc.client.connect.max.retries", 0);
    conf.setInt("ipc.client.connect.max.retries.on.timeouts", 0);
    String checkpoint = "hdfs://127.0.0.1:1/lake/_checkpoints/meters";
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CheckpointCheck.recoverIfCorrupt("meters", checkpoint, conf));
    assertTrue(e.getMessage().startsWith("cannot read checkpoint " + checkpoint + ": "), e.getMessage());
    assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
  }

  // ---- the run and its reconciliation

  private PipelineConfig pipeline(Path landing) throws IOException {
    Path file = tmp.resolve("meters.yaml");
    Files.writeString(file, """
        name: meters
        source:
          directory:
            path: %s
            maxFilesPerTrigger: 2
        schema: id STRING, at TIMESTAMP, kwh DOUBLE
        eventId: id
        eventTime: at
        rules: [{id: kwh_positive, expr: kwh > 0, message: kwh must be positive}]
        """.formatted(landing));
    return PipelineLoader.load(file);
  }

  /** File f: ids f-1..f-4, f-3 failing the rule, and a copy of f-1 (a duplicate, counted, not landed twice). */
  private static void dropFile(Path landing, int f) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      lines.add(reading(f + "-" + i, i == 3 ? -1.0 : f + i / 10.0));
    }
    lines.add(reading(f + "-1", f + 0.1));
    Path tmpFile = landing.resolve("." + f + ".jsonl");
    Files.writeString(tmpFile, String.join("\n", lines) + "\n");
    Files.move(tmpFile, landing.resolve(f + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String reading(String id, double kwh) {
    return "{\"id\":\"%s\",\"at\":\"2026-03-02T10:00:00Z\",\"kwh\":%s}".formatted(id, kwh);
  }

  private List<BatchMetrics> runOnce(LakeLayout layout, PipelineConfig p) throws Exception {
    List<BatchMetrics> batches = new ArrayList<>();
    StreamingQuery q = new IngestRunner(spark, layout, batches::add).start(p, true);
    q.awaitTermination();
    return batches;
  }

  /** Every generated id in silver once or in quarantine with its rule, nothing else; ops equal to each table. */
  private void reconcile(LakeLayout layout, PipelineConfig p, int files) {
    Map<String, Double> expectedSilver = new TreeMap<>();
    Map<String, String> expectedQuarantine = new TreeMap<>();
    for (int f = 1; f <= files; f++) {
      for (int i = 1; i <= 4; i++) {
        if (i == 3) {
          expectedQuarantine.put(f + "-" + i, "kwh_positive");
        } else {
          expectedSilver.put(f + "-" + i, f + i / 10.0);
        }
      }
    }
    Map<String, Double> silver = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.silver(p)).select("id", "kwh").collectAsList()) {
      assertTrue(silver.put(r.getString(0), r.getDouble(1)) == null, "twice in silver: " + r);
    }
    assertEquals(expectedSilver, silver);
    Map<String, String> quarantine = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.quarantine(p)).selectExpr("event_id", "errors[0].rule")
        .collectAsList()) {
      assertTrue(quarantine.put(r.getString(0), r.getString(1)) == null, "twice in quarantine: " + r);
    }
    assertEquals(expectedQuarantine, quarantine);
    long bronze = spark.read().format("delta").load(layout.bronze(p)).count();
    assertEquals(files * 5L, bronze, "every line once in bronze");

    Row ops = spark.read().format("delta").load(layout.opsBatches()).where("pipeline = 'meters'")
        .selectExpr("sum(bronze_rows)", "sum(silver_rows)", "sum(quarantined)").first();
    assertEquals(List.of(bronze, (long) silver.size(), (long) quarantine.size()),
        List.of(ops.getLong(0), ops.getLong(1), ops.getLong(2)), "ops totals per table (bronze, silver, quarantine)");
  }

  // ---- corruptions, made as a crash or a careless hand would, bypassing Hadoop (so .crc files go stale)

  private static Path newest(Path checkpoint, String log) throws IOException {
    try (Stream<Path> files = Files.list(checkpoint.resolve(log))) {
      return files.filter(f -> f.getFileName().toString().matches("\\d+"))
          .max((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()), Long.parseLong(b.getFileName().toString())))
          .orElseThrow();
    }
  }

  private static Path rewrite(Path file, String content) throws IOException {
    Files.writeString(file, content);
    Files.deleteIfExists(crc(file));
    return file;
  }

  private static Path truncate(Path file, int bytesLost) throws IOException {
    truncateKeepingChecksum(file, bytesLost);
    Files.deleteIfExists(crc(file));
    return file;
  }

  private static Path truncateKeepingChecksum(Path file, int bytesLost) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertTrue(new String(bytes, StandardCharsets.UTF_8).endsWith("}"), "ends with a JSON line");
    Files.write(file, Arrays.copyOf(bytes, bytes.length - bytesLost));
    return file;
  }

  private static Path delete(Path file) throws IOException {
    Files.delete(file);
    Files.deleteIfExists(crc(file));
    return file;
  }

  private static Path crc(Path file) {
    return file.resolveSibling("." + file.getFileName() + ".crc");
  }

  private static Path asideOf(Path checkpoint) throws IOException {
    try (Stream<Path> siblings = Files.list(checkpoint.getParent())) {
      List<Path> aside = siblings.filter(s -> s.getFileName().toString().startsWith(checkpoint.getFileName() + ".corrupt-"))
          .toList();
      assertTrue(aside.size() <= 1, aside.toString());
      return aside.isEmpty() ? null : aside.get(0);
    }
  }
}
