package io.tributary.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.source.RawColumns;
import io.tributary.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typing contract on hostile records: what strict refuses (with the field named), what lenient coerces (each
 * coercion a warning), the same for JSON and CSV. Every case asserts the exact outcome of its record.
 */
class TypingContractTest {
  private static final String OK_TS = "\"ts\":\"2026-01-01T00:00:00Z\"";
  private final SparkSession spark = TestSpark.get();

  @TempDir Path tmp;

  private PipelineConfig pipeline(String schema, String typing) throws Exception {
    Path f = tmp.resolve("p" + System.nanoTime() + ".yaml");
    Files.writeString(f, "name: p\nsource: {directory: {path: /x}}\nschema: " + schema + "\neventId: id\neventTime: ts\n"
        + typing);
    return PipelineLoader.load(f);
  }

  /** Payload (by SQL expression, so invalid UTF-8 can be built from bytes) to its outcome. */
  private Map<String, Row> parse(PipelineConfig p, String format, List<String> payloadSql) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < payloadSql.size(); i++) {
      rows.add(RowFactory.create((long) i, payloadSql.get(i)));
    }
    Dataset<Row> in = spark.createDataFrame(rows, StructType.fromDDL("i BIGINT, sql STRING"));
    StringBuilder cases = new StringBuilder("CASE i");
    for (int i = 0; i < payloadSql.size(); i++) {
      cases.append(" WHEN ").append(i).append(" THEN ").append(payloadSql.get(i));
    }
    Dataset<Row> raw = in.selectExpr(cases + " END AS " + RawColumns.PAYLOAD, "'f' AS " + RawColumns.SOURCE,
        "CAST(NULL AS INT) AS " + RawColumns.PARTITION, "i AS " + RawColumns.OFFSET,
        "CAST(NULL AS TIMESTAMP) AS " + RawColumns.SOURCE_TIME);
    Map<String, Row> out = new LinkedHashMap<>();
    for (Row r : EventParser.parse(raw, p, format).orderBy(RawColumns.OFFSET).selectExpr("*",
        "transform(" + EventParser.ERRORS + ", e -> concat(e.rule, ': ', e.message)) AS errs",
        "transform(" + EventParser.WARNINGS + ", e -> concat(e.rule, ': ', e.message)) AS warns").collectAsList()) {
      out.put(payloadSql.get((int) r.getLong(r.fieldIndex(RawColumns.OFFSET))), r);
    }
    return out;
  }

  private static String json(String body) {
    return "'" + body.replace("'", "''") + "'";
  }

  private static List<String> errors(Row r) {
    return r.getList(r.fieldIndex("errs"));
  }

  private static List<String> warnings(Row r) {
    return r.getList(r.fieldIndex("warns"));
  }

  @Test
  void strictJsonRefusesEveryValueNotAlreadyOfItsTypeAndNamesTheField() throws Exception {
    PipelineConfig p = pipeline("id STRING, ts TIMESTAMP, qty INT, price DECIMAL(10,2), score DOUBLE, ok BOOLEAN, "
        + "tags ARRAY<STRING>, note STRING", "");
    String valid = json("{\"id\":\"a\"," + OK_TS + ",\"qty\":2,\"price\":12.50,\"score\":1e3,\"ok\":true,\"tags\":[\"x\"],\"note\":\"n\"}");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put(json("{\"id\":\"b\"," + OK_TS + ",\"qty\":\"2\"}"), "type: field qty: '2' is a string where INT is declared");
    expected.put(json("{\"id\":\"b\"," + OK_TS + ",\"price\":\"12.50\"}"),
        "type: field price: '12.50' is a string where DECIMAL(10,2) is declared");
    expected.put(json("{\"id\":\"b\",\"ts\":1767225600}"),
        "type: field ts: '1767225600' is a number where TIMESTAMP is declared");
    expected.put(json("{\"id\":\"b\"," + OK_TS + ",\"note\":{\"a\":1}}"), "type: field note: is an object where STRING is declared");
    expected.put(json("{\"id\":\"b\"," + OK_TS + ",\"note\":5}"),
        "type: field note: '5' is a number where STRING is declared; taken as text");
    expected.put(json("{\"id\":\"b\"," + OK_TS + ",\"ok\":\"true\"}"), "type: field ok: 'true' is a string where BOOLEAN is declared");
    expected.put(json("{\"id\":\"b\"," + OK_TS + ",\"tags\":\"x\"}"), "type: field tags: 'x' is a string where ARRAY<STRING> is declared");
    expected.put(json("{\"id\":\"b\"," + OK_TS + ",\"price\":1.234}"),
        "type: field price: 1.234 has 3 fractional digits, more than the 2 of DECIMAL(10,2) (it would be rounded)");
    expected.put(json("{\"id\":\"b\"," + OK_TS + ",\"price\":123456789.5}"),
        "type: field price: 123456789.5 has 9 integer digits, more than DECIMAL(10,2) holds");
    expected.put(json("{\"id\":\"b\"," + OK_TS + ",\"qty\":3000000000}"), "type: field qty: 3000000000 is out of the range of INT");
    expected.put(json("{\"id\":\"b\"," + OK_TS + ",\"qty\":2.5}"), "type: field qty: 2.5 has a fraction where INT is declared");
    expected.put(json("{\"id\":\"  \"," + OK_TS + "}"), "missing_event_id: id is empty or blank");
    expected.put(json("{\"id\":\"\"," + OK_TS + "}"), "missing_event_id: id is empty or blank");
    expected.put(json("{\"ts\":\"2026-01-01T00:00:00Z\"}"), "missing_event_id: id is missing");
    expected.put(json("{\"id\":\"b\",\"ts\":\"not-a-time\"}"), "type: field ts: value 'not-a-time' is not TIMESTAMP");
    expected.put("concat(" + json("{\"id\":\"b\"," + OK_TS + "}") + ", ' ', " + json("{\"id\":\"c\"," + OK_TS + "}") + ")",
        "parse: malformed JSON: {\"id\":\"b\",\"ts\":\"2026-01-01T00:00:00Z\"} {\"id\":\"c\",\"ts\":\"2026-01-01T00:00:00Z\"}"
            + " (an object after the record's object; one record is one object)");
    expected.put(json("[{\"id\":\"b\"," + OK_TS + "}]"),
        "parse: malformed JSON: [{\"id\":\"b\",\"ts\":\"2026-01-01T00:00:00Z\"}] (an array at the top level, not one object)");
    expected.put(json("{\"id\":\"b\",\"id\":\"c\"," + OK_TS + "}"), "parse: malformed JSON: {\"id\":\"b\",\"id\":\"c\",\"ts\":"
        + "\"2026-01-01T00:00:00Z\"} (duplicate key 'id')");
    expected.put("cast(unhex('7B226964223A2262FF22') AS STRING)",
        "encoding: the record is not valid UTF-8 text; the producer must send UTF-8");

    List<String> payloads = new ArrayList<>(expected.keySet());
    payloads.add(valid);
    String trailing = json("{\"id\":\"b\"," + OK_TS + "} xyz");
    String nul = "concat('{\"id\":\"b', char(0), '\",', " + json(OK_TS) + ", '}')";
    String deep = "concat('{\"id\":\"b\"," + OK_TS.replace("\"", "\\\"") + ",\"x\":', repeat('[', 1500), repeat(']', 1500), '}')";
    payloads.addAll(List.of(trailing, nul, deep));
    Map<String, Row> out = parse(p, "json", payloads);

    expected.forEach((payload, error) -> assertEquals(List.of(error), errors(out.get(payload)), payload));
    Row ok = out.get(valid);
    assertEquals(List.of(), errors(ok));
    assertEquals(List.of(), warnings(ok));
    assertEquals(new BigDecimal("12.50"), ok.getDecimal(ok.fieldIndex("price")));
    assertEquals(2, ok.getInt(ok.fieldIndex("qty")));
    assertEquals(1000.0, ok.getDouble(ok.fieldIndex("score")));
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), ok.getTimestamp(ok.fieldIndex("ts")).toInstant());
    for (String bad : List.of(trailing, nul, deep)) {
      List<String> e = errors(out.get(bad));
      assertEquals(1, e.size(), bad + " -> " + e);
      assertTrue(e.get(0).startsWith("parse: malformed JSON: "), e.get(0));
    }
    assertTrue(errors(out.get(trailing)).get(0).contains("Unrecognized token 'xyz'"), errors(out.get(trailing)).toString());
    assertTrue(errors(out.get(nul)).get(0).contains("CTRL-CHAR"), errors(out.get(nul)).toString());
    assertTrue(errors(out.get(deep)).get(0).contains("nesting depth"), errors(out.get(deep)).toString());
  }

  @Test
  void lenientJsonCoercesAndRecordsEachCoercionAsAWarning() throws Exception {
    PipelineConfig p = pipeline("id STRING, ts TIMESTAMP, qty INT, price DECIMAL(10,2), note STRING",
        "typing: {mode: lenient}");
    String quotedInt = json("{\"id\":\"a\"," + OK_TS + ",\"qty\":\"2\"}");
    String rounded = json("{\"id\":\"b\"," + OK_TS + ",\"price\":\"12.345\"}");
    String epoch = json("{\"id\":\"c\",\"ts\":1767225600}");
    String millis = json("{\"id\":\"d\",\"ts\":1767225600000}");
    String notInt = json("{\"id\":\"e\"," + OK_TS + ",\"qty\":\"x\"}");
    String number = json("{\"id\":\"f\"," + OK_TS + ",\"note\":5}");
    Map<String, Row> out = parse(p, "json", List.of(quotedInt, rounded, epoch, millis, notInt, number));

    Row r = out.get(quotedInt);
    assertEquals(List.of(), errors(r));
    assertEquals(2, r.getInt(r.fieldIndex("qty")));
    assertEquals(List.of("type: field qty: quoted '2' taken as INT"), warnings(r));
    r = out.get(rounded);
    assertEquals(List.of(), errors(r));
    assertEquals(new BigDecimal("12.35"), r.getDecimal(r.fieldIndex("price")), "half-up, as the warning says");
    assertEquals(List.of("type: field price: quoted '12.345' taken as DECIMAL(10,2)",
        "type: field price: 12.345 has 3 fractional digits, more than the 2 of DECIMAL(10,2); rounded half-up"), warnings(r));
    r = out.get(epoch);
    assertEquals(List.of(), errors(r));
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), r.getTimestamp(r.fieldIndex("ts")).toInstant());
    assertEquals(List.of("type: field ts: number 1767225600 taken as epoch seconds"), warnings(r));
    assertEquals(List.of("type: field ts: epoch value 1767225600000 is outside 1900-2200 as seconds (milliseconds or "
        + "microseconds must be sent as text timestamps)"), errors(out.get(millis)));
    assertEquals(List.of("type: field qty: 'x' is not INT"), errors(out.get(notInt)));
    r = out.get(number);
    assertEquals(List.of(), errors(r));
    assertEquals("5", r.getString(r.fieldIndex("note")));
    assertEquals(List.of("type: field note: '5' is a number where STRING is declared; taken as text"), warnings(r));
  }

  @Test
  void perFieldLenienceLeavesTheOtherFieldsStrict() throws Exception {
    PipelineConfig p = pipeline("id STRING, ts TIMESTAMP, qty INT, price DECIMAL(10,2)", "typing: {lenient: [qty]}");
    String both = json("{\"id\":\"a\"," + OK_TS + ",\"qty\":\"2\",\"price\":\"1.00\"}");
    Map<String, Row> out = parse(p, "json", List.of(both));
    assertEquals(List.of("type: field price: '1.00' is a string where DECIMAL(10,2) is declared"), errors(out.get(both)));
    assertEquals(List.of("type: field qty: quoted '2' taken as INT"), warnings(out.get(both)));
  }

  @Test
  void csvFollowsTheSameContract() throws Exception {
    String schema = "id STRING, ts TIMESTAMP, qty INT, price DECIMAL(10,2)";
    PipelineConfig strict = pipeline(schema, "");
    String valid = "'a,2026-01-01T00:00:00Z,2,1.230'";
    String fraction = "'b,2026-01-01T00:00:00Z,2.5,1.00'";
    String digits = "'c,2026-01-01T00:00:00Z,2,1.234'";
    String blank = "' ,2026-01-01T00:00:00Z,2,1.00'";
    String epoch = "'d,1767225600,2,1.00'";
    Map<String, Row> out = parse(strict, "csv", List.of(valid, fraction, digits, blank, epoch));
    Row ok = out.get(valid);
    assertEquals(List.of(), errors(ok));
    assertEquals(new BigDecimal("1.23"), ok.getDecimal(ok.fieldIndex("price")), "a trailing zero is not rounding");
    assertEquals(List.of("type: field qty: '2.5' is not INT"), errors(out.get(fraction)));
    assertEquals(List.of("type: field price: 1.234 has 3 fractional digits, more than the 2 of DECIMAL(10,2) "
        + "(it would be rounded)"), errors(out.get(digits)));
    assertEquals(List.of("missing_event_id: id is empty or blank"), errors(out.get(blank)));
    assertEquals(List.of("type: field ts: '1767225600' is not TIMESTAMP"), errors(out.get(epoch)));

    PipelineConfig lenient = pipeline(schema, "typing: {lenient: [price]}");
    out = parse(lenient, "csv", List.of(digits));
    Row r = out.get(digits);
    assertEquals(List.of(), errors(r));
    assertEquals(new BigDecimal("1.23"), r.getDecimal(r.fieldIndex("price")));
    assertEquals(List.of("type: field price: 1.234 has 3 fractional digits, more than the 2 of DECIMAL(10,2); "
        + "rounded half-up"), warnings(r));
  }
}
