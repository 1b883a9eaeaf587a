package io.tributary.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.tributary.config.PipelineConfig;
import io.tributary.config.TypingConfig;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The typing contract for JSON records, checked on the record's own tokens (Spark's {@code from_json} cannot
 * tell {@code "12"} from {@code 12}, and silently rounds decimals, reads several objects or a trailing word as
 * one record, and keeps the last of two equal keys).
 *
 * <p>A record is exactly one JSON object with unique keys. Each declared field, when present and not null,
 * must hold a value of its declared type: see {@link TypingConfig} for what strict and lenient accept. The event
 * id must not be empty or blank. {@link #check} returns the errors (rule, message) that send the record to
 * quarantine, and the warnings (coercions a lenient field accepted) that travel with it to silver.
 */
public final class JsonContract implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Result of {@link #check}: {@code errors} and {@code warnings}, each an array of (rule, message), and the
   * record's nesting depth (1 for a flat object), for the {@code maxDepth} rule.
   */
  public static final StructType RESULT = StructType.fromDDL(
      "errors ARRAY<STRUCT<rule: STRING, message: STRING>>, warnings ARRAY<STRUCT<rule: STRING, message: STRING>>, "
          + "depth INT");

  /** Epoch seconds a lenient timestamp may hold: 1900-01-01 to 2200-01-01 (anything else is a unit mistake). */
  static final long MIN_EPOCH_SECONDS = -2_208_988_800L;
  static final long MAX_EPOCH_SECONDS = 7_258_118_400L;

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final Map<String, DataType> types = new HashMap<>();
  private final Map<String, Boolean> lenient = new HashMap<>();
  private final String eventId;

  public JsonContract(PipelineConfig p) {
    this(StructType.fromDDL(p.schemaDdl()), p.eventId(), p.typing());
  }

  JsonContract(StructType schema, String eventId, TypingConfig typing) {
    for (StructField f : schema.fields()) {
      types.put(f.name(), f.dataType());
      lenient.put(f.name(), typing.isLenient(f.name()));
    }
    this.eventId = eventId;
  }

  /** Errors and warnings of one payload, as a {@link #RESULT} row; null payloads have neither. */
  public Row check(String payload) {
    List<Row> errors = new ArrayList<>();
    List<Row> warnings = new ArrayList<>();
    int depth = 0;
    if (payload != null) {
      try (JsonParser parser = JSON.createParser(payload)) {
        depth = checkRecord(parser, payload, errors, warnings);
      } catch (JsonProcessingException e) {
        errors.clear();
        warnings.clear();
        errors.add(issue("parse", "malformed JSON: " + prefix(payload, 80) + " (" + reason(e) + ")"));
      } catch (IOException e) {
        throw new IllegalStateException("reading a JSON string failed", e);
      }
    }
    return RowFactory.create(errors, warnings, depth);
  }

  /** Checks one record; returns its nesting depth. */
  private int checkRecord(JsonParser parser, String payload, List<Row> errors, List<Row> warnings) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      return 0; // blank: the parser's 'empty record' case
    }
    if (first != JsonToken.START_OBJECT) {
      errors.add(issue("parse", "malformed JSON: " + prefix(payload, 80) + " (" + describe(first)
          + " at the top level, not one object)"));
      return 0;
    }
    int depth = 1;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      DataType type = types.get(name);
      if (type != null && value != JsonToken.VALUE_NULL) {
        checkValue(parser, name, type, value, errors, warnings);
      }
      if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
        depth = Math.max(depth, 1 + nesting(parser));
      }
    }
    JsonToken after = parser.nextToken();
    if (after != null) {
      errors.clear();
      warnings.clear();
      errors.add(issue("parse", "malformed JSON: " + prefix(payload, 80) + " (" + describe(after)
          + " after the record's object; one record is one object)"));
    }
    return depth;
  }

  /** Reads to the end of the object or array the parser is at; returns how deep it nests (1 when flat). */
  private static int nesting(JsonParser parser) throws IOException {
    int level = 1;
    int deepest = 1;
    while (level > 0) {
      JsonToken t = parser.nextToken();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        deepest = Math.max(deepest, ++level);
      } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        level--;
      }
    }
    return deepest;
  }

  private void checkValue(JsonParser parser, String field, DataType type, JsonToken value, List<Row> errors,
      List<Row> warnings) throws IOException {
    boolean coerce = lenient.get(field);
    boolean isString = value == JsonToken.VALUE_STRING;
    boolean isInt = value == JsonToken.VALUE_NUMBER_INT;
    boolean isNumber = isInt || value == JsonToken.VALUE_NUMBER_FLOAT;
    boolean isBool = value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE;
    String sql = type.sql();
    String shown = (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) ? "" : " '" + prefix(parser.getText(), 60) + "'";
    String where = "field " + field + ":" + shown + " is " + describe(value) + " where " + sql + " is declared";

    if (type instanceof StructType || type instanceof MapType) {
      if (value != JsonToken.START_OBJECT) {
        errors.add(issue("type", where));
      }
    } else if (type instanceof ArrayType) {
      if (value != JsonToken.START_ARRAY) {
        errors.add(issue("type", where));
      }
    } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      errors.add(issue("type", where));
    } else if (type.equals(DataTypes.StringType) || type.equals(DataTypes.BinaryType)) {
      if (!isString) {
        typeIssue(coerce, where + "; taken as text", errors, warnings);
      } else if (field.equals(eventId) && parser.getText().isBlank()) {
        errors.add(issue("missing_event_id", field + " is empty or blank"));
      }
    } else if (type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType
        || type instanceof LongType) {
      String text = parser.getText().trim();
      if (isInt || (isString && coerce)) {
        BigInteger v;
        try {
          v = new BigInteger(text);
        } catch (NumberFormatException e) {
          errors.add(issue("type", "field " + field + ": '" + prefix(text, 60) + "' is not " + sql));
          return;
        }
        if (v.compareTo(BigInteger.valueOf(min(type))) < 0 || v.compareTo(BigInteger.valueOf(max(type))) > 0) {
          errors.add(issue("type", "field " + field + ": " + prefix(text, 60) + " is out of the range of " + sql));
        } else if (isString) {
          warnings.add(issue("type", "field " + field + ": quoted '" + text + "' taken as " + sql));
        }
      } else if (value == JsonToken.VALUE_NUMBER_FLOAT) {
        errors.add(issue("type", "field " + field + ": " + prefix(text, 60) + " has a fraction where " + sql + " is declared"));
      } else {
        errors.add(issue("type", where));
      }
    } else if (type instanceof FloatType || type instanceof DoubleType) {
      if (isString && coerce) {
        try {
          Double.parseDouble(parser.getText().trim());
          warnings.add(issue("type", "field " + field + ": quoted '" + prefix(parser.getText(), 60) + "' taken as " + sql));
        } catch (NumberFormatException e) {
          errors.add(issue("type", "field " + field + ": '" + prefix(parser.getText(), 60) + "' is not " + sql));
        }
      } else if (!isNumber) {
        errors.add(issue("type", where));
      }
    } else if (type instanceof DecimalType d) {
      BigDecimal v;
      if (isNumber) {
        v = parser.getDecimalValue();
      } else if (isString && coerce) {
        try {
          v = new BigDecimal(parser.getText().trim());
        } catch (NumberFormatException e) {
          errors.add(issue("type", "field " + field + ": '" + prefix(parser.getText(), 60) + "' is not " + sql));
          return;
        }
        warnings.add(issue("type", "field " + field + ": quoted '" + prefix(parser.getText(), 60) + "' taken as " + sql));
      } else {
        errors.add(issue("type", where));
        return;
      }
      BigDecimal exact = v.stripTrailingZeros();
      int fraction = Math.max(exact.scale(), 0);
      int integerDigits = Math.max(exact.precision() - exact.scale(), 0);
      if (integerDigits > d.precision() - d.scale()) {
        errors.add(issue("type", "field " + field + ": " + prefix(v.toPlainString(), 60) + " has " + integerDigits
            + " integer digits, more than " + sql + " holds"));
      } else if (fraction > d.scale()) {
        typeIssue(coerce, "field " + field + ": " + prefix(v.toPlainString(), 60) + " has " + fraction
            + " fractional digits, more than the " + d.scale() + " of " + sql
            + (coerce ? "; rounded half-up" : " (it would be rounded)"), errors, warnings);
      }
    } else if (type instanceof BooleanType) {
      if (isString && coerce && List.of("true", "false").contains(parser.getText().trim().toLowerCase(Locale.ROOT))) {
        warnings.add(issue("type", "field " + field + ": quoted '" + parser.getText() + "' taken as BOOLEAN"));
      } else if (!isBool) {
        errors.add(issue("type", where));
      }
    } else if (type instanceof TimestampType || type instanceof TimestampNTZType) {
      if (isInt && coerce) {
        BigInteger seconds = parser.getBigIntegerValue();
        if (seconds.compareTo(BigInteger.valueOf(MIN_EPOCH_SECONDS)) < 0
            || seconds.compareTo(BigInteger.valueOf(MAX_EPOCH_SECONDS)) >= 0) {
          errors.add(issue("type", "field " + field + ": epoch value " + prefix(seconds.toString(), 40)
              + " is outside 1900-2200 as seconds (milliseconds or microseconds must be sent as text timestamps)"));
        } else {
          warnings.add(issue("type", "field " + field + ": number " + seconds + " taken as epoch seconds"));
        }
      } else if (!isString) {
        errors.add(issue("type", where));
      }
    } else if (type instanceof DateType) {
      if (!isString) {
        errors.add(issue("type", where));
      }
    }
  }

  private static void typeIssue(boolean coerce, String message, List<Row> errors, List<Row> warnings) {
    (coerce ? warnings : errors).add(issue("type", message));
  }

  private static long min(DataType t) {
    return t instanceof ByteType ? Byte.MIN_VALUE : t instanceof ShortType ? Short.MIN_VALUE
        : t instanceof IntegerType ? Integer.MIN_VALUE : Long.MIN_VALUE;
  }

  private static long max(DataType t) {
    return t instanceof ByteType ? Byte.MAX_VALUE : t instanceof ShortType ? Short.MAX_VALUE
        : t instanceof IntegerType ? Integer.MAX_VALUE : Long.MAX_VALUE;
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> "'" + t.asString() + "'";
    };
  }

  private static String reason(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m.startsWith("Duplicate field")) {
      return m.replace("Duplicate field", "duplicate key");
    }
    return m.lines().findFirst().orElse(m);
  }

  private static String prefix(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + "...";
  }

  private static Row issue(String rule, String message) {
    return RowFactory.create(rule, message);
  }
}
