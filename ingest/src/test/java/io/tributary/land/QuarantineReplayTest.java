package io.tributary.land;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.ingest.IngestRunner;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.QuarantineSummary;
import io.tributary.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quarantine you can work with: the summary groups by rule and reason; after the pipeline is fixed (kwh made
 * lenient) a replay lands what now passes exactly once, also when it is killed between its silver commit and its
 * marking, counts an identical copy as a duplicate, keeps a conflicting copy and still-bad records with their
 * new reasons, and a further replay lands nothing twice.
 */
class QuarantineReplayTest {
  private static final String AT = "\"at\":\"2026-03-02T10:00:00Z\"";
  private final SparkSession spark = TestSpark.get();

  @TempDir Path tmp;

  private PipelineConfig pipeline(Path landing, String typing) throws IOException {
    Path file = tmp.resolve("meters.yaml");
    Files.writeString(file, """
        name: meters
        source: {directory: {path: %s}}
        schema: id STRING, at TIMESTAMP, kwh DOUBLE
        eventId: id
        eventTime: at
        %s
        """.formatted(landing, typing));
    return PipelineLoader.load(file);
  }

  @Test
  void replayLandsFixedRecordsExactlyOnceEvenWhenKilledMidway() throws Exception {
    Path landing = Files.createDirectories(tmp.resolve("landing"));
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    PipelineConfig strict = pipeline(landing, "");
    Path tmpFile = landing.resolve(".a.jsonl");
    Files.writeString(tmpFile, String.join("\n",
        "{\"id\":\"r1\"," + AT + ",\"kwh\":1.5}",
        "{\"id\":\"r2\"," + AT + ",\"kwh\":\"2.5\"}",
        "{\"id\":\"r3\"," + AT + ",\"kwh\":\"x\"}",
        "{\"id\":\"r1\"," + AT + ",\"kwh\":\"1.5\"}",
        "{\"id\":\"r1\"," + AT + ",\"kwh\":\"9\"}",
        "not json") + "\n");
    Files.move(tmpFile, landing.resolve("a.jsonl"), StandardCopyOption.ATOMIC_MOVE);
    new IngestRunner(spark, layout, m -> { }).start(strict, true).awaitTermination();

    QuarantineSummary summary = QuarantineSummary.of(spark, layout.quarantine(strict), "meters", null);
    assertEquals(5, summary.records());
    QuarantineSummary.Group types = summary.groups().get(0);
    assertEquals(List.of("type", "field kwh: '…' is a string where DOUBLE is declared", 4L),
        List.of(types.rule(), types.reason(), types.records()));
    assertEquals(2, types.examples().size(), types.examples().toString());
    assertTrue(types.examples().get(0).matches("a\\.jsonl:[2-5]  field kwh: '.*' is a string where DOUBLE is declared"),
        types.examples().toString());
    assertEquals("parse", summary.groups().get(1).rule());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    summary.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("quarantine of meters: 5 records"), printed.toString());

    PipelineConfig fixed = pipeline(landing, "typing: {lenient: [kwh]}");
    QuarantineReplay replay = new QuarantineReplay(spark, layout, fixed);
    QuarantineReplay.Outcome dry = replay.run(null, true);
    assertEquals(List.of(5L, 1L, 1L, 3L), List.of(dry.selected(), dry.landed(), dry.duplicates(), dry.failed()));
    assertEquals(Map.of("duplicate_conflict", 1L, "parse", 1L, "type", 1L), dry.failedByRule());
    assertEquals(Map.of("r1", 1.5), silver(layout, fixed), "a dry run writes nothing");

    System.setProperty(Faults.PROPERTY, "replay:committed:silver");
    try {
      Exception e = assertThrows(IllegalStateException.class, () -> replay.run(null, false));
      assertEquals("injected fault at replay:committed:silver", e.getMessage());
    } finally {
      System.clearProperty(Faults.PROPERTY);
    }
    assertEquals(Map.of("r1", 1.5, "r2", 2.5), silver(layout, fixed));

    QuarantineReplay.Outcome finished = replay.run("source_offset = 6", false);
    assertTrue(finished.resumed(), "the interrupted replay is finished first, with its own selection");
    assertEquals(List.of(5L, 1L, 1L, 3L), List.of(finished.selected(), finished.landed(), finished.duplicates(), finished.failed()));
    assertEquals(Map.of("r1", 1.5, "r2", 2.5), silver(layout, fixed), "r2 landed once");
    assertEquals(Map.of(
            2L, "landed | type: field kwh: '2.5' is a string where DOUBLE is declared",
            3L, "failed | type: field kwh: 'x' is not DOUBLE",
            4L, "duplicate | type: field kwh: '1.5' is a string where DOUBLE is declared",
            5L, "failed | duplicate_conflict: event id seen before with different content; the first copy is in silver",
            6L, "failed | parse: malformed JSON: not json (Unrecognized token 'not': was expecting (JSON String, Number, "
                + "Array, Object or token 'null', 'true' or 'false'))"),
        quarantine(layout, fixed));

    QuarantineReplay.Outcome again = replay.run(null, false);
    assertFalse(again.resumed());
    assertEquals(List.of(3L, 0L, 0L, 3L), List.of(again.selected(), again.landed(), again.duplicates(), again.failed()),
        "only the failed records are tried again");
    assertEquals(Map.of("r1", 1.5, "r2", 2.5), silver(layout, fixed));
    assertEquals(-1L, spark.read().format("delta").load(layout.silver(fixed)).where("id = 'r2'")
        .selectExpr("_batch_id").first().getLong(0), "rows a replay landed carry _batch_id -1");
    QuarantineSummary after = QuarantineSummary.of(spark, layout.quarantine(fixed), "meters", null);
    assertEquals(Map.of("duplicate", 1L, "failed", 3L, "landed", 1L), after.replayed());
    assertEquals(3, after.groups().stream().mapToLong(QuarantineSummary.Group::records).sum(), "landed and duplicate records are done");
  }

  private Map<String, Double> silver(LakeLayout layout, PipelineConfig p) {
    Map<String, Double> out = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.silver(p)).selectExpr("id", "kwh").collectAsList()) {
      assertTrue(out.put(r.getString(0), r.getDouble(1)) == null, "twice in silver: " + r);
    }
    return out;
  }

  private Map<Long, String> quarantine(LakeLayout layout, PipelineConfig p) {
    Map<Long, String> out = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.quarantine(p))
        .selectExpr("source_offset", "concat(replay_status, ' | ', errors[0].rule, ': ', errors[0].message)").collectAsList()) {
      out.put(r.getLong(0), r.getString(1));
    }
    return out;
  }
}
