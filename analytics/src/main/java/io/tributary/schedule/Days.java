package io.tributary.schedule;

import io.tributary.config.ConfigException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The UTC days a scheduled run analyses: one ({@code --date}) or a backfill ({@code --from A --to B}, both
 * included), each its own all-or-nothing run.
 *
 * @param first the first day
 * @param last the last day (included)
 * @param backfill whether the days come from {@code --from/--to}: a backfill skips days already committed,
 *     so a re-run after a failure resumes where it stopped; {@code --date} always recomputes its day
 */
public record Days(LocalDate first, LocalDate last, boolean backfill) {
  /** A backfill longer than this is more likely a typo in a year than an intent. */
  static final int MAX_DAYS = 3660;

  public Days {
    if (last.isBefore(first)) {
      throw new ConfigException("--to " + last + " is before --from " + first);
    }
    if (first.plusDays(MAX_DAYS).isBefore(last)) {
      throw new ConfigException("--from " + first + " --to " + last + " spans more than " + MAX_DAYS + " days");
    }
  }

  /**
   * The days the flags name, or null when none is given (an incremental or full run).
   *
   * @param date {@code --date}: {@code YYYY-MM-DD}, {@code today} or {@code yesterday} (UTC)
   */
  public static Days of(String date, String from, String to, Clock clock) {
    if (date != null && (from != null || to != null)) {
      throw new ConfigException("use either --date or --from/--to, not both");
    }
    if (date != null) {
      LocalDate d = parse(date, "--date", clock);
      return new Days(d, d, false);
    }
    if (from == null && to == null) {
      return null;
    }
    if (from == null || to == null) {
      throw new ConfigException("a backfill needs both --from and --to (the last day is included)");
    }
    return new Days(parse(from, "--from", clock), parse(to, "--to", clock), true);
  }

  /** The days in order. */
  public List<LocalDate> list() {
    List<LocalDate> out = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      out.add(d);
    }
    return out;
  }

  static LocalDate parse(String value, String flag, Clock clock) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    LocalDate today = LocalDate.now(clock.withZone(java.time.ZoneOffset.UTC));
    if (v.equals("today")) {
      return today;
    }
    if (v.equals("yesterday")) {
      return today.minusDays(1);
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new ConfigException("invalid " + flag + " '" + value + "': expected a UTC day such as 2026-03-02, "
          + "today or yesterday");
    }
  }
}
