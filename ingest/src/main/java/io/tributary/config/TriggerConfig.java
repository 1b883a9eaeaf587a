package io.tributary.config;

/**
 * How often a pipeline runs a micro-batch when it runs continuously ({@code --once} overrides this with
 * Spark's available-now trigger).
 *
 * @param interval a Spark interval such as {@code 10 seconds} or {@code 1 minute}
 */
public record TriggerConfig(String interval) {
  public TriggerConfig {
    interval = interval == null || interval.isBlank() ? "10 seconds" : interval;
    try {
      // Spark's own parser decides, so what passes here also starts.
      org.apache.spark.sql.streaming.Trigger.ProcessingTime(interval);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("trigger.interval '" + interval + "' is not an interval like '10 seconds' or '1 minute'");
    }
  }
}
