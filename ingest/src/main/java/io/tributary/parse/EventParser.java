package io.tributary.parse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.to_date;

import io.tributary.config.PipelineConfig;
import io.tributary.source.RawColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
  private static final String PARSED = "_parsed";

  private EventParser() {}

  /** Parses JSON-lines ({@code json}) or header-less CSV lines ({@code csv}) against the pipeline schema. */
  public static Dataset<Row> parse(Dataset<Row> raw, PipelineConfig pipeline, String format) {
    StructType schema = StructType.fromDDL(pipeline.schemaDdl());
    StructType withCorrupt = schema.add(CORRUPT, DataTypes.StringType);
    Map<String, String> options = Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT);
    Column parsed = format.equals("csv")
        ? from_csv(col(RawColumns.PAYLOAD), org.apache.spark.sql.functions.lit(withCorrupt.toDDL()), options)
        : from_json(col(RawColumns.PAYLOAD), withCorrupt, options);

    List<Column> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      out.add(col(PARSED + "." + f.name()).as(f.name()));
    }
    out.add(to_date(col(PARSED + "." + pipeline.eventTime())).as(PipelineConfig.EVENT_DATE));
    // Every raw column travels on (source coordinates, row keys, flags a source added).
    for (String c : raw.columns()) {
      out.add(col(c));
    }
    Column errors = errors(schema, pipeline, format);
    if (format.equals("csv") && List.of(raw.columns()).contains(RawColumns.CSV_HEADER)) {
      errors = csvHeaderCheck(schema).otherwise(errors);
    }
    out.add(errors.as(ERRORS));
    return raw.withColumn(PARSED, parsed).select(out.toArray(Column[]::new));
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
   * The reasons a row is not a usable event. For JSON, a record that does not match the schema is explained
   * field by field: a field present in the JSON whose typed value is null had a value of the wrong type.
   */
  private static Column errors(StructType schema, PipelineConfig p, String format) {
    String corrupt = PARSED + "." + CORRUPT;
    String payload = RawColumns.PAYLOAD;
    String mismatch;
    if (format.equals("csv")) {
      mismatch = "array(named_struct('rule', 'parse', 'message', 'CSV line does not match the schema (column count or types)'))";
    } else {
      List<String> fieldChecks = new ArrayList<>();
      for (StructField f : schema.fields()) {
        String raw = "get_json_object(" + payload + ", '$." + f.name() + "')";
        fieldChecks.add("CASE WHEN " + PARSED + ".`" + f.name() + "` IS NULL AND " + raw + " IS NOT NULL THEN "
            + "named_struct('rule', 'parse', 'message', concat('field " + f.name() + ": value ''', substr(" + raw
            + ", 1, 60), ''' is not " + f.dataType().sql() + "')) END");
      }
      String fieldErrors = "filter(array(" + String.join(", ", fieldChecks) + "), e -> e IS NOT NULL)";
      mismatch = "CASE WHEN json_tuple_valid IS NULL THEN array(named_struct('rule', 'parse', 'message', "
          + "concat('malformed JSON: ', substr(" + payload + ", 1, 80)))) "
          + "WHEN size(" + fieldErrors + ") > 0 THEN " + fieldErrors + " "
          + "ELSE array(named_struct('rule', 'parse', 'message', 'record does not match the schema')) END";
      mismatch = mismatch.replace("json_tuple_valid", "get_json_object(" + payload + ", '$')");
    }
    String required = "filter(array("
        + "CASE WHEN " + PARSED + ".`" + p.eventId() + "` IS NULL THEN named_struct('rule', 'missing_event_id', "
        + "'message', '" + p.eventId() + " is missing') END, "
        + "CASE WHEN " + PARSED + ".`" + p.eventTime() + "` IS NULL THEN named_struct('rule', 'missing_event_time', "
        + "'message', '" + p.eventTime() + " is missing') END), e -> e IS NOT NULL)";
    return expr("CASE WHEN " + PARSED + " IS NULL THEN array(named_struct('rule', 'parse', 'message', 'empty record')) "
        + "WHEN " + corrupt + " IS NOT NULL THEN " + mismatch + " ELSE " + required + " END");
  }
}
