package io.tributary.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tributary.land.DeltaTables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;

/**
 * Size facts of one Delta table from its current snapshot, never from its data: files and bytes from the
 * snapshot, rows as the sum of {@code numRecords} in the add-file statistics Delta writes with every file.
 *
 * @param version the current Delta version, -1 when the table does not exist
 * @param filesWithoutStats files whose statistics lack numRecords (written by a tool that collects none);
 *     {@code rows} then counts only the other files
 */
public record TableStats(String path, long version, long rows, long files, long bytes, long filesWithoutStats) {
  public static TableStats of(SparkSession spark, String path) {
    if (!DeltaTables.exists(spark, path)) {
      return new TableStats(path, -1, 0, 0, 0, 0);
    }
    Snapshot snapshot = DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
    Row stats = snapshot.withStats()
        .agg(sum(col("stats.numRecords")), count(when(col("stats.numRecords").isNull(), lit(1))))
        .first();
    long rows = stats.isNullAt(0) ? 0 : stats.getLong(0);
    return new TableStats(path, snapshot.version(), rows, snapshot.numOfFiles(), snapshot.sizeInBytes(),
        stats.getLong(1));
  }

  public boolean exists() {
    return version >= 0;
  }

  public long averageFileBytes() {
    return files == 0 ? 0 : bytes / files;
  }

  /** The row count as status prints it, saying when some files carry no count. */
  public String rowsText() {
    return filesWithoutStats == 0 ? String.format("%,d rows", rows)
        : String.format("at least %,d rows (%d files without row statistics)", rows, filesWithoutStats);
  }
}
