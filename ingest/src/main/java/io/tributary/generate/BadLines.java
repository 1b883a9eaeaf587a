package io.tributary.generate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a valid event into a bad line of one of five shapes, chosen uniformly: truncated JSON, missing id,
 * missing time, a number field holding "abc", a time field holding "not-a-time".
 */
final class BadLines {

  static final String MALFORMED_JSON = "malformed_json";
  static final String MISSING_FIELD = "missing_field";
  static final String WRONG_TYPE = "wrong_type";

  /** A bad line and what is wrong with it; {@code id} and {@code key} are null when the line lacks them. */
  record BadLine(String line, String kind, String field, String id, String key) {
  }

  private final RecordSchema schema;

  BadLines(RecordSchema schema) {
    this.schema = schema;
  }

  /** A bad line built from {@code template} but carrying {@code freshId}, so it never shares a valid id. */
  BadLine make(SourceEvent template, String freshId, SplittableRandom random) {
    Map<String, Object> fields = new LinkedHashMap<>(template.fields());
    fields.put(schema.idField(), freshId);
    String key = (String) fields.get(schema.keyField());
    return switch (random.nextInt(5)) {
      case 0 -> truncated(Json.line(fields), freshId, random);
      case 1 -> {
        fields.remove(schema.idField());
        yield new BadLine(Json.line(fields), MISSING_FIELD, schema.idField(), null, key);
      }
      case 2 -> {
        fields.remove(schema.timeField());
        yield new BadLine(Json.line(fields), MISSING_FIELD, schema.timeField(), freshId, key);
      }
      case 3 -> {
        fields.put(schema.numberField(), "abc");
        yield new BadLine(Json.line(fields), WRONG_TYPE, schema.numberField(), freshId, key);
      }
      default -> {
        fields.put(schema.timeField(), "not-a-time");
        yield new BadLine(Json.line(fields), WRONG_TYPE, schema.timeField(), freshId, key);
      }
    };
  }

  /**
   * Cuts the line somewhere in its second or last third. Any proper prefix of a JSON object is invalid
   * (the closing brace is missing), so the result never parses.
   */
  private BadLine truncated(String full, String id, SplittableRandom random) {
    int from = full.length() / 3;
    String prefix = full.substring(0, from + random.nextInt(full.length() - 1 - from));
    // The id counts only if the prefix holds it completely, quotes included.
    String idIfPresent = prefix.contains("\"" + schema.idField() + "\":\"" + id + "\"") ? id : null;
    return new BadLine(prefix, MALFORMED_JSON, null, idIfPresent, null);
  }
}
