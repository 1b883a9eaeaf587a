package io.tributary.generate;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * One injected anomaly: during [windowStart, windowEnd) the hourly count of {@code eventType} events
 * ("*" for all types), by event time, is multiplied by {@code factor}.
 *
 * @param metric      what changed; always {@link #EVENTS_PER_HOUR}
 * @param eventType   the affected event type, or {@link #ALL_TYPES}
 * @param windowStart UTC hour boundary, inclusive
 * @param windowEnd   UTC hour boundary, exclusive
 * @param kind        {@link #SPIKE} (factor above 1) or {@link #DROP} (factor below 1)
 * @param factor      expected ratio to the undisturbed count
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Anomaly(String metric, String eventType, Instant windowStart, Instant windowEnd, String kind,
                      double factor) {

  public static final String EVENTS_PER_HOUR = "events_per_hour";
  public static final String ALL_TYPES = "*";
  public static final String SPIKE = "spike";
  public static final String DROP = "drop";

  /** True if events of this type at this time are affected. */
  public boolean affects(String type, Instant eventTime) {
    return (ALL_TYPES.equals(eventType) || eventType.equals(type))
        && !eventTime.isBefore(windowStart) && eventTime.isBefore(windowEnd);
  }
}
