package io.tributary.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.BatchMetrics;
import io.tributary.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Hostile records mixed into valid ones, through the real stream: each lands in quarantine with the reason the
 * typing contract gives, the original bytes kept; valid records (the first one behind a byte-order mark) land
 * once; counts reconcile. Then the pipeline is made lenient for two fields: silver gains {@code _warnings}
 * without stopping, and ops counts the coercions.
 */
class HostileInputTest {
  private final SparkSession spark = TestSpark.get();

  @TempDir Path tmp;

  private PipelineConfig pipeline(Path landing, String typing) throws IOException {
    Path file = tmp.resolve("meters.yaml");
    Files.writeString(file, """
        name: meters
        source: {directory: {path: %s, maxFilesPerTrigger: 1}}
        schema: id STRING, at TIMESTAMP, kwh DOUBLE
        eventId: id
        eventTime: at
        %s
        """.formatted(landing, typing));
    return PipelineLoader.load(file);
  }

  private static void drop(Path landing, String name, byte[] content) throws IOException {
    Path tmpFile = landing.resolve("." + name);
    Files.write(tmpFile, content);
    Files.move(tmpFile, landing.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static byte[] lines(Object... lines) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object l : lines) {
      out.write(l instanceof byte[] b ? b : ((String) l).getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    return out.toByteArray();
  }

  private List<BatchMetrics> runOnce(LakeLayout layout, PipelineConfig p) throws Exception {
    List<BatchMetrics> batches = new ArrayList<>();
    StreamingQuery q = new IngestRunner(spark, layout, batches::add).start(p, true);
    q.awaitTermination();
    return batches;
  }

  @Test
  void hostileRecordsAreQuarantinedWithTheirReasonAndLenientFieldsWarn() throws Exception {
    Path landing = Files.createDirectories(tmp.resolve("landing"));
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    PipelineConfig strict = pipeline(landing, "");
    byte[] invalidUtf8 = {'{', '"', 'i', 'd', '"', ':', '"', 'r', '3', (byte) 0xC3, (byte) 0x28, '"', '}'};
    drop(landing, "a.jsonl", lines(
        "\uFEFF{\"id\":\"r1\",\"at\":\"2026-03-02T10:00:00Z\",\"kwh\":1.5}",
        "{\"id\":\"r2\",\"at\":\"2026-03-02T10:00:00Z\",\"kwh\":\"1.5\"}",
        invalidUtf8,
        "{\"id\":\"r4\u0000\",\"at\":\"2026-03-02T10:00:00Z\",\"kwh\":1}",
        "{\"id\":\"r5\",\"at\":\"2026-03-02T10:00:00Z\",\"kwh\":1} trailing",
        "{\"id\":\"r6\",\"at\":\"2026-03-02T10:00:00Z\",\"kwh\":1,\"kwh\":2}",
        "{\"id\":\" \",\"at\":\"2026-03-02T10:00:00Z\",\"kwh\":1}",
        "{\"id\":\"r8\",\"at\":1772445600,\"kwh\":1}",
        "{\"id\":\"r9\",\"at\":\"2026-03-02T11:00:00Z\",\"kwh\":2.25}"));

    List<BatchMetrics> first = runOnce(layout, strict);
    assertEquals(1, first.size(), first.toString());
    BatchMetrics b = first.get(0);
    assertEquals(List.of(9L, 2L, 7L, 0L, 0L), List.of(b.received(), b.silverRows(), b.quarantined(), b.duplicates(), b.warnings()));
    assertTrue(b.reconciled());
    assertEquals(Map.of("r1", 1.5, "r9", 2.25), silver(layout, strict));

    Map<Long, String> reasons = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.quarantine(strict))
        .selectExpr("source_offset", "errors[0].rule", "errors[0].message", "size(errors)").collectAsList()) {
      assertEquals(1, r.getInt(3), "one reason per record: " + r);
      reasons.put(r.getLong(0), r.getString(1) + " | " + r.getString(2));
    }
    assertEquals("type | field kwh: '1.5' is a string where DOUBLE is declared", reasons.get(2L));
    assertEquals("encoding | the record is not valid UTF-8 text; the producer must send UTF-8", reasons.get(3L));
    assertTrue(reasons.get(4L).startsWith("parse | malformed JSON: ") && reasons.get(4L).contains("CTRL-CHAR"), reasons.get(4L));
    assertTrue(reasons.get(5L).startsWith("parse | malformed JSON: ") && reasons.get(5L).contains("'trailing'"), reasons.get(5L));
    assertTrue(reasons.get(6L).endsWith("(duplicate key 'kwh')"), reasons.get(6L));
    assertEquals("missing_event_id | id is empty or blank", reasons.get(7L));
    assertEquals("type | field at: '1772445600' is a number where TIMESTAMP is declared", reasons.get(8L));
    assertEquals(7, reasons.size(), reasons.toString());
    // The record is kept byte for byte: no replacement character stands in for the invalid sequence.
    assertEquals("7B226964223A227233C328227D", spark.read().format("delta").load(layout.quarantine(strict))
        .where("source_offset = 3").selectExpr("hex(cast(payload AS BINARY))").first().getString(0));

    // The same pipeline made lenient for kwh and at: silver gains _warnings, earlier rows read it as null.
    PipelineConfig lenient = pipeline(landing, "typing: {lenient: [kwh, at]}");
    drop(landing, "b.jsonl", lines(
        "{\"id\":\"r10\",\"at\":\"2026-03-02T12:00:00Z\",\"kwh\":\"2.5\"}",
        "{\"id\":\"r11\",\"at\":1772445600,\"kwh\":3}",
        "{\"id\":\"r12\",\"at\":1772445600000,\"kwh\":3}",
        "{\"id\":\"r13\",\"at\":\"2026-03-02T13:00:00Z\",\"kwh\":4}"));
    List<BatchMetrics> second = runOnce(layout, lenient);
    assertEquals(1, second.size(), second.toString());
    b = second.get(0);
    assertEquals(List.of(4L, 3L, 1L, 2L), List.of(b.received(), b.silverRows(), b.quarantined(), b.warnings()));
    assertTrue(b.reconciled());
    Map<String, String> warnings = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.silver(lenient))
        .selectExpr("id", "coalesce(array_join(transform(_warnings, w -> w.message), '; '), 'null')").collectAsList()) {
      warnings.put(r.getString(0), r.getString(1));
    }
    assertEquals(Map.of("r1", "null", "r9", "null", "r10", "field kwh: quoted '2.5' taken as DOUBLE",
        "r11", "field at: number 1772445600 taken as epoch seconds", "r13", ""), warnings);
    assertEquals("2026-03-02 10:00:00", spark.read().format("delta").load(layout.silver(lenient)).where("id = 'r11'")
        .selectExpr("date_format(to_utc_timestamp(at, current_timezone()), 'yyyy-MM-dd HH:mm:ss')").first().getString(0));
    assertEquals(2L, spark.read().format("delta").load(layout.opsBatches()).where("pipeline = 'meters'")
        .selectExpr("sum(warnings)").first().getLong(0));
    assertTrue(spark.read().format("delta").load(layout.quarantine(lenient)).where("event_id = 'r12'")
        .selectExpr("errors[0].message").first().getString(0).startsWith("field at: epoch value 1772445600000 is outside"));
  }

  @Test
  void ruleActionsAreCountedInOpsAndAFailRuleStopsThePipelineBeforeAnythingLands() throws Exception {
    Path landing = Files.createDirectories(tmp.resolve("landing"));
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    String rules = """
        rules:
          - {id: kwh_range, range: {field: kwh, min: 0, max: 100}}
          - {id: kwh_present, notNull: kwh, action: warn}
        """;
    PipelineConfig p = pipeline(landing, rules);
    drop(landing, "c.jsonl", lines(
        "{\"id\":\"r1\",\"at\":\"2026-03-02T10:00:00Z\",\"kwh\":5}",
        "{\"id\":\"r2\",\"at\":\"2026-03-02T10:00:00Z\",\"kwh\":500}",
        "{\"id\":\"r3\",\"at\":\"2026-03-02T10:00:00Z\"}",
        "{\"id\":\"r4\",\"at\":\"2026-03-02T10:00:00Z\",\"kwh\":\"x\"}"));
    BatchMetrics b = runOnce(layout, p).get(0);
    assertEquals(Map.of("kwh_range", 1L, "kwh_present", 1L, "type", 1L), b.rules());
    assertEquals(List.of(4L, 2L, 2L, 1L), List.of(b.received(), b.silverRows(), b.quarantined(), b.warnings()));
    Map<String, String> warnings = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.silver(p))
        .selectExpr("id", "array_join(transform(_warnings, w -> concat(w.rule, ': ', w.message)), '; ')").collectAsList()) {
      warnings.put(r.getString(0), r.getString(1));
    }
    assertEquals(Map.of("r1", "", "r3", "kwh_present: kwh is null"), warnings);
    assertEquals(Map.of("kwh_range", 1L, "kwh_present", 1L, "type", 1L), spark.read().format("delta")
        .load(layout.opsBatches()).first().getJavaMap(spark.read().format("delta").load(layout.opsBatches())
            .schema().fieldIndex("rules")));
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    io.tributary.ops.PipelineStatus.of(spark, layout, p).print(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
    assertTrue(printed.toString(StandardCharsets.UTF_8)
        .contains("rules        kwh_present 1, kwh_range 1, type 1 (records over the last 1 batches)"), printed.toString());

    PipelineConfig failing = pipeline(landing, rules + "  - {id: kwh_sane, range: {field: kwh, max: 1000}, action: fail}\n");
    drop(landing, "d.jsonl", lines(
        "{\"id\":\"r5\",\"at\":\"2026-03-02T11:00:00Z\",\"kwh\":5}",
        "{\"id\":\"r6\",\"at\":\"2026-03-02T11:00:00Z\",\"kwh\":5000}"));
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> runOnce(layout, failing));
    Throwable cause = e;
    while (cause != null && !(cause instanceof io.tributary.land.BatchLander.RuleFailure)) {
      cause = cause.getCause();
    }
    assertTrue(cause != null, "no RuleFailure in " + e);
    assertTrue(cause.getMessage().matches("pipeline meters batch 1: rule 'kwh_sane' \\(action: fail\\) failed for 1 record\\(s\\), "
        + "first at file:.*/d\\.jsonl offset 2: kwh 5000\\.0 is outside \\[, 1000\\]\\. Nothing of this batch was landed;.*"),
        cause.getMessage());
    assertEquals(4, spark.read().format("delta").load(layout.bronze(p)).count(), "d.jsonl landed nowhere");
    assertEquals(2, spark.read().format("delta").load(layout.silver(p)).count());
  }

  private Map<String, Double> silver(LakeLayout layout, PipelineConfig p) {
    Map<String, Double> out = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.silver(p)).selectExpr("id", "kwh").collectAsList()) {
      assertTrue(out.put(r.getString(0), r.getDouble(1)) == null, "twice in silver: " + r);
    }
    return out;
  }
}
