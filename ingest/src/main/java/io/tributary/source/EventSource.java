package io.tributary.source;

import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Opens a pipeline's input as a streaming Dataset with the {@link RawColumns}. */
public interface EventSource {
  /**
   * @param kafkaStartingOffsets for Kafka, the JSON starting offsets recovered from the lake when the
   *     checkpoint is new; ignored by sources that do not take it
   */
  Dataset<Row> open(SparkSession spark, Optional<String> kafkaStartingOffsets);
}
