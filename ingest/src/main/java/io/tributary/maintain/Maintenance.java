package io.tributary.maintain;

import io.delta.tables.DeltaTable;
import io.tributary.config.ConfigException;
import io.tributary.land.DeltaTables;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table maintenance that is safe while ingestion runs: compaction (optionally Z-ordered), VACUUM and a log
 * checkpoint. Compaction only rewrites data the table already holds, so Delta's optimistic concurrency lets
 * it commit beside streaming appends; VACUUM never goes below {@link #MIN_RETENTION_HOURS} unless the caller
 * explicitly allows it, because a shorter retention can delete files a running reader or writer still needs.
 */
public final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
  /** Delta's own safe default: seven days. */
  public static final double MIN_RETENTION_HOURS = 168;

  private final SparkSession spark;

  public Maintenance(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * @param zOrderBy columns to Z-order by (empty: plain bin-packing compaction)
   * @param retentionHours VACUUM retention; null skips VACUUM
   * @param allowShortRetention permit a retention below {@link #MIN_RETENTION_HOURS}
   */
  public Result run(String path, List<String> zOrderBy, Double retentionHours, boolean allowShortRetention) {
    if (retentionHours != null && retentionHours < MIN_RETENTION_HOURS && !allowShortRetention) {
      throw new ConfigException("VACUUM retention " + retentionHours + " h is below the safe minimum of "
          + MIN_RETENTION_HOURS + " h: readers and running streams may still need those files; pass "
          + "--allow-short-retention if you are sure nothing reads the tables");
    }
    if (!DeltaTables.exists(spark, path)) {
      return new Result(path, 0, 0, 0, false);
    }
    DeltaTable table = DeltaTable.forPath(spark, path);
    spark.sparkContext().setJobDescription("maintain " + path + ": optimize");
    Row metrics = (zOrderBy.isEmpty()
        ? table.optimize().executeCompaction()
        : table.optimize().executeZOrderBy(zOrderBy.toArray(String[]::new))).select("metrics.numFilesAdded",
        "metrics.numFilesRemoved").first();
    long added = metrics.getLong(0);
    long removed = metrics.getLong(1);
    long vacuumed = 0;
    if (retentionHours != null) {
      spark.sparkContext().setJobDescription("maintain " + path + ": vacuum");
      String key = "spark.databricks.delta.retentionDurationCheck.enabled";
      String previous = spark.conf().get(key, "true");
      try {
        if (allowShortRetention) {
          spark.conf().set(key, "false");
        }
        vacuumed = table.vacuum(retentionHours).count();
      } finally {
        spark.conf().set(key, previous);
      }
    }
    spark.sparkContext().setJobDescription("maintain " + path + ": checkpoint");
    DeltaLog.forTable(spark, path).checkpoint();
    spark.sparkContext().setJobDescription(null);
    Result r = new Result(path, added, removed, vacuumed, true);
    LOG.info("maintained {}: compacted {} files into {}, vacuumed {}, log checkpointed", path, removed, added, vacuumed);
    return r;
  }

  /** What maintenance did to one table. */
  public record Result(String path, long filesAdded, long filesRemoved, long filesVacuumed, boolean existed) {}
}
