package io.tributary.land;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.named_struct;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tributary.config.PipelineConfig;
import io.tributary.ops.BatchMetrics;
import io.tributary.ops.OpsTable;
import io.tributary.parse.EventParser;
import io.tributary.parse.Pseudonymizer;
import io.tributary.parse.RuleChecker;
import io.tributary.source.EventSource;
import io.tributary.source.RawColumns;
import io.tributary.source.SplitStats;
import io.tributary.spark.ProgressTicker;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lands one micro-batch (the {@code foreachBatch} function): every record to bronze, valid first copies to
 * silver, invalid records and conflicting copies to quarantine, and the batch's metrics to ops.
 *
 * <p>Cost follows the batch: the batch is parsed once and persisted; one pass computes every count and each
 * split's positions; de-duplication reads two hash columns of silver's partitions within the horizon of the
 * batch's dates ({@link Dedup}); the three table writes run concurrently; committed row counts come from the
 * commits themselves ({@link DeltaCommits}).
 *
 * <p>Exactly once: every write is a Delta idempotent append keyed by (pipeline + checkpoint identity, batch id),
 * so a batch Spark replays after a crash lands once in each table, and every commit records the source positions
 * the table then holds ({@link CommitMarker}), so a run whose checkpoint was lost lands only what each table lacks.
 * A replayed batch that a table already committed takes that table's figures from its commit, so ops always
 * reports what the tables hold; a batch every table committed is recognised before any parsing.
 */
public final class BatchLander implements VoidFunction2<Dataset<Row>, Long>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchLander.class);
  private static final String VALID = "_valid";
  private static final String JOB_DESCRIPTION = "spark.job.description";

  private final byte[] piiKey;
  private final SparkSession spark;
  private final PipelineConfig pipeline;
  private final EventSource source;
  private final String checkpointId;
  private final String appId;
  private final Map<PipelineTable, String> paths;
  private final String opsPath;
  private final Map<PipelineTable, TableProgress> progress;
  private long opsCommitted;
  private final Consumer<BatchMetrics> onBatch;
  private final ExecutorService writers;
  private final CommitPreparer preparer;
  /** The running batch's progress lines (a long first batch is never silent); null between batches. */
  private ProgressTicker ticker;

  /**
   * @param progress what each table holds, read from Delta when the query starts
   * @param opsCommitted the newest batch of this checkpoint the ops table holds, -1 if none
   */
  public BatchLander(SparkSession spark, PipelineConfig pipeline, EventSource source, String checkpointId,
      Map<PipelineTable, String> paths, String opsPath, Map<PipelineTable, TableProgress> progress, long opsCommitted,
      Consumer<BatchMetrics> onBatch) {
    // First: a missing PII key stops the pipeline before anything starts.
    this.piiKey = Pseudonymizer.key(pipeline, spark.sparkContext().hadoopConfiguration());
    this.spark = spark;
    this.pipeline = pipeline;
    this.source = source;
    this.checkpointId = checkpointId;
    this.appId = appId(pipeline, checkpointId);
    this.paths = Map.copyOf(paths);
    this.opsPath = opsPath;
    this.progress = new EnumMap<>(progress);
    this.opsCommitted = opsCommitted;
    this.onBatch = onBatch;
    // Threads are started here, outside any Spark execution, so they inherit no execution id from the stream.
    ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(PipelineTable.values().length, r -> {
      Thread t = new Thread(r, "land-" + pipeline.name());
      t.setDaemon(true);
      return t;
    });
    pool.prestartAllCoreThreads();
    this.writers = pool;
    this.preparer = new CommitPreparer(spark, pipeline.name(), PipelineTable.values().length + 1);
    this.paths.forEach((t, path) -> prepare(t.kind(), path));
    prepare("ops", opsPath);
  }

  /** The writer id of a pipeline's checkpoint in Delta's transaction state (txnAppId). */
  public static String appId(PipelineConfig pipeline, String checkpointId) {
    return "tributary:" + pipeline.name() + ":" + checkpointId;
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    String previousDescription = spark.sparkContext().getLocalProperty(JOB_DESCRIPTION);
    ticker = ProgressTicker.start(LOG, pipeline.name() + " batch " + batchId, "starting");
    try {
      if (opsCommitted >= batchId && progress.values().stream().allMatch(p -> p.holdsBatch(batchId))) {
        replayOfLanded(batch, batchId);
      } else {
        land(batch, batchId);
      }
    } finally {
      ticker.close();
      spark.sparkContext().setJobDescription(previousDescription);
    }
  }

  /** Every table and ops hold the batch already (Spark replays it after a crash): count it, land nothing. */
  private void replayOfLanded(Dataset<Row> batch, long batchId) {
    Instant started = Instant.now();
    describe(batchId, "replay of a landed batch");
    long records = source.records(batch).where(col(RawColumns.RECORD)).count();
    Instant finished = Instant.now();
    BatchMetrics m = new BatchMetrics(pipeline.name(), batchId, checkpointId, Timestamp.from(started),
        Timestamp.from(finished), finished.toEpochMilli() - started.toEpochMilli(), records, 0, 0, 0, 0, records, true,
        null, null, null, 0, null);
    LOG.info("{} (already landed: nothing written)", m.logLine());
    onBatch.accept(m);
  }

  private void land(Dataset<Row> batch, long batchId) {
    Instant started = Instant.now();
    Timestamp ingestTime = Timestamp.from(started);
    describe(batchId, "parse, validate and count");
    Dataset<Row> parsed = Dedup.withHashes(Pseudonymizer.apply(
        RuleChecker.apply(EventParser.parse(source.records(batch), pipeline, source.format()), pipeline), pipeline, piiKey),
        pipeline);
    Column valid = size(col(EventParser.ERRORS)).equalTo(0);
    Column record = col(RawColumns.RECORD);
    Dataset<Row> rows = parsed
        .withColumn(VALID, valid)
        .withColumn(pending(PipelineTable.BRONZE), record.and(source.notYetLanded(PipelineTable.BRONZE, progress(PipelineTable.BRONZE))))
        .withColumn(pending(PipelineTable.SILVER), record.and(valid).and(source.notYetLanded(PipelineTable.SILVER, progress(PipelineTable.SILVER))))
        .withColumn(pending(PipelineTable.QUARANTINE), record.and(not(valid)).and(source.notYetLanded(PipelineTable.QUARANTINE, progress(PipelineTable.QUARANTINE))))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> statuses = null;
    try {
      BatchCounts counts = BatchCounts.of(rows, pipeline, pending(PipelineTable.BRONZE), pending(PipelineTable.SILVER),
          pending(PipelineTable.QUARANTINE));
      Column offset = source.offset(counts.splits());
      Map<String, Long> positions = source.positionsAfter(counts.splits());
      failOnFailRules(rows, counts, offset, batchId);

      long duplicates = 0;
      long conflicts = 0;
      if (counts.silverCandidates() > 0) {
        describe(batchId, "de-duplicate");
        // Checkpointed, not persisted: a cached plan that reads silver would be re-planned against the new
        // version by Spark as soon as this batch commits to silver (a needless scan of silver's state).
        statuses = Dedup.statuses(rows.where(col(pending(PipelineTable.SILVER))), silverBefore(batchId), pipeline,
            counts.silverDates(), counts.silverCandidates()).localCheckpoint();
        for (Row r : statuses.groupBy(Dedup.STATUS).count().collectAsList()) {
          if (r.getString(0).equals(Dedup.DUPLICATE)) {
            duplicates = r.getLong(1);
          } else {
            conflicts = r.getLong(1);
          }
        }
      }
      boolean quarantineConflicts = pipeline.dedup().quarantineConflicts() && conflicts > 0;

      Map<PipelineTable, Dataset<Row>> out = new EnumMap<>(PipelineTable.class);
      out.put(PipelineTable.BRONZE, rows.where(col(pending(PipelineTable.BRONZE))));
      Dataset<Row> candidates = rows.where(col(pending(PipelineTable.SILVER)));
      out.put(PipelineTable.SILVER, statuses == null ? candidates
          : candidates.join(org.apache.spark.sql.functions.broadcast(statuses), scala(RawColumns.ROW), "left_anti"));
      Dataset<Row> invalid = rows.where(col(pending(PipelineTable.QUARANTINE)));
      if (quarantineConflicts) {
        Dataset<Row> conflicting = candidates
            .join(statuses.where(col(Dedup.STATUS).equalTo(Dedup.CONFLICT)), scala(RawColumns.ROW), "left_semi")
            .withColumn(EventParser.ERRORS, array(named_struct(lit("rule"), lit("duplicate_conflict"), lit("message"),
                lit("event id " + "seen before with different content; the first copy is in silver"))));
        invalid = invalid.unionByName(conflicting);
      }
      out.put(PipelineTable.QUARANTINE, invalid);

      Map<PipelineTable, Long> committed = writeAll(out, offset, positions, batchId, ingestTime);

      long expectedSilver = counts.silverCandidates() - duplicates - conflicts;
      long expectedQuarantine = counts.quarantineCandidates() + (quarantineConflicts ? conflicts : 0);
      long counted = duplicates + (quarantineConflicts ? 0 : conflicts);
      long replayed = counts.records() - counts.silverCandidates() - counts.quarantineCandidates();
      long silverRows = committed.get(PipelineTable.SILVER);
      long quarantined = committed.get(PipelineTable.QUARANTINE);
      boolean reconciled = silverRows == expectedSilver && quarantined == expectedQuarantine
          && committed.get(PipelineTable.BRONZE) == counts.bronzeCandidates()
          && counts.records() == silverRows + quarantined + counted + replayed;
      Instant finished = Instant.now();
      Timestamp maxEventTime = counts.maxEventTime();
      BatchMetrics metrics = new BatchMetrics(pipeline.name(), batchId, checkpointId, ingestTime,
          Timestamp.from(finished), finished.toEpochMilli() - started.toEpochMilli(), counts.records(),
          committed.get(PipelineTable.BRONZE), silverRows, quarantined, counted, replayed, reconciled, maxEventTime,
          maxEventTime == null ? null : (finished.toEpochMilli() - maxEventTime.getTime()) / 1000,
          source.lag(progress(PipelineTable.SILVER)), counts.warnings(), ruleCounts(counts, conflicts));
      describe(batchId, "ops");
      Faults.at("before:ops");
      OpsTable.append(spark, opsPath, metrics, appId,
          new CommitMarker(pipeline.name(), checkpointId, batchId, progress(PipelineTable.SILVER).kafka()));
      opsCommitted = batchId;
      prepare("ops", opsPath);
      Faults.at("committed:ops");
      if (reconciled) {
        LOG.info(metrics.logLine());
      } else {
        LOG.error("{}: counts do not reconcile (bronze committed {} of {}, silver committed {} of {} unique, "
                + "quarantine committed {} of {})", metrics.logLine(), committed.get(PipelineTable.BRONZE),
            counts.bronzeCandidates(), silverRows, expectedSilver, quarantined, expectedQuarantine);
      }
      onBatch.accept(metrics);
    } finally {
      rows.unpersist();
    }
  }

  /** Records per rule, with conflicting copies of an event id under {@code duplicate_conflict}. */
  private static Map<String, Long> ruleCounts(BatchCounts counts, long conflicts) {
    Map<String, Long> rules = new java.util.TreeMap<>(counts.rules());
    if (conflicts > 0) {
      rules.put("duplicate_conflict", conflicts);
    }
    return rules;
  }

  /**
   * Stops the pipeline before anything of the batch lands when a record failed a rule whose action is
   * {@code fail}, naming the rule, how many records failed it and where the first one is.
   */
  private void failOnFailRules(Dataset<Row> rows, BatchCounts counts, Column offset, long batchId) {
    for (String rule : RuleChecker.failingRules(pipeline)) {
      long n = counts.rules().getOrDefault(rule, 0L);
      if (n > 0) {
        Row first = rows.where(col(RawColumns.RECORD).and(org.apache.spark.sql.functions.exists(col(EventParser.ERRORS),
                e -> e.getField("rule").equalTo(rule))))
            .orderBy(RawColumns.ROW).select(col(RawColumns.SOURCE), offset, org.apache.spark.sql.functions.filter(
                col(EventParser.ERRORS), e -> e.getField("rule").equalTo(rule)).getItem(0).getField("message"))
            .first();
        throw new RuleFailure("pipeline " + pipeline.name() + " batch " + batchId + ": rule '" + rule + "' (action: fail) "
            + "failed for " + n + " record(s), first at " + first.get(0) + (first.isNullAt(1) ? "" : " offset " + first.get(1))
            + ": " + first.getString(2) + ". Nothing of this batch was landed; fix the source (or change the rule's "
            + "action) and restart: the batch is read again.");
      }
    }
  }

  /** A record broke a rule whose action is {@code fail}. */
  public static final class RuleFailure extends IllegalStateException {
    public RuleFailure(String message) {
      super(message);
    }
  }

  /**
   * Silver as it was before this batch: normally the current table; when a replayed batch already landed in
   * silver, the version before its commit, so de-duplication decides exactly as the first attempt did.
   */
  private Dataset<Row> silverBefore(long batchId) {
    String path = paths.get(PipelineTable.SILVER);
    if (!DeltaTables.exists(spark, path)) {
      return null;
    }
    if (progress(PipelineTable.SILVER).holdsBatch(batchId)) {
      DeltaCommits.Commit c = DeltaCommits.commitOf(spark, path, checkpointId, batchId).orElseThrow(() ->
          new IllegalStateException(path + " records batch " + batchId + " as committed but its commit is not "
              + "among the newest; the table's log was changed outside Tributary"));
      return c.version() == 0 ? null : spark.read().format("delta").option("versionAsOf", c.version() - 1).load(path);
    }
    return spark.read().format("delta").load(path);
  }

  /** Writes the three tables concurrently; returns the rows each committed for this batch. */
  private Map<PipelineTable, Long> writeAll(Map<PipelineTable, Dataset<Row>> out, Column offset,
      Map<String, Long> positions, long batchId, Timestamp ingestTime) {
    Map<PipelineTable, Future<Long>> running = new EnumMap<>(PipelineTable.class);
    ticker.step("writing " + String.join(", ", Arrays.stream(PipelineTable.values()).map(PipelineTable::kind).toList()));
    for (PipelineTable t : PipelineTable.values()) {
      Dataset<Row> rows = t.rows(out.get(t), pipeline, offset, batchId, ingestTime);
      running.put(t, writers.submit(() -> {
        jobDescription(batchId, t.kind());
        return write(t, rows, batchId, positions);
      }));
    }
    Map<PipelineTable, Long> committed = new EnumMap<>(PipelineTable.class);
    try {
      for (PipelineTable t : PipelineTable.values()) {
        committed.put(t, running.get(t).get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.values().forEach(f -> f.cancel(true));
      throw new IllegalStateException("interrupted while landing batch " + batchId, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
    return committed;
  }

  /** Appends unless the table already holds this batch; returns the rows its commit for this batch added. */
  private long write(PipelineTable table, Dataset<Row> rows, long batchId, Map<String, Long> positions) {
    String path = paths.get(table);
    TableProgress p = progress(table);
    if (!p.holdsBatch(batchId)) {
      Map<String, Long> held = p.advancedTo(positions);
      DeltaTables.append(rows, path, table.partitionBy(pipeline), appId, batchId,
          new CommitMarker(pipeline.name(), checkpointId, batchId, held));
      synchronized (progress) {
        progress.put(table, p.committed(batchId, held));
      }
      Faults.at("committed:" + table.kind());
      prepare(table.kind(), path);
    }
    return DeltaCommits.commitOf(spark, path, checkpointId, batchId).map(DeltaCommits.Commit::rows).orElse(0L);
  }

  /** Readies the table's next commit while the stream does other work ({@link CommitPreparer}). */
  private void prepare(String kind, String path) {
    preparer.prepare(path, "ingest " + pipeline.name() + ": preparing the next " + kind + " commit");
  }

  private TableProgress progress(PipelineTable t) {
    synchronized (progress) {
      return progress.getOrDefault(t, TableProgress.empty());
    }
  }

  private static String pending(PipelineTable t) {
    return "_pending_" + t.kind();
  }

  private static scala.collection.immutable.Seq<String> scala(String column) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(column)).toSeq();
  }

  /** Names the step in the progress lines and in the Spark jobs this thread starts (the Spark UI shows it). */
  private void describe(long batchId, String step) {
    ticker.step(step);
    jobDescription(batchId, step);
  }

  private void jobDescription(long batchId, String step) {
    spark.sparkContext().setJobDescription("ingest " + pipeline.name() + " batch " + batchId + ": " + step);
  }

  /** Call once its query has stopped: waits for the background preparations ({@link CommitPreparer#close}). */
  @Override
  public void close() {
    writers.shutdownNow();
    preparer.close();
  }
}
