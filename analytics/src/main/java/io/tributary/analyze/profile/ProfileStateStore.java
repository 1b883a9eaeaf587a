package io.tributary.analyze.profile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import io.tributary.analyze.StateUpdate;
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
 * re-running the same days never duplicates a state. This class reads the store and describes updates
 * ({@link StateUpdate}); the runner applies them when it commits the run.
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
   * Whether the stored states can be built on: the tables exist and every stored state was built with the same
   * settings ({@code specHash}). Otherwise the next run recomputes all states from the data.
   */
  boolean usable(String specHash, boolean hourly) {
    if (!DeltaTables.exists(spark, path(DAY)) || (hourly && !DeltaTables.exists(spark, path(HOUR)))) {
      return false;
    }
    Row r = spark.read().format("delta").load(path(DAY))
        .agg(count(when(col("spec_hash").isNull().or(col("spec_hash").notEqual(specHash)), lit(1))))
        .head();
    return r.getLong(0) == 0;
  }

  /**
   * Where an incremental run over {@code [from, to)} starts computing from the data: the last stored day in the
   * range (it may have grown since); days before it are taken from the store.
   *
   * @return the last stored day in the range, or empty when there is none
   */
  Optional<Instant> resumePoint(Instant from, Instant to) {
    Row r = read(DAY, from, to).agg(max("start")).head();
    return r.isNullAt(0) ? Optional.empty() : Optional.of(r.getTimestamp(0).toInstant());
  }

  /** Stored states with {@code from <= start < to} ({@code from} null: every earlier one), state columns only. */
  Dataset<Row> read(String table, Instant from, Instant to) {
    Dataset<Row> rows = spark.read().format("delta").load(path(table))
        .where(col("start").lt(TimeGrain.timestamp(to)));
    if (from != null) {
      rows = rows.where(col("start").geq(TimeGrain.timestamp(from)));
    }
    return rows.drop("spec_hash", "run_id");
  }

  /**
   * The update that stores the states of the buckets in {@code [from, to)}, replacing what was stored for
   * them, or everything when {@code all} is set (a recomputation from scratch). Applied by the runner.
   */
  StateUpdate replace(String table, Dataset<Row> states, Instant from, Instant to, boolean all, String specHash,
      String runId) {
    Dataset<Row> rows = states.withColumn("spec_hash", lit(specHash)).withColumn("run_id", lit(runId).cast("string"));
    return new StateUpdate(table, rows, from, to, all);
  }
}
