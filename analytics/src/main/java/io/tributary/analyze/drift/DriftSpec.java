package io.tributary.analyze.drift;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tributary.analyze.AnalysisSpec;
import io.tributary.analyze.TimeGrain;
import io.tributary.config.ConfigException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Drift of column distributions between each window and a baseline.
 *
 * @param columns numeric columns get KS, PSI and Jensen-Shannon; string and boolean ones chi-square, PSI and JS
 * @param window the compared window size: {@code hour}, {@code day} or {@code week} (default day)
 * @param baseline {@code previous} (the window before, default) or {@code reference} (the pinned period below)
 * @param referenceFrom inclusive start of the pinned reference period (ISO date or UTC timestamp)
 * @param referenceTo exclusive end of the pinned reference period
 * @param bins equal-frequency bins of numeric columns for PSI and JS (default 10)
 * @param exactMaxDistinct a numeric column with at most this many distinct values gets an exact KS statistic
 *     from per-value counts; otherwise from counts over a grid (default 1000)
 * @param gridSize cells of the quantile grid KS is computed on for other numeric columns (default 1000)
 * @param maxCategories categories compared one by one; rarer ones are pooled as {@code (other)} (default 50)
 * @param alpha significance level: KS and chi-square flag drift when {@code p < alpha} (default 0.01)
 * @param psiThreshold PSI above which drift is flagged (default 0.2)
 * @param jsThreshold Jensen-Shannon distance above which drift is flagged (default 0.1)
 */
public record DriftSpec(List<String> columns, String window, String baseline, String referenceFrom,
    String referenceTo, Integer bins, Integer exactMaxDistinct, Integer gridSize, Integer maxCategories,
    Double alpha, Double psiThreshold, Double jsThreshold) implements AnalysisSpec {

  public static final String PREVIOUS = "previous";
  public static final String REFERENCE = "reference";

  public DriftSpec {
    if (columns == null || columns.isEmpty() || columns.stream().anyMatch(c -> c == null || c.isBlank())) {
      throw new ConfigException("'drift.columns' must list the columns to compare, e.g. [price, category]");
    }
    columns = List.copyOf(columns);
    window = window == null ? "day" : window;
    TimeGrain.parse(window, "drift.window", TimeGrain.HOUR, TimeGrain.DAY, TimeGrain.WEEK);
    baseline = baseline == null ? PREVIOUS : baseline;
    if (!baseline.equals(PREVIOUS) && !baseline.equals(REFERENCE)) {
      throw new ConfigException("invalid value '" + baseline + "' for 'drift.baseline': use previous or reference");
    }
    if (baseline.equals(REFERENCE)) {
      Instant f = instant(referenceFrom, "drift.referenceFrom");
      Instant t = instant(referenceTo, "drift.referenceTo");
      if (!f.isBefore(t)) {
        throw new ConfigException("'drift.referenceFrom' (" + referenceFrom + ") must be before 'drift.referenceTo' ("
            + referenceTo + ")");
      }
    } else if (referenceFrom != null || referenceTo != null) {
      throw new ConfigException("'drift.referenceFrom' and 'drift.referenceTo' need 'drift.baseline: reference'");
    }
    bins = atLeast(bins, 10, 2, "drift.bins");
    exactMaxDistinct = atLeast(exactMaxDistinct, 1000, 1, "drift.exactMaxDistinct");
    gridSize = atLeast(gridSize, 1000, bins, "drift.gridSize");
    maxCategories = atLeast(maxCategories, 50, 2, "drift.maxCategories");
    alpha = alpha == null ? 0.01 : alpha;
    if (!(alpha > 0 && alpha < 1)) {
      throw new ConfigException("'drift.alpha' must be between 0 and 1, not " + alpha);
    }
    psiThreshold = psiThreshold == null ? 0.2 : psiThreshold;
    if (!(psiThreshold > 0)) {
      throw new ConfigException("'drift.psiThreshold' must be positive, not " + psiThreshold);
    }
    jsThreshold = jsThreshold == null ? 0.1 : jsThreshold;
    if (!(jsThreshold > 0 && jsThreshold <= 1)) {
      throw new ConfigException("'drift.jsThreshold' must be in (0, 1], not " + jsThreshold);
    }
  }

  /** Previous-window baseline and defaults for everything else. */
  public static DriftSpec of(List<String> columns, String window) {
    return new DriftSpec(columns, window, null, null, null, null, null, null, null, null, null, null);
  }

  @JsonIgnore
  public TimeGrain grain() {
    return TimeGrain.parse(window, "drift.window", TimeGrain.HOUR, TimeGrain.DAY, TimeGrain.WEEK);
  }

  @JsonIgnore
  public boolean previousBaseline() {
    return baseline.equals(PREVIOUS);
  }

  /** Start of the reference period; only with {@code baseline: reference}. */
  @JsonIgnore
  public Instant referenceStart() {
    return instant(referenceFrom, "drift.referenceFrom");
  }

  /** End of the reference period; only with {@code baseline: reference}. */
  @JsonIgnore
  public Instant referenceEnd() {
    return instant(referenceTo, "drift.referenceTo");
  }

  private static Instant instant(String value, String key) {
    if (value == null || value.isBlank()) {
      throw new ConfigException("'" + key + "' is required with 'drift.baseline: reference' (a date such as "
          + "2026-03-02 or a UTC timestamp such as 2026-03-02T00:00:00Z)");
    }
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ConfigException("invalid value '" + value + "' for '" + key + "': expected a date such as 2026-03-02 "
          + "or a UTC timestamp such as 2026-03-02T00:00:00Z");
    }
  }

  private static int atLeast(Integer value, int dflt, int min, String key) {
    int v = value == null ? dflt : value;
    if (v < min) {
      throw new ConfigException("'" + key + "' must be at least " + min + ", not " + v);
    }
    return v;
  }

  @Override
  public DriftAnalysis create() {
    return new DriftAnalysis(this);
  }

  @Override
  @JsonIgnore
  public List<TimeGrain> grains() {
    return List.of(grain());
  }
}
