package io.tributary.maintain;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.tributary.config.ConfigException;
import io.tributary.land.DeltaTables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>The numbers reported are Delta's own: the operation metrics of the OPTIMIZE and VACUUM END commits this
 * run made ({@code numRemovedFiles}, {@code numAddedFiles}, {@code numDeletedFiles}), not values derived from
 * the DataFrames the APIs return (VACUUM's is empty).
 */
public final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
  /** Delta's own safe default: seven days. */
  public static final double MIN_RETENTION_HOURS = 168;

  /**
   * Session settings held only while VACUUM runs. Delta 4 ignores a RETAIN value other than 0 (it warns and
   * uses the table's delta.deletedFileRetentionDuration) unless retentionWindowIgnore is off; setting the table
   * property instead would be a metadata commit that conflicts with running streams. Logging makes VACUUM
   * record VACUUM START/END commits whose metrics say what it deleted; the lake's file systems (local, HDFS)
   * write the log atomically, which is what that setting asks for.
   */
  static final String RETENTION_WINDOW_IGNORE = "spark.databricks.delta.vacuum.retentionWindowIgnore.enabled";
  static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
  static final String VACUUM_LOGGING = "spark.databricks.delta.vacuum.logging.enabled";

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
    checkRetention(retentionHours, allowShortRetention);
    if (!DeltaTables.exists(spark, path)) {
      return Result.missing(path);
    }
    DeltaTable table = DeltaTable.forPath(spark, path);
    long before = version(path);
    spark.sparkContext().setJobDescription("maintain " + path + ": optimize");
    try {
      if (zOrderBy.isEmpty()) {
        table.optimize().executeCompaction();
      } else {
        table.optimize().executeZOrderBy(zOrderBy.toArray(String[]::new));
      }
      if (retentionHours != null) {
        spark.sparkContext().setJobDescription("maintain " + path + ": vacuum");
        withVacuumSettings(allowShortRetention, true, () -> spark.sql(vacuumSql(path, retentionHours, false)).count());
      }
      Map<String, Long> done = committedMetrics(path, before);
      spark.sparkContext().setJobDescription("maintain " + path + ": checkpoint");
      DeltaLog.forTable(spark, path).checkpoint();
      Result r = new Result(path, done.get("numAddedFiles"), done.get("numRemovedFiles"), done.get("numDeletedFiles"),
          true);
      LOG.info("maintained {}: compacted {} files into {}, vacuumed {}, log checkpointed", path, r.filesRemoved(),
          r.filesAdded(), r.filesVacuumed());
      return r;
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  /**
   * What {@link #run} would do, changing nothing: the files OPTIMIZE would consider (see {@link CompactionPlan})
   * and the files VACUUM DRY RUN lists for the same retention.
   */
  public DryRun dryRun(String path, List<String> zOrderBy, Double retentionHours, boolean allowShortRetention) {
    checkRetention(retentionHours, allowShortRetention);
    if (!DeltaTables.exists(spark, path)) {
      return new DryRun(path, false, CompactionPlan.NONE, List.of());
    }
    CompactionPlan plan = CompactionPlan.of(spark, path, !zOrderBy.isEmpty());
    List<String> files = retentionHours == null ? List.of() : withVacuumSettings(allowShortRetention, false,
        () -> spark.sql(vacuumSql(path, retentionHours, true)).orderBy("path").as(
            org.apache.spark.sql.Encoders.STRING()).collectAsList());
    return new DryRun(path, true, plan, files);
  }

  private static void checkRetention(Double retentionHours, boolean allowShortRetention) {
    if (retentionHours != null && retentionHours < MIN_RETENTION_HOURS && !allowShortRetention) {
      throw new ConfigException("VACUUM retention " + retentionHours + " h is below the safe minimum of "
          + MIN_RETENTION_HOURS + " h: readers and running streams may still need those files; pass "
          + "--allow-short-retention if you are sure nothing reads the tables");
    }
    if (retentionHours != null && retentionHours < 0) {
      throw new ConfigException("--retention-hours must not be negative, not " + retentionHours);
    }
  }

  private static String vacuumSql(String path, double hours, boolean dryRun) {
    return "VACUUM delta.`" + path.replace("`", "``") + "` RETAIN " + hours + " HOURS" + (dryRun ? " DRY RUN" : "");
  }

  /** Runs {@code body} with the VACUUM settings above, restoring the session's own values afterwards. */
  private <T> T withVacuumSettings(boolean allowShortRetention, boolean log, java.util.function.Supplier<T> body) {
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put(RETENTION_WINDOW_IGNORE, "false");
    if (allowShortRetention) {
      wanted.put(RETENTION_CHECK, "false");
    }
    if (log) {
      wanted.put(VACUUM_LOGGING, "true");
    }
    Map<String, String> previous = new LinkedHashMap<>();
    wanted.forEach((k, v) -> {
      previous.put(k, spark.conf().getAll().get(k).getOrElse(() -> null)); // only values set explicitly
      spark.conf().set(k, v);
    });
    try {
      return body.get();
    } finally {
      previous.forEach((k, v) -> {
        if (v == null) {
          spark.conf().unset(k);
        } else {
          spark.conf().set(k, v);
        }
      });
    }
  }

  private long version(String path) {
    return DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0);
  }

  /**
   * Sums the metrics of the maintenance commits made after {@code before}: OPTIMIZE commits that were not
   * Delta's auto compaction, and VACUUM END. Streaming appends that committed meanwhile are not counted.
   */
  private Map<String, Long> committedMetrics(String path, long before) {
    Map<String, Long> sums = new LinkedHashMap<>(Map.of("numAddedFiles", 0L, "numRemovedFiles", 0L,
        "numDeletedFiles", 0L));
    int made = (int) (version(path) - before);
    List<Row> commits = made <= 0 ? List.of() : DeltaTable.forPath(spark, path).history(made)
        .where(col("version").gt(before))
        .where("(operation = 'OPTIMIZE' AND coalesce(operationParameters['auto'], 'false') = 'false') "
            + "OR operation = 'VACUUM END'")
        .select("operationMetrics").collectAsList();
    for (Row r : commits) {
      Map<String, String> m = r.getJavaMap(0);
      for (String key : sums.keySet()) {
        if (m != null && m.get(key) != null) {
          sums.merge(key, Long.parseLong(m.get(key)), Long::sum);
        }
      }
    }
    return sums;
  }

  /** What maintenance did to one table, from Delta's commit metrics. */
  public record Result(String path, long filesAdded, long filesRemoved, long filesVacuumed, boolean existed) {
    static Result missing(String path) {
      return new Result(path, 0, 0, 0, false);
    }
  }

  /**
   * What maintenance would do to one table.
   *
   * @param vacuumFiles the files VACUUM would delete, as VACUUM DRY RUN lists them
   */
  public record DryRun(String path, boolean existed, CompactionPlan compaction, List<String> vacuumFiles) {
    public DryRun {
      vacuumFiles = List.copyOf(vacuumFiles);
    }
  }
}
