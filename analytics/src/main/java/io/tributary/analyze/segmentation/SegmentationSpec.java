package io.tributary.analyze.segmentation;

import io.tributary.analyze.AnalysisSpec;
import io.tributary.analyze.JobConfig;
import io.tributary.analyze.features.FeaturesAnalysis;
import java.util.List;

/**
 * KMeans segments of the entities, on standardised features of the job's {@code features} section.
 *
 * @param features the features to cluster on (names from the feature table)
 * @param k a fixed number of segments; leave out to choose by silhouette over {@code kRange}
 * @param kRange {@code [min, max]}, both in [2, {@value #MAX_K}] (default [2, 8]); ignored when {@code k} is set
 * @param seed KMeans seed (default 42)
 * @param maxIter KMeans iterations (default 20)
 * @param minRows entities needed to fit (default 20, and at least k + 1)
 */
public record SegmentationSpec(List<String> features, Integer k, List<Integer> kRange, Long seed, Integer maxIter,
    Integer minRows) implements AnalysisSpec {
  public static final int MAX_K = 50;

  public SegmentationSpec {
    features = features == null ? null : List.copyOf(features);
    kRange = kRange == null ? List.of(2, 8) : List.copyOf(kRange);
    seed = seed == null ? 42L : seed;
    maxIter = maxIter == null ? 20 : maxIter;
    minRows = minRows == null ? 20 : minRows;
  }

  @Override
  public void validate(JobConfig job) {
    FeaturesAnalysis.checkFeatures(job, "segmentation.features", features);
    if (k != null && (k < 2 || k > MAX_K)) {
      throw job.invalid("segmentation.k", "must be between 2 and " + MAX_K + ", got " + k);
    }
    if (k == null && (kRange.size() != 2 || kRange.get(0) < 2 || kRange.get(1) > MAX_K
        || kRange.get(0) > kRange.get(1))) {
      throw job.invalid("segmentation.kRange", "must be [min, max] with 2 <= min <= max <= " + MAX_K + ", got "
          + kRange);
    }
    if (maxIter < 1) {
      throw job.invalid("segmentation.maxIter", "must be at least 1, got " + maxIter);
    }
  }

  /** The values of k to try, in order. */
  public List<Integer> candidates() {
    if (k != null) {
      return List.of(k);
    }
    return java.util.stream.IntStream.rangeClosed(kRange.get(0), kRange.get(1)).boxed().toList();
  }

  @Override
  public SegmentationAnalysis create() {
    return new SegmentationAnalysis(this);
  }
}
