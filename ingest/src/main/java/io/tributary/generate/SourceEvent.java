package io.tributary.generate;

import java.util.Map;

/**
 * A valid event before delivery: its fields in output order (id and time already rendered), plus the values
 * the delivery step needs without parsing the fields again.
 */
record SourceEvent(Map<String, Object> fields, String id, long timeMillis, String key) {
}
