package io.tributary.analyze.profile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tributary.analyze.AnalysisSpec;
import io.tributary.analyze.TimeGrain;
import io.tributary.config.ConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Column profiles of a job. Only {@code columns} is required.
 *
 * @param columns columns to profile; numeric columns get moments and quantiles, STRING and BOOLEAN ones top-k
 *     values; every column gets counts, nulls and an approximate distinct count
 * @param dimensions slice columns: every profile is also computed per value of each of them (default none)
 * @param windows time windows profiles are also computed per: any of {@code hour}, {@code day}, {@code week}
 *     (default [day]); the {@code all} window over the whole analysed range is always computed
 * @param quantiles quantile probabilities, each in [0, 1] (default [0.05, 0.25, 0.5, 0.75, 0.95])
 * @param topK how many most frequent values to keep for STRING and BOOLEAN columns (default 10, at most 1000)
 */
public record ProfileSpec(List<String> columns, List<String> dimensions, List<String> windows, List<Double> quantiles,
    Integer topK) implements AnalysisSpec {

  public static final List<String> DEFAULT_WINDOWS = List.of("day");
  public static final List<Double> DEFAULT_QUANTILES = List.of(0.05, 0.25, 0.5, 0.75, 0.95);
  public static final int DEFAULT_TOP_K = 10;

  public ProfileSpec {
    columns = names(columns, "profile.columns");
    if (columns.isEmpty()) {
      throw new ConfigException("'profile.columns' must list the columns to profile, e.g. [price, country]");
    }
    dimensions = dimensions == null ? List.of() : names(dimensions, "profile.dimensions");
    windows = windows == null ? DEFAULT_WINDOWS : List.copyOf(windows);
    for (String w : windows) {
      TimeGrain.parse(w, "profile.windows", TimeGrain.values());
    }
    if (new HashSet<>(windows).size() != windows.size()) {
      throw new ConfigException("'profile.windows' lists a window twice: " + windows);
    }
    quantiles = quantiles == null ? DEFAULT_QUANTILES : List.copyOf(quantiles);
    for (Double p : quantiles) {
      if (p == null || !(p >= 0 && p <= 1)) {
        throw new ConfigException("'profile.quantiles' must be probabilities between 0 and 1, not " + p);
      }
    }
    if (new HashSet<>(quantiles).size() != quantiles.size()) {
      throw new ConfigException("'profile.quantiles' lists a probability twice: " + quantiles);
    }
    topK = topK == null ? DEFAULT_TOP_K : topK;
    if (topK < 1 || topK > 1000) {
      throw new ConfigException("'profile.topK' must be between 1 and 1000, not " + topK);
    }
  }

  /** A profile of {@code columns} with every other setting at its default. */
  public static ProfileSpec of(List<String> columns) {
    return new ProfileSpec(columns, null, null, null, null);
  }

  /**
   * The configured windows, smallest first, always ending with {@link TimeGrain#ALL}.
   */
  @Override
  @JsonIgnore
  public List<TimeGrain> grains() {
    List<TimeGrain> out = new ArrayList<>();
    for (TimeGrain g : TimeGrain.values()) {
      if (g == TimeGrain.ALL || windows.contains(g.key())) {
        out.add(g);
      }
    }
    return out;
  }

  private static List<String> names(List<String> values, String key) {
    if (values == null) {
      return List.of();
    }
    for (String v : values) {
      if (v == null || v.isBlank()) {
        throw new ConfigException("'" + key + "' must list column names, not " + values);
      }
    }
    if (new HashSet<>(values).size() != values.size()) {
      throw new ConfigException("'" + key + "' lists a column twice: " + values);
    }
    return List.copyOf(values);
  }

  @Override
  public ProfileAnalysis create() {
    return new ProfileAnalysis(this);
  }
}
