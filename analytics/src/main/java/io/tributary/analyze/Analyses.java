package io.tributary.analyze;

import java.util.ArrayList;
import java.util.List;

/** The analyses a job runs: one per section its YAML file declares, in {@link AnalysisRegistry} order. */
public final class Analyses {
  private Analyses() {}

  public static List<Analysis> forJob(JobConfig job) {
    return job.sections().values().stream().map(AnalysisSpec::create).toList();
  }

  /**
   * The largest window any section of the job reports (at least a day). A run's range starts on a boundary of
   * it, so every window a run writes is whole and replaces the same window of an earlier run.
   */
  public static TimeGrain alignment(JobConfig job) {
    List<TimeGrain> grains = new ArrayList<>(List.of(TimeGrain.DAY));
    job.sections().values().forEach(s -> grains.addAll(s.grains()));
    return grains.stream().filter(g -> g != TimeGrain.ALL).max(Enum::compareTo).orElse(TimeGrain.DAY);
  }
}
