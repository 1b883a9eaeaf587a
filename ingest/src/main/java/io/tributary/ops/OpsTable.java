package io.tributary.ops;

import io.tributary.land.CommitMarker;
import io.tributary.land.DeltaTables;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** The ops table ({@code ROOT/ops/batches}): one row per micro-batch of every pipeline. */
public final class OpsTable {
  public static final StructType SCHEMA = StructType.fromDDL(
      "pipeline STRING, batch_id BIGINT, checkpoint_id STRING, started_at TIMESTAMP, finished_at TIMESTAMP, "
          + "duration_ms BIGINT, received BIGINT, bronze_rows BIGINT, silver_rows BIGINT, quarantined BIGINT, "
          + "duplicates BIGINT, replayed BIGINT, reconciled BOOLEAN, max_event_time TIMESTAMP, freshness_seconds BIGINT, source_lag BIGINT, "
          + "warnings BIGINT, rules MAP<STRING, BIGINT>");

  private OpsTable() {}

  /**
   * Creates the empty table if it does not exist, before any query starts: several pipelines' first batches
   * would otherwise race to create it.
   */
  public static void ensureExists(SparkSession spark, String path) {
    if (!DeltaTables.exists(spark, path)) {
      spark.createDataFrame(List.of(), SCHEMA).write().format("delta").mode("append").save(path);
    }
  }

  /** Appends one batch's metrics; idempotent for a replayed batch, like the data tables. */
  public static void append(SparkSession spark, String path, BatchMetrics m, String appId, CommitMarker marker) {
    Row row = RowFactory.create(m.pipeline(), m.batchId(), m.checkpointId(), m.startedAt(), m.finishedAt(),
        m.durationMs(), m.received(), m.bronzeRows(), m.silverRows(), m.quarantined(), m.duplicates(), m.replayed(),
        m.reconciled(), m.maxEventTime(), m.freshnessSeconds(), m.sourceLag(), m.warnings(), m.rules());
    Dataset<Row> df = spark.createDataFrame(List.of(row), SCHEMA).coalesce(1);
    DeltaTables.append(df, path, List.of(), appId, m.batchId(), marker);
  }
}
