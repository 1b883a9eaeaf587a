package io.tributary.generate;

import java.time.Instant;

/**
 * One output line in arrival order, labelled with what the generator did to it.
 *
 * @param sequence  1-based position in the arrival order (the line number if everything went to one file)
 * @param kind      {@link #CLEAN}, {@link #LATE}, {@link #DUPLICATE} or {@link #BAD}
 * @param line      the JSON line, without a trailing newline
 * @param eventId   the record's identifier; null for a bad line that has none
 * @param eventTime the event time; null for bad lines
 * @param key       partitioning key (user or sensor); null when the line cannot be parsed
 */
public record GeneratedRecord(long sequence, String kind, String line, String eventId, Instant eventTime,
                              String key) {

  /** First copy of a valid event, on time. */
  public static final String CLEAN = "clean";
  /** First copy of a valid event, delivered 2-48 hours after its event time. */
  public static final String LATE = "late";
  /** A byte-identical extra copy of a valid event already emitted. */
  public static final String DUPLICATE = "duplicate";
  /** A malformed or invalid line; it is not a valid event. */
  public static final String BAD = "bad";

  /** True for the first copy of a valid event (clean or late): these count as unique valid events. */
  public boolean isFirstValidCopy() {
    return CLEAN.equals(kind) || LATE.equals(kind);
  }
}
