package io.tributary.analyze.propensity;

import io.tributary.analyze.AnalysisSpec;
import io.tributary.analyze.JobConfig;
import io.tributary.analyze.features.FeaturesAnalysis;
import java.util.List;
import java.util.Set;

/**
 * Purchase propensity: will the entity have a {@code labelType} event in the {@code horizonDays} days after a
 * cutoff, from its features as of the cutoff. Split by time: trained with features as of
 * {@code end - 2 * horizonDays} and the labels of the next horizon, validated on features as of
 * {@code end - horizonDays} and the last horizon; the algorithm with the best validation AUC is kept and scores
 * every entity as of the end.
 *
 * @param features the features the model uses (names from the feature table)
 * @param horizonDays label window in days (default 7)
 * @param labelType the event type that makes a positive label (default {@code purchase})
 * @param algorithms candidates: {@code logistic} and/or {@code gbt} (default both)
 * @param seed seed of the GBT (default 42)
 * @param maxIter iterations of both algorithms (default 20)
 * @param maxDepth GBT tree depth (default 4)
 * @param regParam logistic regression L2 regularisation (default 0.01)
 * @param minRows entities needed in each of training and validation (default 50)
 * @param thresholds score thresholds for precision and recall (default 0.1, 0.3, 0.5, 0.7, 0.9)
 * @param calibrationBuckets equal-width score buckets of the calibration table (default 10)
 */
public record PropensitySpec(List<String> features, Integer horizonDays, String labelType, List<String> algorithms,
    Long seed, Integer maxIter, Integer maxDepth, Double regParam, Integer minRows, List<Double> thresholds,
    Integer calibrationBuckets) implements AnalysisSpec {
  public static final String LOGISTIC = "logistic";
  public static final String GBT = "gbt";

  public PropensitySpec {
    features = features == null ? null : List.copyOf(features);
    horizonDays = horizonDays == null ? 7 : horizonDays;
    labelType = labelType == null ? "purchase" : labelType;
    algorithms = algorithms == null ? List.of(LOGISTIC, GBT) : List.copyOf(algorithms);
    seed = seed == null ? 42L : seed;
    maxIter = maxIter == null ? 20 : maxIter;
    maxDepth = maxDepth == null ? 4 : maxDepth;
    regParam = regParam == null ? 0.01 : regParam;
    minRows = minRows == null ? 50 : minRows;
    thresholds = thresholds == null ? List.of(0.1, 0.3, 0.5, 0.7, 0.9) : List.copyOf(thresholds);
    calibrationBuckets = calibrationBuckets == null ? 10 : calibrationBuckets;
  }

  @Override
  public void validate(JobConfig job) {
    FeaturesAnalysis.checkFeatures(job, "propensity.features", features);
    if (horizonDays < 1 || horizonDays > 366) {
      throw job.invalid("propensity.horizonDays", "must be between 1 and 366, got " + horizonDays);
    }
    if (algorithms.isEmpty() || !Set.of(LOGISTIC, GBT).containsAll(algorithms)) {
      throw job.invalid("propensity.algorithms", "must list logistic and/or gbt, got " + algorithms);
    }
    if (maxIter < 1 || maxDepth < 1 || regParam < 0) {
      throw job.invalid("propensity.maxIter", "maxIter and maxDepth must be at least 1 and regParam >= 0");
    }
    if (minRows < 10) {
      throw job.invalid("propensity.minRows", "must be at least 10, got " + minRows);
    }
    if (thresholds.stream().anyMatch(t -> t == null || t <= 0 || t >= 1)) {
      throw job.invalid("propensity.thresholds", "must be between 0 and 1 (exclusive), got " + thresholds);
    }
    if (calibrationBuckets < 2 || calibrationBuckets > 100) {
      throw job.invalid("propensity.calibrationBuckets", "must be between 2 and 100, got " + calibrationBuckets);
    }
  }

  @Override
  public PropensityAnalysis create() {
    return new PropensityAnalysis(this);
  }
}
