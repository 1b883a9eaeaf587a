package io.tributary.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.source.RawColumns;
import io.tributary.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and rules as pure Dataset functions, without files or streams. */
class RuleCheckerTest {
  private final SparkSession spark = TestSpark.get();

  @TempDir Path tmp;

  private PipelineConfig pipeline(String rules) throws Exception {
    Path f = tmp.resolve("p.yaml");
    Files.writeString(f, "name: p\nsource: {directory: {path: /x}}\nschema: id STRING, ts TIMESTAMP, qty INT, "
        + "note STRING\neventId: id\neventTime: ts\nrules:\n" + rules);
    return PipelineLoader.load(f);
  }

  @Test
  void eachRowGetsTheReasonsItFailed() throws Exception {
    PipelineConfig p = pipeline("  - {id: qty_positive, expr: qty > 0, message: \"qty must be > 0, it's required\"}\n");
    RuleChecker.validate(spark, p);
    StructType raw = StructType.fromDDL(RawColumns.PAYLOAD + " STRING, " + RawColumns.SOURCE + " STRING, "
        + RawColumns.PARTITION + " INT, " + RawColumns.OFFSET + " BIGINT, " + RawColumns.SOURCE_TIME + " TIMESTAMP");
    Dataset<Row> in = spark.createDataFrame(List.of(
        RowFactory.create("{\"id\":\"a\",\"ts\":\"2026-01-01T00:00:00Z\",\"qty\":2}", "f", null, 1L, null),
        RowFactory.create("{\"id\":\"b\",\"ts\":\"2026-01-01T00:00:00Z\",\"qty\":0}", "f", null, 2L, null),
        RowFactory.create("{\"id\":\"c\",\"ts\":\"2026-01-01T00:00:00Z\"}", "f", null, 3L, null),
        RowFactory.create("{\"id\":\"d\",\"ts\":\"yesterday\",\"qty\":1}", "f", null, 4L, null),
        RowFactory.create("[1,2", "f", null, 5L, null)), raw);
    List<Row> out = RuleChecker.apply(EventParser.parse(in, p, "json"), p)
        .selectExpr(RawColumns.OFFSET, "transform(" + EventParser.ERRORS + ", e -> concat(e.rule, ': ', e.message))")
        .orderBy(RawColumns.OFFSET).collectAsList();
    assertEquals(List.of(), out.get(0).getList(1));
    assertEquals(List.of("qty_positive: qty must be > 0, it's required"), out.get(1).getList(1));
    assertEquals(List.of("qty_positive: qty must be > 0, it's required"), out.get(2).getList(1), "null fails a rule");
    assertEquals(List.of("type: field ts: value 'yesterday' is not TIMESTAMP"), out.get(3).getList(1));
    assertTrue(out.get(4).<String>getList(1).get(0).startsWith("parse: malformed JSON: [1,2"), out.get(4).toString());
  }

  @Test
  void rulesMustCompileAndBeConditions() throws Exception {
    ConfigException e = assertThrows(ConfigException.class,
        () -> RuleChecker.validate(spark, pipeline("  - {id: r1, expr: qty}\n")));
    assertEquals("pipeline p: rule 'r1' expression 'qty' is INT, not a condition; write a comparison such as "
        + "'quantity > 0'", e.getMessage());
    e = assertThrows(ConfigException.class, () -> RuleChecker.validate(spark, pipeline("  - {id: r2, expr: prise > 0}\n")));
    assertTrue(e.getMessage().startsWith("pipeline p: rule 'r2' expression 'prise > 0' is invalid:"), e.getMessage());
  }

  @Test
  void theRulesLibraryNamesFieldAndValueAndHonoursEachAction() throws Exception {
    PipelineConfig p = pipeline("""
          - {id: qty_range, range: {field: qty, min: 1, max: 10}}
          - {id: note_known, allowed: {field: note, values: [ok, fine]}, action: warn}
          - {id: note_shape, regex: {field: note, pattern: '^[a-z]+$'}}
          - {id: one_per_batch, unique: note}
          - {id: not_future, eventTimeSkew: {future: 1 day, past: 3650 days}}
          - {id: small, maxPayloadBytes: 120}
          - {id: flat, maxDepth: 2}
          - {id: note_present, notNull: note, action: warn}
        """);
    RuleChecker.validate(spark, p);
    StructType raw = StructType.fromDDL(RawColumns.PAYLOAD + " STRING, " + RawColumns.SOURCE + " STRING, "
        + RawColumns.PARTITION + " INT, " + RawColumns.OFFSET + " BIGINT, " + RawColumns.SOURCE_TIME + " TIMESTAMP");
    String ts = "\"ts\":\"2026-01-01T00:00:00Z\"";
    List<String> payloads = List.of(
        "{\"id\":\"a\"," + ts + ",\"qty\":2,\"note\":\"ok\"}",
        "{\"id\":\"b\"," + ts + ",\"qty\":11,\"note\":\"fine\"}",
        "{\"id\":\"c\"," + ts + ",\"qty\":3,\"note\":\"odd\"}",
        "{\"id\":\"d\"," + ts + ",\"qty\":3,\"note\":\"Odd1\"}",
        "{\"id\":\"e\"," + ts + ",\"qty\":3,\"note\":\"ok\"}",
        "{\"id\":\"f\",\"ts\":\"2099-01-01T00:00:00Z\",\"qty\":3,\"note\":\"x\"}",
        "{\"id\":\"g\"," + ts + ",\"qty\":3,\"note\":\"y\",\"extra\":\"" + "z".repeat(80) + "\"}",
        "{\"id\":\"h\"," + ts + ",\"qty\":3,\"note\":\"w\",\"extra\":{\"a\":[1]}}",
        "{\"id\":\"i\"," + ts + ",\"qty\":3}");
    List<Row> in = new java.util.ArrayList<>();
    for (int i = 0; i < payloads.size(); i++) {
      in.add(RowFactory.create(payloads.get(i), "f", null, (long) i + 1, null));
    }
    List<Row> out = RuleChecker.apply(EventParser.parse(spark.createDataFrame(in, raw), p, "json"), p)
        .selectExpr(RawColumns.OFFSET, "transform(" + EventParser.ERRORS + ", e -> concat(e.rule, ': ', e.message))",
            "transform(" + EventParser.WARNINGS + ", e -> concat(e.rule, ': ', e.message))")
        .orderBy(RawColumns.OFFSET).collectAsList();
    assertEquals(List.of(), out.get(0).getList(1));
    assertEquals(List.of(), out.get(0).getList(2));
    assertEquals(List.of("qty_range: qty 11 is outside [1, 10]"), out.get(1).getList(1));
    assertEquals(List.of(), out.get(2).getList(1), "allowed only warns");
    assertEquals(List.of("note_known: note 'odd' is not one of ok, fine"), out.get(2).getList(2));
    assertEquals(List.of("note_shape: note 'Odd1' does not match ^[a-z]+$"), out.get(3).getList(1));
    assertEquals(List.of("one_per_batch: note 'ok' appeared earlier in the same batch"), out.get(4).getList(1),
        "the first 'ok' (offset 1) passes, the later one fails");
    assertEquals(List.of("not_future: ts 2099-01-01 00:00:00 is more than 1 day after ingestion"), out.get(5).getList(1));
    assertTrue(out.get(6).<String>getList(1).contains("small: the record is 148 bytes, more than 120"), out.get(6).toString());
    assertEquals(List.of("flat: the record nests 3 levels deep, more than 2"), out.get(7).getList(1));
    assertEquals(List.of(), out.get(8).getList(1));
    assertEquals(List.of("note_present: note is null"), out.get(8).getList(2), "allowed passes null; notNull warns");
  }

  @Test
  void typedRulesAreCheckedWhenThePipelineLoads() throws Exception {
    ConfigException e = assertThrows(ConfigException.class,
        () -> pipeline("  - {id: r, range: {field: qtty, min: 1}}\n"));
    assertTrue(e.getMessage().contains("rules[0] 'qtty' is not a field of the schema"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> pipeline("  - {id: r, notNull: qty, expr: qty > 0}\n"));
    assertTrue(e.getMessage().contains("needs exactly one check"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> pipeline("  - {id: r, notNull: qty, action: drop}\n"));
    assertTrue(e.getMessage().contains("action must be quarantine, warn or fail, not 'drop'"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> pipeline("  - {id: r, regex: {field: note, pattern: '(a'}}\n"));
    assertTrue(e.getMessage().contains("regex pattern '(a' is invalid"), e.getMessage());
    PipelineConfig p = pipeline("  - {id: r, range: {field: qty, min: lots}}\n");
    e = assertThrows(ConfigException.class, () -> RuleChecker.validate(spark, p));
    assertTrue(e.getMessage().startsWith("pipeline p: rule 'r' is invalid: "), e.getMessage());
  }
}
