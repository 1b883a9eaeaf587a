package io.tributary.ops;

import io.delta.tables.DeltaTable;
import io.tributary.land.DeltaTables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Size facts of one Delta table from its metadata (no data scan): rows from file statistics, files, bytes.
 *
 * @param version the current Delta version, -1 when the table does not exist
 */
public record TableStats(String path, long version, long rows, long files, long bytes) {
  public static TableStats of(SparkSession spark, String path) {
    if (!DeltaTables.exists(spark, path)) {
      return new TableStats(path, -1, 0, 0, 0);
    }
    DeltaTable table = DeltaTable.forPath(spark, path);
    Row detail = table.detail().select("numFiles", "sizeInBytes").first();
    long version = table.history(1).select("version").first().getLong(0);
    // count() on a Delta table is answered from file statistics, without reading data.
    long rows = table.toDF().count();
    return new TableStats(path, version, rows, detail.getLong(0), detail.getLong(1));
  }

  public boolean exists() {
    return version >= 0;
  }

  public long averageFileBytes() {
    return files == 0 ? 0 : bytes / files;
  }
}
