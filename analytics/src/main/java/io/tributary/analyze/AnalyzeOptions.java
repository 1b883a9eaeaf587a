package io.tributary.analyze;

import io.tributary.config.ConfigException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * How {@link AnalyzeRunner} reads its input (the {@code tributary analyze} flags).
 *
 * <p>By default a run is incremental: it analyses the days after the last run's last day plus that day again
 * (it may have grown), widened to the start of the largest configured window, and reads the input's latest
 * version. A run pinned to an earlier version always recomputes its whole range, since the stored states may
 * describe newer data.
 *
 * @param full recompute every window from all the data ({@code --full})
 * @param asOfVersion read the input at this Delta version ({@code --as-of-version}); implies full
 * @param asOfTimestamp read the input as it was at this time: the newest version committed at or before it
 *     ({@code --as-of-timestamp}, a UTC date {@code 2026-03-02} or timestamp {@code 2026-03-02T10:00:00Z});
 *     implies full
 * @param day analyse this UTC day ({@code --date}): the range is the day, widened back to the start of the
 *     largest configured window so every window written is whole up to the day's end; null for the other modes
 */
public record AnalyzeOptions(boolean full, Long asOfVersion, String asOfTimestamp, LocalDate day) {

  public AnalyzeOptions(boolean full, Long asOfVersion, String asOfTimestamp) {
    this(full, asOfVersion, asOfTimestamp, null);
  }

  public AnalyzeOptions {
    if (day != null && (full || asOfVersion != null || asOfTimestamp != null)) {
      throw new ConfigException("--date (and --from/--to) cannot be combined with --full, --as-of-version or "
          + "--as-of-timestamp: a day run always reads the input's latest version");
    }
    if (asOfVersion != null && asOfTimestamp != null) {
      throw new ConfigException("use either --as-of-version or --as-of-timestamp, not both");
    }
    if (asOfVersion != null && asOfVersion < 0) {
      throw new ConfigException("--as-of-version must be a Delta table version (0 or more), not " + asOfVersion);
    }
    if (asOfTimestamp != null) {
      parseInstant(asOfTimestamp);
    }
  }

  /** Only the new days, at the latest input version. */
  public static AnalyzeOptions incremental() {
    return new AnalyzeOptions(false, null, null);
  }

  /** Everything, at the latest input version. */
  public static AnalyzeOptions fullRecompute() {
    return new AnalyzeOptions(true, null, null);
  }

  /** Everything, at the given input version. */
  public static AnalyzeOptions asOfVersion(long version) {
    return new AnalyzeOptions(true, version, null);
  }

  /** The one UTC day {@code day}, at the latest input version. */
  public static AnalyzeOptions day(LocalDate day) {
    return new AnalyzeOptions(false, null, null, day);
  }

  /** Whether the input is read at an earlier version rather than its latest. */
  public boolean pinned() {
    return asOfVersion != null || asOfTimestamp != null;
  }

  /** Whether the run recomputes everything: asked for, or implied by a pinned version. */
  public boolean recomputeAll() {
    return full || pinned();
  }

  /** {@link #asOfTimestamp} as an instant; null when not set. */
  public Instant asOfInstant() {
    return asOfTimestamp == null ? null : parseInstant(asOfTimestamp);
  }

  private static Instant parseInstant(String s) {
    String v = s.trim();
    try {
      if (v.length() == 10) {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return Instant.parse(v);
      }
      return LocalDateTime.parse(v.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new ConfigException("invalid --as-of-timestamp '" + s + "': expected a UTC date such as 2026-03-02 or a "
          + "timestamp such as 2026-03-02T10:00:00Z");
    }
  }
}
