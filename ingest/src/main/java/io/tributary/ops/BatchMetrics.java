package io.tributary.ops;

import java.sql.Timestamp;

/**
 * One row of the ops table: what one micro-batch of one pipeline did. In normal operation
 * {@code received = silverRows + quarantined + duplicates}; a batch Spark replays after a crash, or the first
 * batches after a lost checkpoint, also skip records the tables already held, counted in {@code replayed}.
 *
 * @param silverRows rows Delta committed to silver for this batch (from the commit's metrics)
 * @param reconciled whether the committed rows match what the batch meant to write and
 *     {@code received = silverRows + quarantined + duplicates + replayed}
 * @param sourceLag Kafka only: records behind the latest offsets after this batch (null for files)
 * @param freshnessSeconds now minus the newest event time landed in silver (null if none)
 * @param warnings warnings on the batch's valid records: coercions of lenient fields, rules whose action is warn
 * @param rules records per rule that failed or warned in the batch (contract rules such as {@code type}, the
 *     pipeline's rule ids, {@code duplicate_conflict}); rules no record broke are absent
 */
public record BatchMetrics(
    String pipeline,
    long batchId,
    String checkpointId,
    Timestamp startedAt,
    Timestamp finishedAt,
    long durationMs,
    long received,
    long bronzeRows,
    long silverRows,
    long quarantined,
    long duplicates,
    long replayed,
    boolean reconciled,
    Timestamp maxEventTime,
    Long freshnessSeconds,
    Long sourceLag,
    long warnings,
    java.util.Map<String, Long> rules) {

  public BatchMetrics {
    rules = rules == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(rules));
  }

  /** The one concise log line per batch. */
  public String logLine() {
    return String.format("%s batch %d: received=%d silver=%d quarantined=%d duplicates=%d%s%s in %d ms, lag=%s, freshness=%s",
        pipeline, batchId, received, silverRows, quarantined, duplicates,
        replayed > 0 ? " replayed=" + replayed : "", warnings > 0 ? " warnings=" + warnings : "", durationMs,
        sourceLag == null ? "n/a" : sourceLag.toString(),
        freshnessSeconds == null ? "n/a" : freshnessSeconds + "s");
  }
}
