package io.tributary.analyze.correlation;

import java.util.List;

/**
 * Covariance and correlation matrices.
 *
 * @param columns numeric columns of the matrix
 * @param methods {@code pearson} and/or {@code spearman}
 */
public record CorrelationSpec(List<String> columns, List<String> methods) {}
