package io.tributary.analyze.profile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import io.tributary.analyze.TimeGrain;
import io.tributary.land.DeltaTables;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The stored profile states of a job: Delta tables {@code _state/JOB/profile_day} (always) and
 * {@code _state/JOB/profile_hour} (when hour windows are configured), with the columns of
 * {@link ProfileStates} plus {@code spec_hash STRING} (the profile settings the state was built with) and
 * {@code run_id STRING} (the run that wrote it). A run replaces the rows of the buckets it recomputed, so
 * re-running the same days never duplicates a state.
 */
final class ProfileStateStore {
  static final String DAY = "profile_day";
  static final String HOUR = "profile_hour";

  private final SparkSession spark;
  private final String dir;

  /** @param dir the job's state directory, {@code LakeLayout.state(job)} */
  ProfileStateStore(SparkSession spark, String dir) {
    this.spark = spark;
    this.dir = dir;
  }

  String path(String table) {
    return dir + "/" + table;
  }

  /**
   * Where an incremental run over {@code [from, to)} can start computing from the data: the last stored day
   * (it may have grown since), provided every stored day state in the range was built with the same settings
   * ({@code specHash}). Days before it are taken from the store.
   *
   * @return the last stored day in the range, or empty when everything must be computed from the data
   */
  Optional<Instant> resumePoint(Instant from, Instant to, String specHash, boolean hourly) {
    if (!DeltaTables.exists(spark, path(DAY)) || (hourly && !DeltaTables.exists(spark, path(HOUR)))) {
      return Optional.empty();
    }
    Row r = read(DAY, from, to)
        .agg(max("start"), count(when(col("spec_hash").isNull().or(col("spec_hash").notEqual(specHash)), lit(1))))
        .head();
    if (r.isNullAt(0) || r.getLong(1) > 0) {
      return Optional.empty();
    }
    return Optional.of(r.getTimestamp(0).toInstant());
  }

  /** Stored states with {@code from <= start < to}. */
  Dataset<Row> read(String table, Instant from, Instant to) {
    return spark.read().format("delta").load(path(table))
        .where(col("start").geq(TimeGrain.timestamp(from)).and(col("start").lt(TimeGrain.timestamp(to))));
  }

  /**
   * Stores the states of the buckets in {@code [from, to)}, replacing what was stored for them, or everything
   * when {@code all} is set (a full recomputation).
   */
  void replace(String table, Dataset<Row> states, Instant from, Instant to, boolean all, String specHash,
      String runId) {
    String path = path(table);
    var writer = states.withColumn("spec_hash", lit(specHash))
        .withColumn("run_id", lit(runId).cast("string"))
        .write().format("delta").mode("overwrite");
    if (all || !DeltaTables.exists(spark, path)) {
      writer.option("overwriteSchema", "true").save(path);
    } else {
      writer.option("replaceWhere", String.format("start >= TIMESTAMP '%s' AND start < TIMESTAMP '%s'",
          from, to)).save(path);
    }
  }
}
