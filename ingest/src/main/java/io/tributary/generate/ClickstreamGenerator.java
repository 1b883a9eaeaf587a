package io.tributary.generate;

import java.util.List;

/**
 * A synthetic e-commerce clickstream: sessions of view / cart / purchase events with daily and weekly
 * seasonality, plus bad lines, duplicates, late events and anomalous hours recorded in the ground truth. Users
 * belong to planted segments ({@link PlantedSegment}) with distinct devices, categories, purchase propensity and
 * activity ({@link #users()}).
 *
 * <pre>{@code
 * Generation run = new ClickstreamGenerator(GeneratorSpec.defaults()).generate();
 * run.forEachRemaining(record -> write(record.line()));
 * GroundTruth truth = run.groundTruth();
 * }</pre>
 */
public final class ClickstreamGenerator implements EventGenerator {

  public static final String DATASET = "clickstream";

  private final GeneratorSpec spec;
  private final List<Anomaly> anomalies;

  /** @throws IllegalArgumentException if the anomalies do not fit in the spec's days */
  public ClickstreamGenerator(GeneratorSpec spec) {
    this.spec = spec;
    this.anomalies = AnomalyPlanner.plan(spec);
  }

  @Override
  public String dataset() {
    return DATASET;
  }

  @Override
  public GeneratorSpec spec() {
    return spec;
  }

  /** The anomalies a run of this spec injects (known before generating). */
  public List<Anomaly> anomalies() {
    return anomalies;
  }

  /**
   * Every user's planted segment and purchase propensity (known before generating; sinks write them beside the
   * ground truth as {@code NAME-users.csv}).
   */
  public List<PlantedUser> users() {
    return new UserPool(spec.seed(), spec.eventsPerDay()).truth();
  }

  @Override
  public Generation generate() {
    Ids ids = new Ids(spec.seed(), "e-");
    GroundTruthRecorder truth = new GroundTruthRecorder(DATASET, spec, anomalies);
    ClickstreamEvents events = new ClickstreamEvents(spec, anomalies, ids);
    return new Generation(new ArrivalStream(events, RecordSchema.CLICKSTREAM, spec, ids, truth), truth::build,
        users());
  }
}
