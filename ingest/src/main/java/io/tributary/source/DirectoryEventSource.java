package io.tributary.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.tributary.config.DirectorySourceConfig;
import java.util.Optional;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads files dropped into a landing directory, line by line as text, so a malformed line becomes a
 * quarantined record instead of failing the file. Parsing happens later, per line. Line numbers are
 * assigned per micro-batch by {@link LineNumbers}, because streaming queries cannot number rows.
 */
public final class DirectoryEventSource implements EventSource {
  private final DirectorySourceConfig config;

  public DirectoryEventSource(DirectorySourceConfig config) {
    this.config = config;
  }

  @Override
  public Dataset<Row> open(SparkSession spark, Optional<String> ignored) {
    DataStreamReader reader = spark.readStream().format("text")
        .option("maxFilesPerTrigger", config.maxFilesPerTrigger())
        .option("cleanSource", config.cleanSource());
    if (config.archiveDir() != null) {
      reader = reader.option("sourceArchiveDir", config.archiveDir());
    }
    return reader.load(config.path()).select(
        col("value").as(RawColumns.PAYLOAD),
        col("_metadata.file_path").as(RawColumns.SOURCE),
        lit(null).cast("int").as(RawColumns.PARTITION),
        lit(null).cast("long").as(RawColumns.OFFSET),
        col("_metadata.file_modification_time").as(RawColumns.SOURCE_TIME),
        col("_metadata.file_block_start").as(RawColumns.FILE_BLOCK));
  }
}
