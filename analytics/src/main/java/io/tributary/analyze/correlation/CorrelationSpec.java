package io.tributary.analyze.correlation;

import io.tributary.analyze.AnalysisSpec;
import io.tributary.config.ConfigException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Covariance and correlation matrices. The covariance matrix is always computed.
 *
 * @param columns two or more numeric columns of the matrix
 * @param methods {@code pearson} and/or {@code spearman} (default both)
 */
public record CorrelationSpec(List<String> columns, List<String> methods) implements AnalysisSpec {
  public static final String PEARSON = "pearson";
  public static final String SPEARMAN = "spearman";
  public static final String COVARIANCE = "covariance";
  private static final Set<String> METHODS = Set.of(PEARSON, SPEARMAN);

  public CorrelationSpec {
    if (columns == null || columns.size() < 2 || columns.stream().anyMatch(c -> c == null || c.isBlank())) {
      throw new ConfigException("'correlation.columns' must list two or more numeric columns, e.g. [price, quantity]");
    }
    if (new HashSet<>(columns).size() != columns.size()) {
      throw new ConfigException("'correlation.columns' lists a column twice: " + columns);
    }
    columns = List.copyOf(columns);
    methods = methods == null ? List.of(PEARSON, SPEARMAN) : List.copyOf(methods);
    for (String m : methods) {
      if (!METHODS.contains(m)) {
        throw new ConfigException("invalid value '" + m + "' in 'correlation.methods': use pearson and/or spearman");
      }
    }
    if (new HashSet<>(methods).size() != methods.size()) {
      throw new ConfigException("'correlation.methods' lists a method twice: " + methods);
    }
  }

  @Override
  public CorrelationAnalysis create() {
    return new CorrelationAnalysis(this);
  }
}
