package io.tributary.land;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.tributary.config.PipelineConfig;
import io.tributary.source.RawColumns;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * De-duplication by event id within a horizon on event time: the one mechanism for every pipeline.
 *
 * <p>Silver itself is the index: each row carries {@link #ID_HASH} (64-bit hash of the id) and
 * {@link #CONTENT_HASH} (hash of the event's fields), written in the same Delta commit as the row, so the index
 * can never disagree with silver, survives a lost checkpoint, and needs no rebuild. A batch reads only these two
 * BIGINT columns of the silver partitions within the horizon of its own event dates, and probes them with the
 * batch's first copies broadcast: no full rows are shuffled and no id strings are read. (The alternatives
 * considered, and why this one, are in the README's Performance section.)
 *
 * <p>Outcome for each valid record, in source order: the first copy of an id lands; a later copy (in the batch
 * or already in silver) with the same content is a {@link #DUPLICATE}; one with other content is a
 * {@link #CONFLICT}, which the lander quarantines or counts, never drops silently. Two different ids that
 * share a 64-bit hash differ in content too, so they surface as a conflict, not as a silent duplicate.
 */
public final class Dedup {
  public static final String ID_HASH = "_id_hash";
  public static final String CONTENT_HASH = "_content_hash";
  /** The column of {@link #statuses}: {@link #DUPLICATE} or {@link #CONFLICT}. */
  public static final String STATUS = "_dedup";
  public static final String DUPLICATE = "duplicate";
  public static final String CONFLICT = "conflict";
  /** Up to this many first copies are broadcast to the silver scan; larger batches let Spark shuffle. */
  private static final long BROADCAST_LIMIT = 2_000_000;

  private Dedup() {}

  /** Adds the two hashes to parsed rows (a pure projection). */
  public static Dataset<Row> withHashes(Dataset<Row> parsed, PipelineConfig p) {
    List<Column> fields = new ArrayList<>();
    for (StructField f : StructType.fromDDL(p.schemaDdl()).fields()) {
      // Spark cannot hash maps; their JSON form is a faithful stand-in.
      fields.add(f.dataType() instanceof MapType ? to_json(col(f.name())) : col(f.name()));
    }
    return parsed
        .withColumn(ID_HASH, xxhash64(col(p.eventId()).cast("string")))
        .withColumn(CONTENT_HASH, xxhash64(fields.toArray(Column[]::new)));
  }

  /**
   * The rows of {@code candidates} that are not first copies, as ({@link RawColumns#ROW}, {@link #STATUS}).
   *
   * @param candidates valid records bound for silver, with the hashes and {@code event_date}
   * @param silver silver as it was before this batch (null when it does not exist yet)
   * @param dates the earliest and latest event date among the candidates
   * @param candidateCount how many candidates there are (decides the join strategy)
   */
  public static Dataset<Row> statuses(Dataset<Row> candidates, Dataset<Row> silver, PipelineConfig p,
      LocalDate[] dates, long candidateCount) {
    int horizon = p.dedup().horizonDays();
    String date = PipelineConfig.EVENT_DATE;
    WindowSpec bySourceOrder = Window.partitionBy(col(ID_HASH)).orderBy(col(RawColumns.SOURCE), col(RawColumns.PARTITION),
        col(RawColumns.OFFSET), col(RawColumns.FILE_BLOCK), col(RawColumns.ROW));
    Dataset<Row> keys = candidates.select(col(RawColumns.ROW), col(ID_HASH), col(CONTENT_HASH), col(date),
        col(RawColumns.SOURCE), col(RawColumns.PARTITION), col(RawColumns.OFFSET), col(RawColumns.FILE_BLOCK));
    Dataset<Row> ranked = keys
        .withColumn("_copy", row_number().over(bySourceOrder))
        .withColumn("_first_content", first(col(CONTENT_HASH)).over(bySourceOrder))
        .withColumn("_first_date", first(col(date)).over(bySourceOrder));
    // Later copies within the batch (within the horizon of the first copy's date).
    Dataset<Row> inBatch = ranked
        .where(col("_copy").gt(1).and(abs(datediff(col(date), col("_first_date"))).leq(horizon)))
        .select(col(RawColumns.ROW), outcome(col(CONTENT_HASH).equalTo(col("_first_content"))));
    if (silver == null) {
      return inBatch;
    }
    Dataset<Row> firsts = ranked.where(col("_copy").equalTo(1)).select(col(RawColumns.ROW), col(ID_HASH), col(CONTENT_HASH), col(date));
    Dataset<Row> index = silver
        .where(col(date).between(lit(java.sql.Date.valueOf(dates[0].minusDays(horizon))),
            lit(java.sql.Date.valueOf(dates[1].plusDays(horizon)))))
        .select(col(ID_HASH).as("_seen_id"), col(CONTENT_HASH).as("_seen_content"), col(date).as("_seen_date"));
    Dataset<Row> probe = candidateCount <= BROADCAST_LIMIT ? broadcast(firsts) : firsts;
    Dataset<Row> seen = index
        .join(probe, col("_seen_id").equalTo(col(ID_HASH)).and(abs(datediff(col("_seen_date"), col(date))).leq(horizon)))
        .groupBy(RawColumns.ROW)
        .agg(max(col("_seen_content").equalTo(col(CONTENT_HASH))).as("_same"))
        .select(col(RawColumns.ROW), outcome(col("_same")));
    return inBatch.unionByName(seen);
  }

  private static Column outcome(Column sameContent) {
    return when(sameContent, lit(DUPLICATE)).otherwise(lit(CONFLICT)).as(STATUS);
  }
}
