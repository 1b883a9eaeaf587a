package io.tributary.generate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the ground truth while lines are emitted; the only mutable part of a generation. */
final class GroundTruthRecorder {

  private final String dataset;
  private final GeneratorSpec spec;
  private final List<Anomaly> anomalies;
  private final List<GroundTruth.BadRecord> bad = new ArrayList<>();
  private final List<GroundTruth.LateEvent> late = new ArrayList<>();
  /** Insertion-ordered so the JSON is deterministic. */
  private final Map<String, Integer> extraCopies = new LinkedHashMap<>();
  private long lines;
  private long onTime;
  private long duplicateCopies;

  GroundTruthRecorder(String dataset, GeneratorSpec spec, List<Anomaly> anomalies) {
    this.dataset = dataset;
    this.spec = spec;
    this.anomalies = List.copyOf(anomalies);
  }

  void onTime() {
    lines++;
    onTime++;
  }

  void late(String eventId, Instant eventTime, long latenessMillis, long sequence) {
    lines++;
    late.add(new GroundTruth.LateEvent(eventId, eventTime, latenessMillis / 1000, sequence));
  }

  void bad(long sequence, BadLines.BadLine badLine) {
    lines++;
    bad.add(new GroundTruth.BadRecord(sequence, null, null, badLine.kind(), badLine.field(), badLine.id()));
  }

  /** Counted when the copies are planned; {@link #duplicateCopyEmitted()} counts the lines. */
  void duplicatePlanned(String eventId, int copies) {
    extraCopies.merge(eventId, copies, Integer::sum);
  }

  void duplicateCopyEmitted() {
    lines++;
    duplicateCopies++;
  }

  GroundTruth build() {
    List<GroundTruth.Duplicate> duplicates = new ArrayList<>(extraCopies.size());
    extraCopies.forEach((id, copies) -> duplicates.add(new GroundTruth.Duplicate(id, copies)));
    GroundTruth.Counts counts = new GroundTruth.Counts(lines, onTime + late.size(), onTime, late.size(),
        bad.size(), duplicates.size(), duplicateCopies, anomalies.size());
    return new GroundTruth(dataset, spec, null, counts, List.copyOf(bad), List.copyOf(duplicates),
        List.copyOf(late), anomalies);
  }
}
