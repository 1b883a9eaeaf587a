package io.tributary.land;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import io.tributary.config.PipelineConfig;
import io.tributary.layout.LakeLayout;
import io.tributary.parse.EventParser;
import io.tributary.source.RawColumns;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The three tables a pipeline lands into: where each lives (through {@link LakeLayout}), how it is
 * partitioned, and how its rows are built from the batch's routed rows. Nothing else names these tables.
 */
public enum PipelineTable {
  /** Every record as received, with its source coordinates; append-only, by ingest date. */
  BRONZE("bronze") {
    @Override
    public Dataset<Row> rows(Dataset<Row> routed, PipelineConfig p, Column offset, long batchId, Timestamp ingestTime) {
      return routed.select(
          col(RawColumns.PAYLOAD).as("payload"),
          col(RawColumns.SOURCE).as("source"),
          col(RawColumns.PARTITION).as("source_partition"),
          offset.as("source_offset"),
          col(RawColumns.SOURCE_TIME).as("source_time"),
          lit(ingestTime).as("ingest_time"),
          to_date(lit(ingestTime)).as("ingest_date"),
          lit(batchId).as("batch_id"));
    }
  },
  /**
   * Parsed, valid, de-duplicated events: the schema's fields, {@code event_date}, the lineage columns and the
   * two hashes de-duplication compares ({@link Dedup#ID_HASH}, {@link Dedup#CONTENT_HASH}), and the typing
   * warnings ({@link EventParser#WARNINGS}) when the pipeline has lenient fields or rules that warn.
   */
  SILVER("silver") {
    @Override
    public Dataset<Row> rows(Dataset<Row> routed, PipelineConfig p, Column offset, long batchId, Timestamp ingestTime) {
      List<Column> cols = new ArrayList<>();
      for (String f : StructType.fromDDL(p.schemaDdl()).fieldNames()) {
        cols.add(col(f));
      }
      cols.add(col(PipelineConfig.EVENT_DATE));
      cols.add(col(RawColumns.SOURCE));
      cols.add(col(RawColumns.PARTITION));
      cols.add(offset.as(RawColumns.OFFSET));
      cols.add(lit(ingestTime).as("_ingest_time"));
      cols.add(lit(batchId).as("_batch_id"));
      cols.add(col(Dedup.ID_HASH));
      cols.add(col(Dedup.CONTENT_HASH));
      if (p.hasWarnings()) {
        cols.add(col(EventParser.WARNINGS));
      }
      return routed.select(cols.toArray(Column[]::new));
    }

    @Override
    public List<String> partitionBy(PipelineConfig p) {
      return p.partitionBy();
    }
  },
  /** Records that failed parsing, a rule, or conflict with an earlier copy of their event id, with the reasons. */
  QUARANTINE("quarantine") {
    @Override
    public Dataset<Row> rows(Dataset<Row> routed, PipelineConfig p, Column offset, long batchId, Timestamp ingestTime) {
      return routed.select(
          col(RawColumns.PAYLOAD).as("payload"),
          col(RawColumns.SOURCE).as("source"),
          col(RawColumns.PARTITION).as("source_partition"),
          offset.as("source_offset"),
          col(EventParser.ERRORS).as("errors"),
          col(p.eventId()).cast("string").as("event_id"),
          lit(ingestTime).as("ingest_time"),
          to_date(lit(ingestTime)).as("ingest_date"),
          lit(batchId).as("batch_id"));
    }
  };

  private final String kind;

  PipelineTable(String kind) {
    this.kind = kind;
  }

  /** The table kind as used in paths and in a pipeline's {@code tables:} overrides. */
  public String kind() {
    return kind;
  }

  public String path(LakeLayout layout, PipelineConfig p) {
    return switch (this) {
      case BRONZE -> layout.bronze(p);
      case SILVER -> layout.silver(p);
      case QUARANTINE -> layout.quarantine(p);
    };
  }

  public List<String> partitionBy(PipelineConfig p) {
    return List.of("ingest_date");
  }

  /** The table's rows for a batch; {@code offset} is the source offset or line number of each row. */
  public abstract Dataset<Row> rows(Dataset<Row> routed, PipelineConfig p, Column offset, long batchId,
      Timestamp ingestTime);
}
