package io.tributary.land;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Optional;
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
   * which is what makes a replayed micro-batch land once.
   */
  public static void append(Dataset<Row> rows, String path, List<String> partitionBy, String appId, long version,
      CommitMarker marker) {
    rows.write().format("delta").mode("append")
        .partitionBy(partitionBy.toArray(String[]::new))
        .option("txnAppId", appId)
        .option("txnVersion", version)
        .option("userMetadata", marker.toJson())
        .save(path);
  }

  /** The newest commit Tributary wrote to a table, if any. */
  public static Optional<CommitMarker> lastMarker(SparkSession spark, String path) {
    if (!exists(spark, path)) {
      return Optional.empty();
    }
    List<Row> rows = DeltaTable.forPath(spark, path).history(1000)
        .select("userMetadata").where("userMetadata IS NOT NULL").orderBy(org.apache.spark.sql.functions.col("version").desc())
        .collectAsList();
    for (Row r : rows) {
      Optional<CommitMarker> m = CommitMarker.fromJson(r.getString(0));
      if (m.isPresent()) {
        return m;
      }
    }
    return Optional.empty();
  }

  /**
   * Rows the commit carrying {@code marker} added (Delta's {@code numOutputRows}); 0 when no such commit exists,
   * e.g. when Delta skipped the write as a repeat. Looks at the last few commits, since maintenance may commit
   * in between.
   */
  public static long committedRows(SparkSession spark, String path, CommitMarker marker) {
    for (Row r : DeltaTable.forPath(spark, path).history(10)
        .selectExpr("userMetadata", "operationMetrics['numOutputRows']").collectAsList()) {
      Optional<CommitMarker> m = CommitMarker.fromJson(r.getString(0));
      if (m.isPresent() && m.get().checkpointId().equals(marker.checkpointId()) && m.get().batchId() == marker.batchId()) {
        return r.isNullAt(1) ? 0 : Long.parseLong(r.getString(1));
      }
    }
    return 0;
  }
}
