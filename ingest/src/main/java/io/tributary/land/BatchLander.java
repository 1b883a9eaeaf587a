package io.tributary.land;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tributary.config.PipelineConfig;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.BatchMetrics;
import io.tributary.ops.OpsTable;
import io.tributary.parse.EventParser;
import io.tributary.parse.RuleChecker;
import io.tributary.source.KafkaOffsets;
import io.tributary.source.LineNumbers;
import io.tributary.source.RawColumns;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lands one micro-batch (the {@code foreachBatch} function): raw records to bronze, valid new events to
 * silver, invalid records to quarantine, and the batch's metrics to ops.
 *
 * <p>Exactly-once: every write is a Delta idempotent append keyed by (pipeline + checkpoint identity, batch
 * id), so a batch Spark replays after a crash lands once; and every commit records the source positions the
 * table now holds ({@link CommitMarker}), so a run whose checkpoint was lost lands only what each table lacks
 * ({@link TableProgress}).
 */
public final class BatchLander implements VoidFunction2<Dataset<Row>, Long> {
  private static final Logger LOG = LoggerFactory.getLogger(BatchLander.class);

  private final SparkSession spark;
  private final PipelineConfig pipeline;
  private final LakeLayout layout;
  private final String checkpointId;
  private final Map<String, TableProgress> progress;
  private final KafkaOffsets kafkaOffsets; // null for file sources
  private final Consumer<BatchMetrics> onBatch;

  public BatchLander(SparkSession spark, PipelineConfig pipeline, LakeLayout layout, String checkpointId,
      Map<String, TableProgress> progress, KafkaOffsets kafkaOffsets, Consumer<BatchMetrics> onBatch) {
    this.spark = spark;
    this.pipeline = pipeline;
    this.layout = layout;
    this.checkpointId = checkpointId;
    this.progress = new HashMap<>(progress);
    this.kafkaOffsets = kafkaOffsets;
    this.onBatch = onBatch;
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    Instant started = Instant.now();
    Timestamp ingestTime = Timestamp.from(started);
    String appId = "tributary:" + pipeline.name() + ":" + checkpointId;
    describe(batchId, "parse and validate");

    String format = pipeline.source().isKafkaSource() ? "json" : pipeline.source().directory().format();
    Dataset<Row> raw = pipeline.source().isKafkaSource() ? batch : LineNumbers.assign(batch, format.equals("csv"));
    Dataset<Row> rows = RuleChecker.apply(EventParser.parse(raw, pipeline, format), pipeline)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // A table that already committed this batch (a replay from the same checkpoint) is skipped whole; rows
      // a table holds from an earlier checkpoint are filtered out. Both count as replayed, not as duplicates.
      Column valid = size(col(EventParser.ERRORS)).equalTo(0);
      Column forBronze = pending("bronze", batchId);
      Column forSilver = pending("silver", batchId).and(valid);
      Column forQuarantine = pending("quarantine", batchId).and(not(valid));
      Row counts = rows.agg(count(lit(1)), sum(when(forBronze, 1).otherwise(0)), sum(when(forSilver, 1).otherwise(0)),
          sum(when(forQuarantine, 1).otherwise(0))).first();
      long received = counts.getLong(0);
      long validRows = counts.isNullAt(2) ? 0 : counts.getLong(2);
      long invalidRows = counts.isNullAt(3) ? 0 : counts.getLong(3);
      Map<String, Long> batchEnd = pipeline.source().isKafkaSource() ? kafkaEnd(rows) : Map.of();

      describe(batchId, "bronze");
      long bronzeRows = write("bronze", layout.bronze(pipeline), toBronze(rows.filter(forBronze), batchId, ingestTime),
          List.of("ingest_date"), appId, batchId, batchEnd);

      describe(batchId, "silver");
      Dataset<Row> unique = dropDuplicates(rows.filter(forSilver)).persist(StorageLevel.MEMORY_AND_DISK());
      Row silverStats = unique.agg(count(lit(1)), max(col(pipeline.eventTime()))).first();
      long uniqueRows = silverStats.getLong(0);
      Timestamp maxEventTime = silverStats.isNullAt(1) ? null : silverStats.getTimestamp(1);
      long silverRows = write("silver", layout.silver(pipeline), toSilver(unique, batchId, ingestTime),
          pipeline.partitionBy(), appId, batchId, batchEnd);
      unique.unpersist();

      describe(batchId, "quarantine");
      long quarantined = write("quarantine", layout.quarantine(pipeline),
          toQuarantine(rows.filter(forQuarantine), batchId, ingestTime), List.of("ingest_date"), appId, batchId, batchEnd);

      // The check is against what Delta says it committed, so a lost write shows up as a mismatch.
      long duplicates = validRows - uniqueRows;
      long replayed = received - validRows - invalidRows;
      boolean reconciled = silverRows == uniqueRows && quarantined == invalidRows
          && received == silverRows + quarantined + duplicates + replayed;
      Instant finished = Instant.now();
      BatchMetrics metrics = new BatchMetrics(pipeline.name(), batchId, checkpointId, ingestTime,
          Timestamp.from(finished), finished.toEpochMilli() - started.toEpochMilli(), received, bronzeRows, silverRows,
          quarantined, duplicates, replayed, reconciled, maxEventTime,
          maxEventTime == null ? null : (finished.toEpochMilli() - maxEventTime.getTime()) / 1000,
          sourceLag());
      describe(batchId, "ops");
      OpsTable.append(spark, layout.opsBatches(), metrics, appId, marker(batchId, progress("silver").kafka()));
      if (reconciled) {
        LOG.info(metrics.logLine());
      } else {
        LOG.error("{}: counts do not reconcile (silver committed {} of {} unique, quarantine committed {} of {})",
            metrics.logLine(), silverRows, uniqueRows, quarantined, invalidRows);
      }
      onBatch.accept(metrics);
    } finally {
      rows.unpersist();
      spark.sparkContext().setJobDescription(null);
    }
  }

  /** Rows this table still needs from this batch. */
  private Column pending(String table, long batchId) {
    TableProgress p = progress(table);
    return p.holdsBatch(checkpointId, batchId) ? lit(false) : p.notYetLanded();
  }

  private TableProgress progress(String table) {
    return progress.getOrDefault(table, TableProgress.empty());
  }

  /** Appends unless the table already holds this batch; returns the rows Delta committed for it. */
  private long write(String table, String path, Dataset<Row> rows, List<String> partitionBy, String appId,
      long batchId, Map<String, Long> batchEnd) {
    TableProgress p = progress.computeIfAbsent(table, t -> TableProgress.empty());
    if (p.holdsBatch(checkpointId, batchId)) {
      return 0;
    }
    CommitMarker marker = marker(batchId, p.advance(batchEnd));
    DeltaTables.append(rows, path, partitionBy, appId, batchId, marker);
    p.committed(marker);
    return DeltaTables.committedRows(spark, path, marker);
  }

  private CommitMarker marker(long batchId, Map<String, Long> positions) {
    return new CommitMarker(pipeline.name(), checkpointId, batchId, positions);
  }

  /** The next offset per partition after this batch. */
  private static Map<String, Long> kafkaEnd(Dataset<Row> rows) {
    Map<String, Long> end = new HashMap<>();
    for (Row r : rows.groupBy(RawColumns.SOURCE, RawColumns.PARTITION).agg(max(RawColumns.OFFSET)).collectAsList()) {
      end.put(r.getString(0) + ":" + r.getInt(1), r.getLong(2) + 1);
    }
    return end;
  }

  /** Keeps the first copy of each event id in source order, and drops ids silver already holds. */
  private Dataset<Row> dropDuplicates(Dataset<Row> valid) {
    String id = pipeline.eventId();
    Dataset<Row> firstCopies = valid
        .withColumn("_copy", row_number().over(Window.partitionBy(col(id))
            .orderBy(col(RawColumns.SOURCE), col(RawColumns.PARTITION), col(RawColumns.OFFSET))))
        .filter(col("_copy").equalTo(1)).drop("_copy");
    String silver = layout.silver(pipeline);
    if (!DeltaTables.exists(spark, silver)) {
      return firstCopies;
    }
    // Only the event dates present in this batch are read from silver, so the check is partition-pruned.
    List<Object> dates = new ArrayList<>();
    firstCopies.select(PipelineConfig.EVENT_DATE).distinct().collectAsList().forEach(r -> dates.add(r.get(0)));
    if (dates.isEmpty()) {
      return firstCopies;
    }
    Dataset<Row> existing = spark.read().format("delta").load(silver)
        .where(col(PipelineConfig.EVENT_DATE).isin(dates.toArray())).select(id, PipelineConfig.EVENT_DATE);
    return firstCopies.join(existing, scala.jdk.javaapi.CollectionConverters.asScala(List.of(id, PipelineConfig.EVENT_DATE)).toSeq(), "left_anti");
  }

  private static Dataset<Row> toBronze(Dataset<Row> rows, long batchId, Timestamp ingestTime) {
    return rows.select(
        col(RawColumns.PAYLOAD).as("payload"),
        col(RawColumns.SOURCE).as("source"),
        col(RawColumns.PARTITION).as("source_partition"),
        col(RawColumns.OFFSET).as("source_offset"),
        col(RawColumns.SOURCE_TIME).as("source_time"),
        lit(ingestTime).as("ingest_time"),
        org.apache.spark.sql.functions.to_date(lit(ingestTime)).as("ingest_date"),
        lit(batchId).as("batch_id"));
  }

  private Dataset<Row> toSilver(Dataset<Row> rows, long batchId, Timestamp ingestTime) {
    List<Column> cols = new ArrayList<>();
    for (String f : org.apache.spark.sql.types.StructType.fromDDL(pipeline.schemaDdl()).fieldNames()) {
      cols.add(col(f));
    }
    cols.add(col(PipelineConfig.EVENT_DATE));
    cols.add(col(RawColumns.SOURCE));
    cols.add(col(RawColumns.PARTITION));
    cols.add(col(RawColumns.OFFSET));
    cols.add(lit(ingestTime).as("_ingest_time"));
    cols.add(lit(batchId).as("_batch_id"));
    return rows.select(cols.toArray(Column[]::new));
  }

  private Dataset<Row> toQuarantine(Dataset<Row> rows, long batchId, Timestamp ingestTime) {
    return rows.select(
        col(RawColumns.PAYLOAD).as("payload"),
        col(RawColumns.SOURCE).as("source"),
        col(RawColumns.PARTITION).as("source_partition"),
        col(RawColumns.OFFSET).as("source_offset"),
        col(EventParser.ERRORS).as("errors"),
        col(pipeline.eventId()).cast("string").as("event_id"),
        lit(ingestTime).as("ingest_time"),
        org.apache.spark.sql.functions.to_date(lit(ingestTime)).as("ingest_date"),
        lit(batchId).as("batch_id"));
  }

  private Long sourceLag() {
    if (kafkaOffsets == null) {
      return null;
    }
    Map<String, Long> held = progress("silver").kafka();
    long lag = 0;
    for (Map.Entry<String, Long> e : kafkaOffsets.latest().entrySet()) {
      lag += Math.max(0, e.getValue() - held.getOrDefault(e.getKey(), 0L));
    }
    return lag;
  }

  private void describe(long batchId, String step) {
    spark.sparkContext().setJobDescription("ingest " + pipeline.name() + " batch " + batchId + ": " + step);
  }
}
