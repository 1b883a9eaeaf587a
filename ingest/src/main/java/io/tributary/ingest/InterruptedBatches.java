package io.tributary.ingest;

import io.tributary.config.PipelineConfig;
import io.tributary.land.BatchLander;
import io.tributary.land.CommitMarker;
import io.tributary.land.DeltaCommits;
import io.tributary.land.PipelineTable;
import io.tributary.ops.BatchMetrics;
import io.tributary.ops.OpsTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts in ops the batch a lost (deleted or corrupted) checkpoint left half landed. A batch writes its ops row
 * after its three table commits; when the process dies in between, the checkpoint's replay would complete the
 * ops row, but a new checkpoint never replays that batch (its records come again as {@code replayed}), so the
 * rows those commits added would be missing from ops. Such a batch can only be the newest commit of a table:
 * the next batch starts after ops is written.
 *
 * <p>Recorded once, when a new checkpoint starts: one ops row under the old checkpoint's identity and batch id
 * (an idempotent append, like every ops row) with the rows each table's commit added, {@code received} 0 and
 * {@code reconciled} false: the batch never finished, so what it received is unknown (a new batch that reads
 * its records again counts them, as {@code replayed} where a table already holds them).
 */
final class InterruptedBatches {
  private static final Logger LOG = LoggerFactory.getLogger(InterruptedBatches.class);

  private InterruptedBatches() {}

  static void record(SparkSession spark, PipelineConfig pipeline, Map<PipelineTable, String> paths, String opsPath) {
    Map<CommitMarker, Map<PipelineTable, Long>> interrupted = new LinkedHashMap<>();
    for (PipelineTable t : PipelineTable.values()) {
      DeltaCommits.lastMarked(spark, paths.get(t)).ifPresent(c -> {
        CommitMarker m = c.marker();
        String appId = BatchLander.appId(pipeline, m.checkpointId());
        if (m.pipeline().equals(pipeline.name()) && DeltaCommits.committedVersion(spark, opsPath, appId) < m.batchId()) {
          interrupted.computeIfAbsent(new CommitMarker(m.pipeline(), m.checkpointId(), m.batchId(), Map.of()),
              k -> new EnumMap<>(PipelineTable.class)).put(t, c.rows());
        }
      });
    }
    interrupted.forEach((batch, rows) -> {
      Timestamp now = Timestamp.from(Instant.now());
      BatchMetrics m = new BatchMetrics(pipeline.name(), batch.batchId(), batch.checkpointId(), now, now, 0, 0,
          rows.getOrDefault(PipelineTable.BRONZE, 0L), rows.getOrDefault(PipelineTable.SILVER, 0L),
          rows.getOrDefault(PipelineTable.QUARANTINE, 0L), 0, 0, false, null, null, null, 0, null);
      OpsTable.append(spark, opsPath, m, BatchLander.appId(pipeline, batch.checkpointId()), batch);
      LOG.warn("{}: batch {} of the previous checkpoint {} was interrupted after landing bronze={} silver={} "
              + "quarantined={}; recorded in ops/batches (reconciled=false)",
          pipeline.name(), batch.batchId(), batch.checkpointId(), m.bronzeRows(), m.silverRows(), m.quarantined());
    });
  }
}
