package io.tributary.analyze.drift;

import io.tributary.analyze.TimeGrain;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The comparisons of a run: every window of the grain in {@code [from, to)} (clipped to it) against its
 * baseline, the aligned window before it or the fixed reference period.
 *
 * @param referenceStart start of the reference period, or null for previous-window baselines
 * @param referenceEnd end of the reference period, or null
 */
record Plan(TimeGrain grain, Instant from, Instant to, List<TimeGrain.Span> windows, Instant referenceStart,
    Instant referenceEnd) {

  static Plan previous(TimeGrain grain, Instant from, Instant to) {
    return new Plan(grain, from, to, grain.spans(from, to), null, null);
  }

  static Plan reference(TimeGrain grain, Instant from, Instant to, Instant referenceStart, Instant referenceEnd) {
    return new Plan(grain, from, to, grain.spans(from, to), referenceStart, referenceEnd);
  }

  boolean previousBaseline() {
    return referenceStart == null;
  }

  Instant baselineStart(TimeGrain.Span window) {
    return previousBaseline() ? window.naturalStart().minus(grain.size()) : referenceStart;
  }

  Instant baselineEnd(TimeGrain.Span window) {
    return previousBaseline() ? window.naturalStart() : referenceEnd;
  }

  /** Earliest time any comparison reads. */
  Instant earliest() {
    return windows.isEmpty() ? from : baselineStart(windows.get(0));
  }

  Instant firstPair() {
    return windows.get(0).naturalStart();
  }

  Instant lastPair() {
    return windows.get(windows.size() - 1).naturalStart();
  }

  /** One row {@code (pair TIMESTAMP)} per comparison. */
  Dataset<Row> pairTable(SparkSession spark) {
    List<Row> rows = windows.stream().map(w -> RowFactory.create(Timestamp.from(w.naturalStart()))).toList();
    return spark.createDataFrame(rows, new StructType().add("pair", DataTypes.TimestampType, false));
  }
}
