package io.tributary.gold;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How analysis results go into a gold table: every row gets the run's metadata, and a run replaces, in one
 * Delta commit per table, the rows of its job whose window starts in the recomputed range together with the
 * job's {@code all} rows. So re-running a job for the same window never doubles its numbers, a table holds
 * one current {@code all} row set per job, and readers of a table see either the old or the new rows, never
 * a mix. The runner ({@code io.tributary.analyze.RunCommit}) stages and publishes the rows.
 */
public final class GoldWriter {
  /** Gold tables are partitioned by job: a run rewrites only its own job's files. */
  public static final List<String> PARTITION_BY = List.of("job");

  private GoldWriter() {}

  /** {@code rows} with {@code run_id}, {@code run_time}, {@code code_version} and {@code input_versions}. */
  public static Dataset<Row> withRunColumns(Dataset<Row> rows, RunInfo run) {
    return rows
        .withColumn("run_id", lit(run.runId()))
        .withColumn("run_time", lit(Timestamp.from(run.runTime())))
        .withColumn("code_version", lit(run.codeVersion()))
        .withColumn("input_versions", inputVersions(run));
  }

  /**
   * The rows a run over {@code [from, to)} replaces: its job's windows starting in the range, and its job's
   * {@code all} window (whatever range an earlier run gave it).
   */
  public static String replaced(String job, Instant from, Instant to) {
    return String.format("job = '%s' AND (window = 'all' OR (window_start >= TIMESTAMP '%s' "
        + "AND window_start < TIMESTAMP '%s'))", job.replace("'", ""), from, to);
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
