package io.tributary.config;

import java.util.Locale;

/**
 * How a pipeline removes duplicate events before they reach silver.
 *
 * <p>Two records are copies of one event when they carry the same event id and their event times lie within
 * {@code horizon} of each other. The first copy (in source order) lands; a later copy with the same content
 * is counted as a duplicate; a later copy whose content differs is a conflict, which is never dropped silently:
 * it goes to quarantine (rule {@code duplicate_conflict}) unless {@code onConflict: count} says to count it only.
 *
 * @param horizon how far apart (in event time) two copies may be and still be recognised, as a Spark interval
 *     of whole days ({@code 1 day}, {@code 7 days}); the cost of a batch grows with the events silver holds
 *     within this horizon of the batch's dates, so keep it as short as the sources' redelivery window allows
 * @param onConflict {@code quarantine} (default) or {@code count}
 */
public record DedupConfig(String horizon, String onConflict) {
  public DedupConfig {
    horizon = horizon == null || horizon.isBlank() ? "1 day" : horizon.trim();
    horizonDays(horizon);
    onConflict = onConflict == null ? "quarantine" : onConflict.toLowerCase(Locale.ROOT);
    if (!onConflict.equals("quarantine") && !onConflict.equals("count")) {
      throw new ConfigException("dedup.onConflict must be quarantine or count, not '" + onConflict + "'");
    }
  }

  public static DedupConfig defaults() {
    return new DedupConfig(null, null);
  }

  /** The horizon in whole days. */
  public int horizonDays() {
    return horizonDays(horizon);
  }

  public boolean quarantineConflicts() {
    return onConflict.equals("quarantine");
  }

  private static int horizonDays(String horizon) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*days?").matcher(horizon.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException("dedup.horizon '" + horizon + "' must be a number of days, like '1 day' or '7 days'");
    }
    int days = Integer.parseInt(m.group(1));
    if (days > 3660) {
      throw new ConfigException("dedup.horizon '" + horizon + "' is more than 10 years; use at most 3660 days");
    }
    return days;
  }
}
