package io.tributary.ingest;

import static org.apache.spark.sql.functions.col;

import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.layout.LakeLayout;
import io.tributary.land.BatchLander;
import io.tributary.land.CheckpointIdentity;
import io.tributary.land.DeltaTables;
import io.tributary.land.TableProgress;
import io.tributary.ops.BatchMetrics;
import io.tributary.ops.OpsTable;
import io.tributary.parse.RuleChecker;
import io.tributary.source.DirectoryEventSource;
import io.tributary.source.EventSource;
import io.tributary.source.KafkaEventSource;
import io.tributary.source.KafkaOffsets;
import io.tributary.source.RawColumns;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a pipeline's streaming query: recovers each table's progress from the lake, opens the source at
 * the right position, and lands every micro-batch with a {@link BatchLander}.
 */
public final class IngestRunner {
  private static final Logger LOG = LoggerFactory.getLogger(IngestRunner.class);
  private static final List<String> TABLES = List.of("bronze", "silver", "quarantine");

  private final SparkSession spark;
  private final LakeLayout layout;
  private final Consumer<BatchMetrics> onBatch;

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
    requireSourceExists(pipeline);
    String checkpoint = layout.checkpoint(pipeline);
    CheckpointIdentity identity = CheckpointIdentity.open(checkpoint, spark.sparkContext().hadoopConfiguration());

    Map<String, TableProgress> progress = new HashMap<>();
    for (String t : TABLES) {
      String path = tablePath(pipeline, t);
      Set<String> files = identity.fresh() && !pipeline.source().isKafkaSource() ? landedFiles(path, t) : Set.of();
      progress.put(t, new TableProgress(DeltaTables.lastMarker(spark, path), files));
    }
    Optional<String> startingOffsets = Optional.empty();
    KafkaOffsets kafkaOffsets = null;
    EventSource source;
    if (pipeline.source().isKafkaSource()) {
      kafkaOffsets = new KafkaOffsets(pipeline.source().kafka());
      if (identity.fresh()) {
        startingOffsets = recoveredStartingOffsets(progress, kafkaOffsets);
      }
      source = new KafkaEventSource(pipeline.source().kafka());
    } else {
      source = new DirectoryEventSource(pipeline.source().directory());
    }
    OpsTable.ensureExists(spark, layout.opsBatches());
    startingOffsets.ifPresent(o -> LOG.info("{}: new checkpoint, resuming from the offsets the lake records: {}",
        pipeline.name(), o));

    Dataset<Row> input = source.open(spark, startingOffsets);
    BatchLander lander = new BatchLander(spark, pipeline, layout, identity.id(), progress, kafkaOffsets, onBatch);
    try {
      StreamingQuery query = input.writeStream()
          .queryName("ingest-" + pipeline.name())
          .option("checkpointLocation", checkpoint)
          .trigger(once ? Trigger.AvailableNow() : Trigger.ProcessingTime(pipeline.trigger().interval()))
          .foreachBatch(lander)
          .start();
      LOG.info("{}: ingesting from {} into {} ({})", pipeline.name(), describe(pipeline), layout.silver(pipeline),
          once ? "until caught up" : "every " + pipeline.trigger().interval());
      return query;
    } catch (TimeoutException e) {
      throw new IllegalStateException("streaming query for " + pipeline.name() + " did not start", e);
    }
  }

  private String tablePath(PipelineConfig p, String table) {
    return switch (table) {
      case "bronze" -> layout.bronze(p);
      case "silver" -> layout.silver(p);
      default -> layout.quarantine(p);
    };
  }

  /** Per partition, the lowest position any table holds, so no table misses a record; unknown = earliest. */
  private static Optional<String> recoveredStartingOffsets(Map<String, TableProgress> progress, KafkaOffsets offsets) {
    if (progress.values().stream().allMatch(p -> p.kafka().isEmpty())) {
      return Optional.empty();
    }
    Map<String, Long> start = new HashMap<>();
    for (String tp : offsets.latest().keySet()) {
      long min = Long.MAX_VALUE;
      for (TableProgress p : progress.values()) {
        min = Math.min(min, p.kafka().getOrDefault(tp, -2L));
      }
      start.put(tp, min);
    }
    return Optional.of(KafkaOffsets.toStartingOffsetsJson(start));
  }

  /** Files a table already holds; read only when the checkpoint is new, to skip them on re-read. */
  private Set<String> landedFiles(String table, String kind) {
    if (!DeltaTables.exists(spark, table)) {
      return Set.of();
    }
    String column = kind.equals("silver") ? RawColumns.SOURCE : "source";
    Set<String> files = new HashSet<>();
    spark.read().format("delta").load(table).select(col(column)).distinct().collectAsList()
        .forEach(r -> files.add(r.getString(0)));
    LOG.info("new checkpoint: {} already holds records from {} files, which will not be landed again", table, files.size());
    return files;
  }

  private void requireSourceExists(PipelineConfig p) {
    if (p.source().isKafkaSource()) {
      return;
    }
    String dir = p.source().directory().path();
    try {
      Path path = new Path(dir);
      if (!path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
        throw new ConfigException("pipeline " + p.name() + ": landing directory " + dir
            + " does not exist; create it, or fix source.directory.path in the pipeline file");
      }
    } catch (IOException e) {
      throw new ConfigException("pipeline " + p.name() + ": cannot access landing directory " + dir + ": " + e.getMessage());
    }
  }

  private static String describe(PipelineConfig p) {
    return p.source().isKafkaSource()
        ? "kafka " + (p.source().kafka().topicPattern() != null ? p.source().kafka().topicPattern() : p.source().kafka().topics())
        : "directory " + p.source().directory().path();
  }
}
