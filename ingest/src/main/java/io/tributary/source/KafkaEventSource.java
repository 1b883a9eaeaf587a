package io.tributary.source;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import io.tributary.config.KafkaSourceConfig;
import io.tributary.land.DeltaCommits;
import io.tributary.land.PipelineTable;
import io.tributary.land.TableProgress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Kafka topic list or pattern; {@code failOnDataLoss} stays on so lost offsets are never silent. A new
 * checkpoint starts, per partition, from the lowest position any table holds, so no table misses a record.
 */
public final class KafkaEventSource implements EventSource {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSource.class);
  private final KafkaSourceConfig config;
  private KafkaOffsets offsets; // opened lazily: only continuous runs ask for the lag

  public KafkaEventSource(KafkaSourceConfig config) {
    this.config = config;
  }

  @Override
  public String format() {
    return "json";
  }

  @Override
  public void check(SparkSession spark) {
    // The brokers are asked when the query starts; Spark's own error names the bootstrap servers.
  }

  @Override
  public Dataset<Row> open(SparkSession spark, Map<PipelineTable, TableProgress> landed, boolean freshCheckpoint,
      Map<PipelineTable, String> tablePaths) {
    String starting = config.startingOffsets();
    if (freshCheckpoint && landed.values().stream().anyMatch(p -> !p.kafka().isEmpty())) {
      starting = KafkaOffsets.toStartingOffsetsJson(lowestHeld(landed));
      LOG.info("new checkpoint: resuming from the offsets the lake's tables hold: {}", starting);
    }
    DataStreamReader reader = spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", config.bootstrapServers())
        .option("startingOffsets", starting)
        .option("failOnDataLoss", "true")
        .options(config.options());
    reader = config.topicPattern() != null
        ? reader.option("subscribePattern", config.topicPattern())
        : reader.option("subscribe", String.join(",", config.topics()));
    if (config.maxOffsetsPerTrigger() != null) {
      reader = reader.option("maxOffsetsPerTrigger", config.maxOffsetsPerTrigger());
    }
    return reader.load().select(
        col("value").cast("string").as(RawColumns.PAYLOAD),
        col("topic").as(RawColumns.SOURCE),
        col("partition").as(RawColumns.PARTITION),
        col("offset").as(RawColumns.OFFSET),
        col("timestamp").as(RawColumns.SOURCE_TIME),
        lit(null).cast("long").as(RawColumns.FILE_BLOCK));
  }

  /** Per partition, the lowest position any table holds; a table that holds nothing of it means earliest (-2). */
  private Map<String, Long> lowestHeld(Map<PipelineTable, TableProgress> landed) {
    Map<String, Long> start = new HashMap<>();
    for (String tp : offsets().latest().keySet()) {
      long min = Long.MAX_VALUE;
      for (TableProgress p : landed.values()) {
        min = Math.min(min, p.kafka().getOrDefault(tp, -2L));
      }
      start.put(tp, min);
    }
    return start;
  }

  @Override
  public Dataset<Row> records(Dataset<Row> batch) {
    return batch.withColumn(RawColumns.ROW, monotonically_increasing_id()).withColumn(RawColumns.RECORD, lit(true));
  }

  @Override
  public Column notYetLanded(PipelineTable table, TableProgress progress) {
    if (progress.kafka().isEmpty()) {
      return lit(true);
    }
    List<Column> entries = new ArrayList<>();
    progress.kafka().forEach((tp, off) -> {
      entries.add(lit(tp));
      entries.add(lit(off));
    });
    Column positions = org.apache.spark.sql.functions.map(entries.toArray(Column[]::new));
    Column key = concat(col(RawColumns.SOURCE), lit(":"), col(RawColumns.PARTITION).cast("string"));
    return col(RawColumns.OFFSET).geq(coalesce(element_at(positions, key), lit(-1L)));
  }

  @Override
  public Column offset(List<SplitStats> splits) {
    return col(RawColumns.OFFSET);
  }

  @Override
  public Map<String, Long> positionsAfter(List<SplitStats> splits) {
    Map<String, Long> end = new HashMap<>();
    for (SplitStats s : splits) {
      end.merge(s.source() + ":" + s.partition(), s.maxOffset() + 1, Math::max);
    }
    return end;
  }

  @Override
  public Map<String, Long> landedPositions(SparkSession spark, String tablePath) {
    return DeltaCommits.lastMarked(spark, tablePath).map(c -> c.marker().kafka()).orElse(Map.of());
  }

  @Override
  public Long lag(TableProgress silver) {
    long lag = 0;
    for (Map.Entry<String, Long> e : offsets().latest().entrySet()) {
      lag += Math.max(0, e.getValue() - silver.kafka().getOrDefault(e.getKey(), 0L));
    }
    return lag;
  }

  private synchronized KafkaOffsets offsets() {
    if (offsets == null) {
      offsets = new KafkaOffsets(config);
      Runtime.getRuntime().addShutdownHook(new Thread(offsets::close, "close-kafka-admin"));
    }
    return offsets;
  }

  @Override
  public String describe() {
    return "kafka " + (config.topicPattern() != null ? config.topicPattern() : config.topics());
  }
}
