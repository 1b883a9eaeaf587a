package io.tributary.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks lines against the published format, independently of the generator's code: null means valid,
 * otherwise "malformed_json", "missing_field:NAME" or "wrong_type:NAME".
 */
final class LineChecks {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern MILLIS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
  private static final List<String> CLICK_FIELDS = List.of("event_id", "event_time", "event_type", "user_id",
      "session_id", "country", "device", "product_id", "category", "price", "quantity");
  private static final List<String> SENSOR_FIELDS =
      List.of("reading_id", "ts", "sensor_id", "site", "temperature", "humidity", "battery");

  private LineChecks() {
  }

  static JsonNode parse(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  static String clickstreamProblem(String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return "malformed_json";
    }
    String missing = missing(node, CLICK_FIELDS);
    if (missing != null) {
      return missing;
    }
    if (!text(node, "event_id", "e-[0-9a-f]{16}")) {
      return "wrong_type:event_id";
    }
    if (!isMillisTimestamp(node.get("event_time"))) {
      return "wrong_type:event_time";
    }
    if (!text(node, "event_type", "view|cart|purchase")) {
      return "wrong_type:event_type";
    }
    if (!text(node, "user_id", "u-\\d{6}") || !text(node, "session_id", "s-[0-9a-f]{16}")) {
      return "wrong_type:user_id/session_id";
    }
    if (!text(node, "country", "[A-Z]{2}") || !text(node, "device", "mobile|desktop|tablet")) {
      return "wrong_type:country/device";
    }
    if (!text(node, "product_id", "p-\\d{4}") || !text(node, "category", "[a-z]+")) {
      return "wrong_type:product_id/category";
    }
    JsonNode price = node.get("price");
    if (!price.isNumber() || price.decimalValue().stripTrailingZeros().scale() > 2 || price.doubleValue() <= 0) {
      return "wrong_type:price";
    }
    JsonNode quantity = node.get("quantity");
    int max = "view".equals(node.get("event_type").asText()) ? 1 : 3;
    if (!quantity.isInt() || quantity.asInt() < 1 || quantity.asInt() > max) {
      return "wrong_type:quantity";
    }
    return null;
  }

  static String sensorProblem(String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return "malformed_json";
    }
    String missing = missing(node, SENSOR_FIELDS);
    if (missing != null) {
      return missing;
    }
    if (!text(node, "reading_id", "r-[0-9a-f]{16}")) {
      return "wrong_type:reading_id";
    }
    if (!isMillisTimestamp(node.get("ts"))) {
      return "wrong_type:ts";
    }
    if (!text(node, "sensor_id", "sensor-\\d{3}") || !text(node, "site", "[a-z]+-[a-z]+")) {
      return "wrong_type:sensor_id/site";
    }
    for (String field : List.of("temperature", "humidity", "battery")) {
      if (!node.get(field).isNumber()) {
        return "wrong_type:" + field;
      }
    }
    return null;
  }

  /** The problem {@link #clickstreamProblem} should report for a ground-truth bad record. */
  static String expectedProblem(GroundTruth.BadRecord bad) {
    return bad.field() == null ? bad.kind() : bad.kind() + ":" + bad.field();
  }

  private static String missing(JsonNode node, List<String> fields) {
    if (!node.isObject()) {
      return "malformed_json";
    }
    for (String field : fields) {
      if (!node.has(field) || node.get(field).isNull()) {
        return "missing_field:" + field;
      }
    }
    Set<String> names = new HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names.equals(Set.copyOf(fields)) ? null : "unexpected_fields:" + names;
  }

  private static boolean text(JsonNode node, String field, String regex) {
    JsonNode value = node.get(field);
    return value.isTextual() && PATTERNS.computeIfAbsent(regex, Pattern::compile).matcher(value.asText()).matches();
  }

  private static boolean isMillisTimestamp(JsonNode value) {
    if (!value.isTextual() || !MILLIS.matcher(value.asText()).matches()) {
      return false;
    }
    try {
      Instant.parse(value.asText());
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
