package io.tributary.generate;

/**
 * The fields of a dataset that the shared injection code needs to know about.
 *
 * @param idField     unique identifier, removed by a missing-field bad line
 * @param timeField   event time, removed or set to "not-a-time" by a bad line
 * @param numberField a numeric field set to "abc" by a wrong-type bad line
 * @param keyField    the partitioning key for Kafka
 */
record RecordSchema(String idField, String timeField, String numberField, String keyField) {

  static final RecordSchema CLICKSTREAM = new RecordSchema("event_id", "event_time", "price", "user_id");
  static final RecordSchema SENSORS = new RecordSchema("reading_id", "ts", "temperature", "sensor_id");
}
