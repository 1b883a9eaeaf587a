package io.tributary.land;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.tributary.config.PipelineConfig;
import io.tributary.layout.LakeLayout;
import io.tributary.parse.EventParser;
import io.tributary.parse.Pseudonymizer;
import io.tributary.parse.RuleChecker;
import io.tributary.source.EventSource;
import io.tributary.source.RawColumns;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-parses and re-validates quarantined records with the pipeline's current schema, typing and rules, and lands
 * those that now pass in silver exactly once.
 *
 * <p>A replay reads quarantine at one version V and selects the records not landed by an earlier replay. The
 * ones that pass are de-duplicated against silver like a batch (an identical copy already there is counted, a
 * different one stays quarantined as {@code duplicate_conflict}) and appended to silver as an idempotent write
 * keyed by ({@code tributary-replay-PIPELINE}, V); then one MERGE marks every selected record in quarantine:
 * {@code replay_status} {@code landed}, {@code duplicate} or {@code failed} (with its new reasons in
 * {@code errors}), {@code replayed_at}, {@code replay_version} = V. A replay killed between the two commits is
 * finished by the next one first: silver's transaction state says V was landed, no quarantine row carries V yet,
 * so the same selection (kept in the silver commit) is recomputed against silver as it was before V, the append
 * is skipped by Delta, and only the marking is done.
 */
public final class QuarantineReplay {
  private static final Logger LOG = LoggerFactory.getLogger(QuarantineReplay.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TAG = "tributaryReplay";
  public static final String STATUS = "replay_status";
  private static final String OUTCOME = "_outcome";
  private static final int MERGE_ATTEMPTS = 5;

  /** What a replay did (or, for a dry run, would do). */
  public record Outcome(long quarantineVersion, boolean resumed, long selected, long landed, long duplicates,
      long failed, Map<String, Long> failedByRule) {}

  private final SparkSession spark;
  private final PipelineConfig pipeline;
  private final String quarantinePath;
  private final String silverPath;
  private final String appId;

  public QuarantineReplay(SparkSession spark, LakeLayout layout, PipelineConfig pipeline) {
    this.spark = spark;
    this.pipeline = pipeline;
    this.quarantinePath = PipelineTable.QUARANTINE.path(layout, pipeline);
    this.silverPath = PipelineTable.SILVER.path(layout, pipeline);
    this.appId = "tributary-replay-" + pipeline.name();
  }

  /**
   * Replays the quarantined records {@code where} selects (SQL over quarantine's columns; null for all), or
   * finishes an interrupted replay first (then {@code where} is not used: run again for it).
   */
  public Outcome run(String where, boolean dryRun) {
    if (!DeltaTables.exists(spark, quarantinePath)) {
      return new Outcome(-1, false, 0, 0, 0, 0, Map.of());
    }
    Optional<Marker> interrupted = dryRun ? Optional.empty() : interrupted();
    long version = interrupted.map(Marker::quarantineVersion).orElseGet(this::quarantineVersion);
    String selection = interrupted.isPresent() ? interrupted.get().where() : where;
    interrupted.ifPresent(m -> LOG.warn("quarantine replay of {}: finishing the replay of quarantine version {} that was "
        + "interrupted after landing in silver{}", pipeline.name(), m.quarantineVersion(),
        m.where() == null ? "" : " (where " + m.where() + ")"));

    Dataset<Row> quarantined = spark.read().format("delta").option("versionAsOf", version).load(quarantinePath);
    Dataset<Row> selected = List.of(quarantined.columns()).contains(STATUS)
        ? quarantined.where(col(STATUS).isNull().or(col(STATUS).equalTo("failed"))) : quarantined;
    if (selection != null && !selection.isBlank()) {
      selected = selected.where(expr(selection));
    }
    byte[] piiKey = Pseudonymizer.key(pipeline, spark.sparkContext().hadoopConfiguration());
    Dataset<Row> parsed = Dedup.withHashes(Pseudonymizer.apply(RuleChecker.apply(EventParser.parse(asRaw(selected),
        pipeline, EventSource.of(pipeline).format()), pipeline), pipeline, piiKey), pipeline)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> passing = parsed.where(size(col(EventParser.ERRORS)).equalTo(0));
      Row range = passing.agg(min(PipelineConfig.EVENT_DATE), max(PipelineConfig.EVENT_DATE),
          org.apache.spark.sql.functions.count(lit(1))).first();
      Dataset<Row> statuses = null;
      Dataset<Row> silverBefore = silverBefore(interrupted);
      if (range.getLong(2) > 0) {
        statuses = Dedup.statuses(passing, silverBefore, pipeline,
            new java.time.LocalDate[] {((Date) range.get(0)).toLocalDate(), ((Date) range.get(1)).toLocalDate()},
            range.getLong(2)).localCheckpoint();
      }
      Dataset<Row> outcomes = outcomes(parsed, statuses).localCheckpoint();
      Map<String, Long> counts = new TreeMap<>();
      for (Row r : outcomes.groupBy(OUTCOME).count().collectAsList()) {
        counts.put(r.getString(0), r.getLong(1));
      }
      Map<String, Long> byRule = new TreeMap<>();
      for (Row r : outcomes.where(col(OUTCOME).equalTo("failed"))
          .selectExpr("explode(transform(" + EventParser.ERRORS + ", e -> e.rule))").groupBy("col").count().collectAsList()) {
        byRule.put(r.getString(0), r.getLong(1));
      }
      Outcome outcome = new Outcome(version, interrupted.isPresent(), counts.values().stream().mapToLong(Long::longValue).sum(),
          counts.getOrDefault("landed", 0L), counts.getOrDefault("duplicate", 0L), counts.getOrDefault("failed", 0L), byRule);
      if (dryRun || outcome.selected() == 0) {
        return outcome;
      }
      Timestamp now = Timestamp.from(Instant.now());
      Dataset<Row> landing = outcomes.where(col(OUTCOME).equalTo("landed"));
      Dataset<Row> rows = PipelineTable.SILVER.rows(landing, pipeline, col(RawColumns.OFFSET), -1, now);
      // Skipped by Delta when this replay already landed (an interrupted run being finished).
      rows.write().format("delta").mode("append").partitionBy(pipeline.partitionBy().toArray(String[]::new))
          .option("txnAppId", appId).option("txnVersion", version).option("mergeSchema", "true")
          .option("userMetadata", new Marker(pipeline.name(), version, selection).toJson())
          .save(silverPath);
      Faults.at("replay:committed:silver");
      mark(outcomes, version, now);
      return outcome;
    } finally {
      parsed.unpersist();
    }
  }

  /** Quarantine rows as the parser's raw columns; the source coordinates are the record's own. */
  private static Dataset<Row> asRaw(Dataset<Row> quarantined) {
    return quarantined.select(
        col("payload").as(RawColumns.PAYLOAD),
        col("source").as(RawColumns.SOURCE),
        col("source_partition").as(RawColumns.PARTITION),
        col("source_offset").as(RawColumns.OFFSET),
        lit(null).cast(DataTypes.TimestampType).as(RawColumns.SOURCE_TIME),
        lit(0L).as(RawColumns.FILE_BLOCK),
        monotonically_increasing_id().as(RawColumns.ROW),
        lit(true).as(RawColumns.RECORD));
  }

  /** Each parsed row with its outcome; conflicting copies get the duplicate_conflict reason. */
  private Dataset<Row> outcomes(Dataset<Row> parsed, Dataset<Row> statuses) {
    Dataset<Row> withStatus = statuses == null ? parsed.withColumn(Dedup.STATUS, lit(null).cast(DataTypes.StringType))
        : parsed.join(statuses, scala.jdk.javaapi.CollectionConverters.asScala(List.of(RawColumns.ROW)).toSeq(), "left");
    Column failed = size(col(EventParser.ERRORS)).gt(0);
    Column conflict = col(Dedup.STATUS).equalTo(Dedup.CONFLICT);
    return withStatus
        .withColumn(EventParser.ERRORS, when(org.apache.spark.sql.functions.not(failed).and(conflict), expr("array(named_struct('rule', "
            + "'duplicate_conflict', 'message', 'event id seen before with different content; the first copy is in silver'))"))
            .otherwise(col(EventParser.ERRORS)))
        .withColumn(OUTCOME, when(failed.or(conflict), lit("failed"))
            .when(col(Dedup.STATUS).equalTo(Dedup.DUPLICATE), lit("duplicate")).otherwise(lit("landed")));
  }

  /** One MERGE marks every selected record; retried when a concurrent ingest appended to quarantine meanwhile. */
  private void mark(Dataset<Row> outcomes, long version, Timestamp now) {
    ensureReplayColumns();
    Dataset<Row> updates = outcomes.select(col(RawColumns.SOURCE).as("u_source"), col(RawColumns.PARTITION).as("u_partition"),
        col(RawColumns.OFFSET).as("u_offset"), col(OUTCOME).as("u_status"), col(EventParser.ERRORS).as("u_errors"));
    for (int attempt = 1; ; attempt++) {
      try {
        DeltaTable.forPath(spark, quarantinePath).as("q")
            .merge(updates.as("u"), "q.source <=> u.u_source AND q.source_partition <=> u.u_partition "
                + "AND q.source_offset <=> u.u_offset")
            .whenMatched()
            .updateExpr(Map.of(STATUS, "u.u_status", "replayed_at", "timestamp'" + now.toInstant() + "'",
                "replay_version", String.valueOf(version),
                "errors", "CASE WHEN u.u_status = 'failed' THEN u.u_errors ELSE q.errors END"))
            .execute();
        return;
      } catch (RuntimeException e) {
        if (attempt >= MERGE_ATTEMPTS || !String.valueOf(e.getClass().getName()).contains("Concurrent")) {
          throw e;
        }
        LOG.info("quarantine replay of {}: quarantine changed during the marking ({}); retrying", pipeline.name(),
            e.getClass().getSimpleName());
      }
    }
  }

  private void ensureReplayColumns() {
    if (!List.of(spark.read().format("delta").load(quarantinePath).columns()).contains(STATUS)) {
      spark.sql("ALTER TABLE delta.`" + quarantinePath.replace("`", "``") + "` ADD COLUMNS (" + STATUS
          + " STRING, replayed_at TIMESTAMP, replay_version BIGINT)");
    }
  }

  private long quarantineVersion() {
    return DeltaTable.forPath(spark, quarantinePath).history(1).first().getLong(0);
  }

  /** A replay whose silver append committed but whose marking did not, if the last one was interrupted. */
  private Optional<Marker> interrupted() {
    long landed = DeltaCommits.committedVersion(spark, silverPath, appId);
    if (landed < 0) {
      return Optional.empty();
    }
    boolean marked = List.of(spark.read().format("delta").load(quarantinePath).columns()).contains("replay_version")
        && !spark.read().format("delta").load(quarantinePath).where(col("replay_version").equalTo(landed)).isEmpty();
    return marked ? Optional.empty() : findMarker(landed);
  }

  /** Silver before this replay's own commit when finishing an interrupted one, so de-duplication decides the same. */
  private Dataset<Row> silverBefore(Optional<Marker> interrupted) {
    if (!DeltaTables.exists(spark, silverPath)) {
      return null;
    }
    if (interrupted.isPresent()) {
      long commit = interrupted.get().silverVersion();
      return commit == 0 ? null : spark.read().format("delta").option("versionAsOf", commit - 1).load(silverPath);
    }
    return spark.read().format("delta").load(silverPath);
  }

  /** The replay marker of silver's commit for quarantine version {@code version}, among its newest commits. */
  private Optional<Marker> findMarker(long version) {
    Optional<Marker> found = DeltaCommits.newest(spark, silverPath, (commit, info) ->
        Marker.fromJson(info.userMetadata().get(), commit).filter(m -> m.quarantineVersion() == version));
    if (found.isEmpty()) {
      throw new IllegalStateException(silverPath + " records replay of quarantine version " + version + " as landed, "
          + "but its commit is not among the newest 200; mark the replayed records by hand or contact the maintainers");
    }
    return found;
  }

  /** What a replay's silver commit records: the quarantine version and selection it replayed. */
  record Marker(String pipeline, long quarantineVersion, String where, long silverVersion) {
    Marker(String pipeline, long quarantineVersion, String where) {
      this(pipeline, quarantineVersion, where, -1);
    }

    String toJson() {
      Map<String, Object> body = new TreeMap<>();
      body.put("pipeline", pipeline);
      body.put("quarantineVersion", quarantineVersion);
      if (where != null) {
        body.put("where", where);
      }
      try {
        return JSON.writeValueAsString(Map.of(TAG, body));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    static Optional<Marker> fromJson(String userMetadata, long silverVersion) {
      if (!userMetadata.contains("\"" + TAG + "\"")) {
        return Optional.empty();
      }
      try {
        JsonNode m = JSON.readTree(userMetadata).get(TAG);
        return Optional.of(new Marker(m.get("pipeline").asText(), m.get("quarantineVersion").asLong(),
            m.hasNonNull("where") ? m.get("where").asText() : null, silverVersion));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        return Optional.empty();
      }
    }
  }
}
