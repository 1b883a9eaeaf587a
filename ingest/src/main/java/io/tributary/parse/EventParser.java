package io.tributary.parse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.to_date;

import io.tributary.config.PipelineConfig;
import io.tributary.source.RawColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Parses raw payloads into typed event columns and records, per row, why parsing failed.
 *
 * <p>Output: the event fields at top level, {@code event_date} (the date of the event time), every column
 * of the input (the {@link RawColumns}), and {@link #ERRORS}: an array of (rule, message) structs, empty when the record parsed
 * and carries its id and time. Nothing is filtered here; the lander routes rows by {@link #ERRORS}.
 */
public final class EventParser {
  /** Array of struct(rule STRING, message STRING); empty means the row is valid so far. */
  public static final String ERRORS = "_errors";
  private static final String CORRUPT = "_corrupt_record";
  /** Array of struct(rule STRING, message STRING): coercions a lenient field accepted; empty for most rows. */
  public static final String WARNINGS = "_warnings";
  /** INT: how deeply the record nests (1 for a flat JSON object or a CSV line), for the maxDepth rule. */
  public static final String DEPTH = "_depth";
  private static final String PARSED = "_parsed";
  private static final String CONTRACT = "_contract";
  private static final String TEXT = "_text";

  private EventParser() {}

  /**
   * Parses JSON-lines ({@code json}) or header-less CSV lines ({@code csv}) against the pipeline schema, under
   * its typing contract ({@link io.tributary.config.TypingConfig}): the same rules for every source and format.
   */
  public static Dataset<Row> parse(Dataset<Row> raw, PipelineConfig pipeline, String format) {
    StructType schema = StructType.fromDDL(pipeline.schemaDdl());
    StructType withCorrupt = schema.add(CORRUPT, DataTypes.StringType);
    Map<String, String> options = Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT);
    boolean csv = format.equals("csv");
    Column parsed = csv
        ? from_csv(col(RawColumns.PAYLOAD), lit(withCorrupt.toDDL()), options)
        : from_json(col(RawColumns.PAYLOAD), withCorrupt, options);

    List<Column> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      out.add(expr(value(f, pipeline, csv)).as(f.name()));
    }
    out.add(to_date(expr(value(schema.apply(pipeline.eventTime()), pipeline, csv))).as(PipelineConfig.EVENT_DATE));
    // Every raw column travels on (source coordinates, row keys, flags a source added).
    for (String c : raw.columns()) {
      out.add(col(c));
    }
    Column errors = errors(schema, pipeline, csv);
    if (csv && List.of(raw.columns()).contains(RawColumns.CSV_HEADER)) {
      errors = csvHeaderCheck(schema).otherwise(errors);
    }
    out.add(errors.as(ERRORS));
    out.add(csv ? expr(CsvContract.warnings(schema, pipeline, TEXT)).as(WARNINGS) : col(CONTRACT + ".warnings").as(WARNINGS));
    out.add(csv ? lit(1).as(DEPTH) : col(CONTRACT + ".depth").as(DEPTH));
    Dataset<Row> withParsed = raw.withColumn(PARSED, parsed);
    if (csv) {
      withParsed = withParsed.withColumn(TEXT, from_csv(col(RawColumns.PAYLOAD),
          lit(CsvContract.textSchema(schema).toDDL()), Map.of("mode", "PERMISSIVE")));
    } else {
      JsonContract contract = new JsonContract(pipeline);
      UserDefinedFunction check = udf((UDF1<String, Row>) contract::check, JsonContract.RESULT);
      withParsed = withParsed.withColumn(CONTRACT, check.apply(col(RawColumns.PAYLOAD)));
    }
    return withParsed.select(out.toArray(Column[]::new));
  }

  /**
   * A field's value: the parser's, and for a lenient JSON field whose text Spark's parser did not take (a quoted
   * number), the text cast to the field's type; the contract has already checked that cast.
   */
  private static String value(StructField f, PipelineConfig p, boolean csv) {
    String typed = PARSED + ".`" + f.name() + "`";
    if (csv || !p.typing().isLenient(f.name()) || f.dataType().equals(DataTypes.StringType)) {
      return typed;
    }
    return "coalesce(" + typed + ", try_cast(get_json_object(" + RawColumns.PAYLOAD + ", '$." + f.name() + "') AS "
        + f.dataType().sql() + "))";
  }

  /**
   * CSV is read by position, so a file whose header names other columns, or the same in another order, would
   * land values in the wrong fields: all its lines are quarantined instead.
   */
  private static Column csvHeaderCheck(StructType schema) {
    String expected = String.join(",", schema.fieldNames()).toLowerCase(java.util.Locale.ROOT);
    Column actual = org.apache.spark.sql.functions.lower(
        org.apache.spark.sql.functions.regexp_replace(col(RawColumns.CSV_HEADER), "[\\s\"]", ""));
    return org.apache.spark.sql.functions.when(actual.notEqual(org.apache.spark.sql.functions.lit(expected)),
        expr("array(named_struct('rule', 'csv_header', 'message', concat('the file header ''', "
            + RawColumns.CSV_HEADER + ", ''' does not match the schema columns ''" + expected + "''')))"));
  }

  /**
   * The reasons a row is not a usable event, first match wins: no record, text that is not UTF-8, a breach of the
   * typing contract, a value Spark's parser could not read (explained field by field), a missing id or time.
   */
  private static Column errors(StructType schema, PipelineConfig p, boolean csv) {
    String corrupt = PARSED + "." + CORRUPT;
    String payload = RawColumns.PAYLOAD;
    String contract = csv ? CsvContract.errors(schema, p, PARSED, TEXT) : CONTRACT + ".errors";
    String required = "filter(array("
        + "CASE WHEN " + PARSED + ".`" + p.eventId() + "` IS NULL THEN named_struct('rule', 'missing_event_id', "
        + "'message', '" + p.eventId() + " is missing') END, "
        + "CASE WHEN " + PARSED + ".`" + p.eventTime() + "` IS NULL THEN named_struct('rule', 'missing_event_time', "
        + "'message', '" + p.eventTime() + " is missing') END), e -> e IS NOT NULL)";
    String mismatch;
    if (csv) {
      mismatch = "array(named_struct('rule', 'parse', 'message', 'CSV line does not match the schema (column count or types)'))";
    } else {
      List<String> fieldChecks = new ArrayList<>();
      for (StructField f : schema.fields()) {
        String raw = "get_json_object(" + payload + ", '$." + f.name() + "')";
        fieldChecks.add("CASE WHEN (" + value(f, p, false) + ") IS NULL AND " + raw + " IS NOT NULL THEN "
            + "named_struct('rule', 'type', 'message', concat('field " + f.name() + ": value ''', substr(" + raw
            + ", 1, 60), ''' is not " + f.dataType().sql() + "')) END");
      }
      String fieldErrors = "filter(array(" + String.join(", ", fieldChecks) + "), e -> e IS NOT NULL)";
      // With lenient fields, Spark's parser flags quoted numbers the contract accepted; only in a strict pipeline
      // does an unexplained mismatch mean the record does not fit the schema.
      String unexplained = p.typing().anyLenient() ? required
          : "array(named_struct('rule', 'parse', 'message', 'record does not match the schema'))";
      mismatch = "CASE WHEN get_json_object(" + payload + ", '$') IS NULL THEN array(named_struct('rule', 'parse', "
          + "'message', concat('malformed JSON: ', substr(" + payload + ", 1, 80)))) "
          + "WHEN size(" + fieldErrors + ") > 0 THEN " + fieldErrors + " "
          + "ELSE " + unexplained + " END";
    }
    return expr("CASE WHEN " + PARSED + " IS NULL THEN array(named_struct('rule', 'parse', 'message', 'empty record')) "
        + "WHEN NOT is_valid_utf8(" + payload + ") THEN array(named_struct('rule', 'encoding', 'message', "
        + "'the record is not valid UTF-8 text; the producer must send UTF-8')) "
        + "WHEN size(" + contract + ") > 0 THEN " + contract + " "
        + "WHEN " + corrupt + " IS NOT NULL THEN " + mismatch + " ELSE " + required + " END");
  }
}
