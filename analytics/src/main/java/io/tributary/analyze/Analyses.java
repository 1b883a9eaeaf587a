package io.tributary.analyze;

import io.tributary.analyze.anomaly.AnomalyAnalysis;
import io.tributary.analyze.correlation.CorrelationAnalysis;
import io.tributary.analyze.drift.DriftAnalysis;
import io.tributary.analyze.events.EventMetricsAnalysis;
import io.tributary.analyze.profile.ProfileAnalysis;
import java.util.ArrayList;
import java.util.List;

/** The analyses a job runs: one per section its YAML file declares, in a fixed order. */
public final class Analyses {
  private Analyses() {}

  public static List<Analysis> forJob(JobConfig job) {
    List<Analysis> out = new ArrayList<>();
    if (job.profile() != null) {
      out.add(new ProfileAnalysis(job.profile()));
    }
    if (job.correlation() != null) {
      out.add(new CorrelationAnalysis(job.correlation()));
    }
    if (job.events() != null) {
      out.add(new EventMetricsAnalysis(job.events()));
    }
    if (job.drift() != null) {
      out.add(new DriftAnalysis(job.drift()));
    }
    if (job.anomaly() != null) {
      out.add(new AnomalyAnalysis(job.anomaly()));
    }
    return out;
  }

  /**
   * The largest window any section of the job reports (at least a day). A run's range starts on a boundary of
   * it, so every window a run writes is whole and replaces the same window of an earlier run.
   */
  public static TimeGrain alignment(JobConfig job) {
    List<TimeGrain> grains = new ArrayList<>(List.of(TimeGrain.DAY));
    if (job.profile() != null) {
      grains.addAll(job.profile().grains());
    }
    if (job.events() != null) {
      grains.addAll(job.events().grains());
    }
    if (job.drift() != null) {
      grains.add(job.drift().grain());
    }
    if (job.anomaly() != null) {
      grains.add(job.anomaly().grain());
    }
    return grains.stream().filter(g -> g != TimeGrain.ALL).max(Enum::compareTo).orElse(TimeGrain.DAY);
  }
}
