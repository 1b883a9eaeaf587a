package io.tributary.source;

import io.tributary.config.PipelineConfig;
import io.tributary.land.PipelineTable;
import io.tributary.land.TableProgress;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Everything that depends on where a pipeline's records come from: opening the stream (resuming from what the
 * lake's tables hold when the checkpoint is new), turning a micro-batch into numbered records, the positions a
 * batch reached, which rows a table already landed, and how far behind the source the pipeline is. The lander
 * never asks which kind of source it holds.
 */
public interface EventSource {
  static EventSource of(PipelineConfig p) {
    return p.source().isKafkaSource() ? new KafkaEventSource(p.source().kafka()) : new DirectoryEventSource(p);
  }

  /** The payload format: {@code json} or {@code csv}. */
  String format();

  /** Fails with a message saying what to do when the source cannot be used (e.g. a missing directory). */
  void check(SparkSession spark);

  /**
   * Opens the stream with the {@link RawColumns} {@code PAYLOAD, SOURCE, PARTITION, OFFSET, SOURCE_TIME,
   * FILE_BLOCK}.
   *
   * @param landed what each table holds, read from the lake
   * @param freshCheckpoint true when the checkpoint holds no progress: the source then resumes from
   *     {@code landed} rather than from its configured start
   * @param tablePaths where each table lives, for sources that read what a table already landed
   */
  Dataset<Row> open(SparkSession spark, Map<PipelineTable, TableProgress> landed, boolean freshCheckpoint,
      Map<PipelineTable, String> tablePaths);

  /** The micro-batch with {@link RawColumns#ROW} and {@link RawColumns#RECORD} (and any source-specific columns). */
  Dataset<Row> records(Dataset<Row> batch);

  /** True for rows of the batch that {@code table} does not hold yet. */
  Column notYetLanded(PipelineTable table, TableProgress progress);

  /** The source offset of each row (Kafka offset, or 1-based line number in its file), given the batch's splits. */
  Column offset(List<SplitStats> splits);

  /** Source positions after the batch (Kafka: next offset per "topic:partition"); empty for files. */
  Map<String, Long> positionsAfter(List<SplitStats> splits);

  /**
   * The source positions a table recorded with its newest commit (Kafka: next offset per "topic:partition"),
   * which a fresh checkpoint resumes from; empty for sources that find what a table holds otherwise (files).
   */
  Map<String, Long> landedPositions(SparkSession spark, String tablePath);

  /** Records the source holds beyond what silver holds (Kafka), or null where that is not known. */
  Long lag(TableProgress silver);

  /** For log lines: what is read. */
  String describe();
}
