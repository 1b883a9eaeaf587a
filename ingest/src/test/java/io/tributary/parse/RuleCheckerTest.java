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
    assertEquals(List.of("parse: field ts: value 'yesterday' is not TIMESTAMP"), out.get(3).getList(1));
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
}
