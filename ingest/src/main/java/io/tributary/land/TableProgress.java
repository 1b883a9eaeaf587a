package io.tributary.land;

import java.util.HashMap;
import java.util.Map;

/**
 * What one table already holds from one pipeline: the newest micro-batch of the current checkpoint it
 * committed (Delta's own transaction state for the pipeline's writer id, so a batch Spark replays is
 * recognised), and, for Kafka, the next offset per partition it holds (from its newest commit marker, used to
 * resume after a lost checkpoint and to skip records the table already has).
 *
 * <p>Immutable: each commit yields the next value.
 *
 * @param committedBatch the newest batch id this checkpoint committed to the table, -1 if none
 * @param kafka "topic:partition" to the next offset not yet in the table
 */
public record TableProgress(long committedBatch, Map<String, Long> kafka) {
  public TableProgress {
    kafka = Map.copyOf(kafka);
  }

  public static TableProgress empty() {
    return new TableProgress(-1, Map.of());
  }

  /** True when the table already committed this batch (Spark is replaying it). */
  public boolean holdsBatch(long batchId) {
    return committedBatch >= batchId;
  }

  /** Kafka positions after a batch that read up to {@code batchEnd} (next offsets). */
  public Map<String, Long> advancedTo(Map<String, Long> batchEnd) {
    Map<String, Long> next = new HashMap<>(kafka);
    batchEnd.forEach((tp, off) -> next.merge(tp, off, Math::max));
    return Map.copyOf(next);
  }

  /** The progress after committing {@code batchId} with these positions. */
  public TableProgress committed(long batchId, Map<String, Long> positions) {
    return new TableProgress(batchId, positions);
  }
}
