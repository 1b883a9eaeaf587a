package io.tributary.gold;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;

import io.tributary.land.DeltaTables;
import io.tributary.layout.LakeLayout;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes analysis results to a gold table, idempotently: the rows of the same job whose window starts in
 * the recomputed range are replaced in one Delta commit, so re-running a job for the same window never
 * doubles its numbers, and readers see either the old or the new results, never a mix.
 */
public final class GoldWriter {
  private final SparkSession spark;
  private final LakeLayout layout;

  public GoldWriter(SparkSession spark, LakeLayout layout) {
    this.spark = spark;
    this.layout = layout;
  }

  /**
   * @param rows results with at least {@code job STRING} and {@code window_start TIMESTAMP}
   * @param from inclusive start of the replaced range of window starts
   * @param to exclusive end of the replaced range
   * @return number of rows written
   */
  public long write(String table, Dataset<Row> rows, String job, Instant from, Instant to, RunInfo run) {
    Dataset<Row> out = rows
        .withColumn("run_id", lit(run.runId()))
        .withColumn("run_time", lit(Timestamp.from(run.runTime())))
        .withColumn("code_version", lit(run.codeVersion()))
        .withColumn("input_versions", inputVersions(run))
        .persist();
    try {
      long n = out.count();
      String path = layout.gold(table);
      String condition = String.format("job = '%s' AND window_start >= TIMESTAMP '%s' AND window_start < TIMESTAMP '%s'",
          job.replace("'", ""), from, to);
      var writer = out.write().format("delta").partitionBy("job");
      if (DeltaTables.exists(spark, path)) {
        writer.mode("overwrite").option("replaceWhere", condition).save(path);
      } else {
        writer.mode("append").save(path);
      }
      return n;
    } finally {
      out.unpersist();
    }
  }

  private static Column inputVersions(RunInfo run) {
    List<Column> kv = new ArrayList<>();
    new TreeMap<>(run.inputVersions()).forEach((table, version) -> {
      kv.add(lit(table));
      kv.add(lit(version));
    });
    return kv.isEmpty() ? lit(null).cast("map<string,bigint>") : map(kv.toArray(Column[]::new)).cast("map<string,bigint>");
  }
}
