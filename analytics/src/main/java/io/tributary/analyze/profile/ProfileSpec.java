package io.tributary.analyze.profile;

import java.util.List;

/**
 * Column profiles of a job.
 *
 * @param columns columns to profile; numeric columns get moments and quantiles, others top-k values
 * @param dimensions slice columns: every profile is also computed per value of each of them
 * @param windows time windows profiles are also computed per: any of {@code hour}, {@code day}, {@code week}
 * @param quantiles quantile probabilities, e.g. [0.05, 0.5, 0.95]
 * @param topK how many most frequent values to keep for categorical columns
 */
public record ProfileSpec(List<String> columns, List<String> dimensions, List<String> windows, List<Double> quantiles,
    Integer topK) {}
