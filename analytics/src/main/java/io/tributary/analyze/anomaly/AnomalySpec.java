package io.tributary.analyze.anomaly;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tributary.analyze.AnalysisSpec;
import io.tributary.analyze.TimeGrain;
import io.tributary.config.ConfigException;
import java.util.HashSet;
import java.util.List;

/**
 * Anomaly detection on metric history: event counts per hour (or day) of every event type and of all types.
 *
 * @param window the metric grain: {@code hour} (default) or {@code day}
 * @param threshold |score| above which a point is flagged (default 4.0)
 * @param methods {@code robust_z} (against the recent history) and/or {@code seasonal} (against the same hour
 *     of the week in earlier weeks); default both
 * @param minHistory points of history needed before a point is scored: trailing points for {@code robust_z},
 *     residuals of the series for {@code seasonal}'s spread (default 24)
 * @param trailingPoints how many previous points {@code robust_z} compares with (default 24)
 * @param seasonalWeeks how many earlier weeks {@code seasonal} takes the median of (default 4; one is enough
 *     to score)
 * @param seriesColumn the column whose values get a series each, besides {@code *} for all rows (default
 *     {@code event_type})
 */
public record AnomalySpec(String window, Double threshold, List<String> methods, Integer minHistory,
    Integer trailingPoints, Integer seasonalWeeks, String seriesColumn) implements AnalysisSpec {

  public static final String ROBUST_Z = "robust_z";
  public static final String SEASONAL = "seasonal";

  public AnomalySpec {
    window = window == null ? "hour" : window;
    TimeGrain.parse(window, "anomaly.window", TimeGrain.HOUR, TimeGrain.DAY);
    threshold = threshold == null ? 4.0 : threshold;
    if (!(threshold > 0)) {
      throw new ConfigException("'anomaly.threshold' must be positive, not " + threshold);
    }
    methods = methods == null ? List.of(ROBUST_Z, SEASONAL) : List.copyOf(methods);
    if (methods.isEmpty() || !List.of(ROBUST_Z, SEASONAL).containsAll(methods)
        || new HashSet<>(methods).size() != methods.size()) {
      throw new ConfigException("'anomaly.methods' must list robust_z and/or seasonal, not " + methods);
    }
    minHistory = minHistory == null ? 24 : minHistory;
    if (minHistory < 1) {
      throw new ConfigException("'anomaly.minHistory' must be at least 1, not " + minHistory);
    }
    trailingPoints = trailingPoints == null ? 24 : trailingPoints;
    if (trailingPoints < minHistory && methods.contains(ROBUST_Z)) {
      throw new ConfigException("'anomaly.trailingPoints' (" + trailingPoints + ") must be at least "
          + "'anomaly.minHistory' (" + minHistory + "), or robust_z never scores a point");
    }
    seasonalWeeks = seasonalWeeks == null ? 4 : seasonalWeeks;
    if (seasonalWeeks < 1) {
      throw new ConfigException("'anomaly.seasonalWeeks' must be at least 1, not " + seasonalWeeks);
    }
    seriesColumn = seriesColumn == null ? "event_type" : seriesColumn;
    if (seriesColumn.isBlank()) {
      throw new ConfigException("'anomaly.seriesColumn' must name a column of the input");
    }
  }

  /** All defaults. */
  public static AnomalySpec defaults() {
    return new AnomalySpec(null, null, null, null, null, null, null);
  }

  @JsonIgnore
  public TimeGrain grain() {
    return TimeGrain.parse(window, "anomaly.window", TimeGrain.HOUR, TimeGrain.DAY);
  }

  @Override
  public AnomalyAnalysis create() {
    return new AnomalyAnalysis(this);
  }

  @Override
  @JsonIgnore
  public List<TimeGrain> grains() {
    return List.of(grain());
  }
}
