package io.tributary.analyze.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tributary.analyze.AnalysisSpec;
import io.tributary.analyze.TimeGrain;
import io.tributary.config.ConfigException;
import java.util.HashSet;
import java.util.List;

/**
 * Time-windowed metrics of event data. Every key is optional; the defaults fit the demo clickstream.
 *
 * @param typeColumn the column holding the event type (default {@code event_type})
 * @param windows window sizes: {@code hour}, {@code day}, {@code week}, {@code all} (default [hour, day])
 * @param funnel ordered event types of the conversion funnel (default [view, cart, purchase])
 * @param funnelKey the column whose values walk through the funnel; default {@code session_id} when the input
 *     has it, otherwise {@code sessionKey} (users). A session is counted in the window it starts in; a user is
 *     counted in every window with events of theirs.
 * @param sessionKey the column sessions are built per (default {@code user_id})
 * @param sessionGapMinutes inactivity that ends a session (default 30)
 */
public record EventMetricsSpec(String typeColumn, List<String> windows, List<String> funnel, String funnelKey,
    String sessionKey, Integer sessionGapMinutes) implements AnalysisSpec {

  public static final String DEFAULT_TYPE_COLUMN = "event_type";
  public static final List<String> DEFAULT_WINDOWS = List.of("hour", "day");
  public static final List<String> DEFAULT_FUNNEL = List.of("view", "cart", "purchase");
  public static final String DEFAULT_FUNNEL_KEY = "session_id";
  public static final String DEFAULT_SESSION_KEY = "user_id";
  public static final int DEFAULT_SESSION_GAP_MINUTES = 30;

  public EventMetricsSpec {
    typeColumn = column(typeColumn, DEFAULT_TYPE_COLUMN, "events.typeColumn");
    sessionKey = column(sessionKey, DEFAULT_SESSION_KEY, "events.sessionKey");
    if (funnelKey != null && funnelKey.isBlank()) {
      throw new ConfigException("'events.funnelKey' must name a column, or be left out to use "
          + DEFAULT_FUNNEL_KEY + " (or sessionKey when the input has no " + DEFAULT_FUNNEL_KEY + ")");
    }
    windows = windows == null ? DEFAULT_WINDOWS : List.copyOf(windows);
    if (windows.isEmpty()) {
      throw new ConfigException("'events.windows' must list at least one of hour, day, week, all");
    }
    windows.forEach(w -> TimeGrain.parse(w, "events.windows", TimeGrain.values()));
    if (new HashSet<>(windows).size() != windows.size()) {
      throw new ConfigException("'events.windows' lists a window twice: " + windows);
    }
    funnel = funnel == null ? DEFAULT_FUNNEL : List.copyOf(funnel);
    if (funnel.size() < 2 || funnel.stream().anyMatch(s -> s == null || s.isBlank())
        || new HashSet<>(funnel).size() != funnel.size()) {
      throw new ConfigException("'events.funnel' must list two or more distinct event types in order, not " + funnel);
    }
    sessionGapMinutes = sessionGapMinutes == null ? DEFAULT_SESSION_GAP_MINUTES : sessionGapMinutes;
    if (sessionGapMinutes < 1) {
      throw new ConfigException("'events.sessionGapMinutes' must be at least 1, not " + sessionGapMinutes);
    }
  }

  /** All defaults. */
  public static EventMetricsSpec defaults() {
    return new EventMetricsSpec(null, null, null, null, null, null);
  }

  /** The parsed {@link #windows}. */
  @Override
  @JsonIgnore
  public List<TimeGrain> grains() {
    return windows.stream().map(w -> TimeGrain.parse(w, "events.windows", TimeGrain.values())).toList();
  }

  private static String column(String value, String dflt, String key) {
    if (value == null) {
      return dflt;
    }
    if (value.isBlank()) {
      throw new ConfigException("'" + key + "' must name a column of the input");
    }
    return value;
  }

  @Override
  public EventMetricsAnalysis create() {
    return new EventMetricsAnalysis(this);
  }
}
