package io.tributary.land;

import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Small Delta helpers shared by the lander, status and maintenance. */
public final class DeltaTables {
  private DeltaTables() {}

  public static boolean exists(SparkSession spark, String path) {
    return DeltaTable.isDeltaTable(spark, path);
  }

  /**
   * Appends idempotently: Delta skips the write when this (appId, version) already committed to the table,
   * which is what makes a replayed micro-batch land once. New columns (a pipeline made lenient gains
   * {@code _warnings}, ops gained {@code warnings}) are added to the table's schema; existing rows read them as null.
   */
  public static void append(Dataset<Row> rows, String path, List<String> partitionBy, String appId, long version,
      CommitMarker marker) {
    rows.write().format("delta").mode("append")
        .partitionBy(partitionBy.toArray(String[]::new))
        .option("txnAppId", appId)
        .option("txnVersion", version)
        .option("mergeSchema", "true")
        .option("userMetadata", marker.toJson())
        .save(path);
  }
}
