package io.tributary.parse;

import io.tributary.config.PipelineConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The typing contract for CSV lines, as SQL over two readings of the line: typed, and every column as text.
 * CSV carries only text, so a value is of its type when Spark's parser reads its text as that type; beyond
 * that, a decimal may not have more fractional digits than its scale (rounded with a warning when the field is
 * lenient) and the event id may not be blank, exactly as for JSON ({@link JsonContract}).
 */
final class CsvContract {
  static final String EMPTY = "CAST(array() AS ARRAY<STRUCT<rule: STRING, message: STRING>>)";

  private CsvContract() {}

  /** The schema with every field as STRING. */
  static StructType textSchema(StructType schema) {
    StructType text = new StructType();
    for (StructField f : schema.fields()) {
      text = text.add(f.name(), DataTypes.StringType);
    }
    return text;
  }

  /** The contract's errors, as an SQL array of (rule, message); {@code parsed} and {@code text} are the two readings. */
  static String errors(StructType schema, PipelineConfig p, String parsed, String text) {
    List<String> checks = new ArrayList<>();
    for (StructField f : schema.fields()) {
      String t = text + ".`" + f.name() + "`";
      String v = parsed + ".`" + f.name() + "`";
      if (!f.dataType().equals(DataTypes.StringType)) {
        checks.add("CASE WHEN " + t + " IS NOT NULL AND " + v + " IS NULL THEN named_struct('rule', 'type', 'message', "
            + "concat('field " + f.name() + ": ''', substr(" + t + ", 1, 60), ''' is not " + f.dataType().sql() + "')) END");
      }
      if (f.dataType() instanceof DecimalType d && !p.typing().isLenient(f.name())) {
        checks.add(tooManyDigits(f, d, t, " (it would be rounded)"));
      }
      if (f.name().equals(p.eventId()) && f.dataType().equals(DataTypes.StringType)) {
        checks.add("CASE WHEN " + t + " IS NOT NULL AND trim(" + t + ") = '' THEN named_struct('rule', 'missing_event_id', "
            + "'message', '" + f.name() + " is empty or blank') END");
      }
    }
    return checks.isEmpty() ? EMPTY : "filter(array(" + String.join(", ", checks) + "), e -> e IS NOT NULL)";
  }

  /** Coercions lenient fields accepted: decimals rounded to their scale. */
  static String warnings(StructType schema, PipelineConfig p, String text) {
    List<String> checks = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (f.dataType() instanceof DecimalType d && p.typing().isLenient(f.name())) {
        checks.add(tooManyDigits(f, d, text + ".`" + f.name() + "`", "; rounded half-up"));
      }
    }
    return checks.isEmpty() ? EMPTY : "filter(array(" + String.join(", ", checks) + "), e -> e IS NOT NULL)";
  }

  private static String tooManyDigits(StructField f, DecimalType d, String t, String outcome) {
    // Fractional digits that are not trailing zeros: 1.50 fits DECIMAL(p,1), 1.55 does not.
    String fraction = "length(regexp_extract(trim(" + t + "), '^[+-]?[0-9]*\\\\.([0-9]*?)0*$', 1))";
    return "CASE WHEN " + fraction + " > " + d.scale() + " THEN named_struct('rule', 'type', 'message', "
        + "concat('field " + f.name() + ": ', substr(trim(" + t + "), 1, 60), ' has ', " + fraction
        + ", ' fractional digits, more than the " + d.scale() + " of " + d.sql() + outcome + "')) END";
  }
}
