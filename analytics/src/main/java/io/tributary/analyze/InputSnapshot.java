package io.tributary.analyze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.delta.tables.DeltaTable;
import io.tributary.config.ConfigException;
import io.tributary.land.DeltaTables;
import io.tributary.layout.LakeLayout;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A job's input table read at one pinned Delta version, so everything a run computes describes the same
 * snapshot and can be reproduced with {@code --as-of-version}.
 *
 * @param table the table relative to the lake root, e.g. {@code silver/clickstream} (the key of
 *     {@link io.tributary.gold.RunInfo#inputVersions()})
 * @param path the table's full path
 * @param version the Delta version read
 * @param rows the table's rows at that version
 */
public record InputSnapshot(String table, String path, long version, Dataset<Row> rows) {

  /** Opens the job's input at the latest version, or the one {@code options} pins. */
  public static InputSnapshot open(SparkSession spark, LakeLayout layout, JobConfig job, AnalyzeOptions options) {
    String table = trimSlashes(job.input());
    String path = layout.root() + "/" + table;
    if (!DeltaTables.exists(spark, path)) {
      String pipeline = table.substring(table.lastIndexOf('/') + 1);
      throw new ConfigException("input table " + table + " does not exist under lake " + layout.root()
          + ": run `tributary ingest --pipeline " + pipeline + "` (or `tributary demo`) first");
    }
    DeltaTable delta = DeltaTable.forPath(spark, path);
    long latest = delta.history(1).head().getAs("version");
    long version = latest;
    if (options.asOfVersion() != null) {
      version = options.asOfVersion();
      if (version > latest) {
        throw new ConfigException("--as-of-version " + version + ": " + table + " has versions up to " + latest);
      }
    } else if (options.asOfTimestamp() != null) {
      version = versionAt(delta, table, options.asOfInstant());
    }
    Dataset<Row> rows;
    try {
      rows = spark.read().format("delta").option("versionAsOf", version).load(path);
    } catch (RuntimeException e) {
      throw new ConfigException("cannot read version " + version + " of " + table + " (its history may have been "
          + "cleaned up): " + e.getMessage(), e);
    }
    return new InputSnapshot(table, path, version, rows);
  }

  /** Earliest and latest value of {@code timeColumn}, or null when the table is empty. */
  public Instant[] timeSpan(String timeColumn) {
    Row r = rows.agg(min(col(timeColumn)), max(col(timeColumn))).head();
    return r.isNullAt(0) ? null : new Instant[] {r.getTimestamp(0).toInstant(), r.getTimestamp(1).toInstant()};
  }

  private static long versionAt(DeltaTable delta, String table, Instant t) {
    Row r = delta.history().where(col("timestamp").leq(Timestamp.from(t))).agg(max("version")).head();
    if (r.isNullAt(0)) {
      throw new ConfigException("--as-of-timestamp " + t + " is before the oldest version of " + table
          + " still in its history");
    }
    return r.getLong(0);
  }

  static String trimSlashes(String s) {
    String out = s.trim();
    while (out.startsWith("/")) {
      out = out.substring(1);
    }
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }
}
