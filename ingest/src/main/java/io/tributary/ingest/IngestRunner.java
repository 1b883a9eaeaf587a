package io.tributary.ingest;

import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.land.BatchLander;
import io.tributary.land.CheckpointIdentity;
import io.tributary.land.DeltaCommits;
import io.tributary.land.DeltaTables;
import io.tributary.land.Dedup;
import io.tributary.land.PipelineTable;
import io.tributary.land.TableProgress;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.BatchMetrics;
import io.tributary.ops.OpsTable;
import io.tributary.parse.RuleChecker;
import io.tributary.source.EventSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a pipeline's streaming query: moves a corrupted checkpoint aside ({@link CheckpointCheck}), reads what
 * each table holds from Delta, opens the source at the right position, and lands every micro-batch with a
 * {@link BatchLander}.
 */
public final class IngestRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestRunner.class);

  private final SparkSession spark;
  private final LakeLayout layout;
  private final Consumer<BatchMetrics> onBatch;
  private final List<BatchLander> landers = new ArrayList<>();

  public IngestRunner(SparkSession spark, LakeLayout layout, Consumer<BatchMetrics> onBatch) {
    this.spark = spark;
    this.layout = layout;
    this.onBatch = onBatch;
  }

  /**
   * Starts the query.
   *
   * @param once process what is available now, then stop (Spark's available-now trigger)
   */
  public StreamingQuery start(PipelineConfig pipeline, boolean once) {
    RuleChecker.validate(spark, pipeline);
    EventSource source = EventSource.of(pipeline);
    source.check(spark);
    String checkpoint = layout.checkpoint(pipeline);
    CheckpointCheck.recoverIfCorrupt(pipeline.name(), checkpoint, spark.sparkContext().hadoopConfiguration());
    CheckpointIdentity identity = CheckpointIdentity.open(checkpoint, spark.sparkContext().hadoopConfiguration());
    String appId = BatchLander.appId(pipeline, identity.id());

    Map<PipelineTable, String> paths = new EnumMap<>(PipelineTable.class);
    Map<PipelineTable, TableProgress> progress = new EnumMap<>(PipelineTable.class);
    for (PipelineTable t : PipelineTable.values()) {
      String path = t.path(layout, pipeline);
      paths.put(t, path);
      progress.put(t, new TableProgress(DeltaCommits.committedVersion(spark, path, appId),
          source.landedPositions(spark, path)));
    }
    requireDedupColumns(pipeline, paths.get(PipelineTable.SILVER));
    OpsTable.ensureExists(spark, layout.opsBatches());
    if (identity.fresh()) {
      InterruptedBatches.record(spark, pipeline, paths, layout.opsBatches());
    }
    long opsCommitted = DeltaCommits.committedVersion(spark, layout.opsBatches(), appId);

    Dataset<Row> input = source.open(spark, progress, identity.fresh(), paths);
    BatchLander lander = new BatchLander(spark, pipeline, source, identity.id(), paths, layout.opsBatches(), progress,
        opsCommitted, onBatch);
    landers.add(lander);
    try {
      StreamingQuery query = input.writeStream()
          .queryName("ingest-" + pipeline.name())
          .option("checkpointLocation", checkpoint)
          .trigger(once ? Trigger.AvailableNow() : Trigger.ProcessingTime(pipeline.trigger().interval()))
          .foreachBatch(lander)
          .start();
      LOG.info("{}: ingesting from {} into {} ({})", pipeline.name(), source.describe(), layout.silver(pipeline),
          once ? "until caught up" : "every " + pipeline.trigger().interval());
      return query;
    } catch (TimeoutException e) {
      lander.close();
      throw new IllegalStateException("streaming query for " + pipeline.name() + " did not start", e);
    }
  }

  /**
   * Call after the queries stopped: lets each lander finish the background work it does between batches, so
   * stopping Spark right after never cuts a job off.
   */
  @Override
  public void close() {
    landers.forEach(BatchLander::close);
    landers.clear();
  }

  /** Silver written before de-duplication kept its hashes in silver cannot be de-duplicated against. */
  private void requireDedupColumns(PipelineConfig pipeline, String silver) {
    if (DeltaTables.exists(spark, silver)
        && !Arrays.asList(spark.read().format("delta").load(silver).columns()).contains(Dedup.ID_HASH)) {
      throw new ConfigException("pipeline " + pipeline.name() + ": " + silver + " was written by an earlier version of "
          + "Tributary (it has no " + Dedup.ID_HASH + " column for de-duplication); land the pipeline into a new lake "
          + "(or `tributary demo --reset` for the demo lake)");
    }
  }
}
