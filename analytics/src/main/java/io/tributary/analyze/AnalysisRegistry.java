package io.tributary.analyze;

import io.tributary.analyze.anomaly.AnomalySpec;
import io.tributary.analyze.correlation.CorrelationSpec;
import io.tributary.analyze.drift.DriftSpec;
import io.tributary.analyze.events.EventMetricsSpec;
import io.tributary.analyze.features.FeaturesSpec;
import io.tributary.analyze.profile.ProfileSpec;
import io.tributary.analyze.propensity.PropensitySpec;
import io.tributary.analyze.segmentation.SegmentationSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sections a job file may declare, by name, with the spec type each binds to. Adding an analysis is
 * writing its spec and analysis classes and registering the spec here; nothing else names the kinds of
 * analysis. A job runs its sections in this order.
 */
public final class AnalysisRegistry {
  private static final Map<String, Class<? extends AnalysisSpec>> SECTIONS = new LinkedHashMap<>();

  static {
    register("profile", ProfileSpec.class);
    register("correlation", CorrelationSpec.class);
    register("events", EventMetricsSpec.class);
    register("drift", DriftSpec.class);
    register("anomaly", AnomalySpec.class);
    register("features", FeaturesSpec.class);
    register("segmentation", SegmentationSpec.class);
    register("propensity", PropensitySpec.class);
  }

  private AnalysisRegistry() {}

  private static void register(String section, Class<? extends AnalysisSpec> spec) {
    SECTIONS.put(section, spec);
  }

  /** Section name to spec type, in the order a job runs them. */
  public static Map<String, Class<? extends AnalysisSpec>> sections() {
    return Collections.unmodifiableMap(SECTIONS);
  }
}
