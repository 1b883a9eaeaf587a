package io.tributary.source;

import static org.apache.spark.sql.functions.col;

import io.tributary.config.KafkaSourceConfig;
import java.util.Optional;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads a Kafka topic list or pattern; {@code failOnDataLoss} stays on so lost offsets are never silent. */
public final class KafkaEventSource implements EventSource {
  private final KafkaSourceConfig config;

  public KafkaEventSource(KafkaSourceConfig config) {
    this.config = config;
  }

  @Override
  public Dataset<Row> open(SparkSession spark, Optional<String> startingOffsets) {
    DataStreamReader reader = spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", config.bootstrapServers())
        .option("startingOffsets", startingOffsets.orElse(config.startingOffsets()))
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
        org.apache.spark.sql.functions.lit(null).cast("long").as(RawColumns.FILE_BLOCK));
  }
}
