package io.tributary.analyze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.tributary.land.DeltaTables;
import io.tributary.layout.LakeLayout;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The runs of a job, in the Delta table {@code _state/JOB/runs}: a run that starts publishing its results is
 * logged {@code publishing} with every table it is about to change and that table's version before, then
 * {@code committed} once all are published (or {@code rolled_back}). The next incremental run starts from the
 * last committed one's range; a run left {@code publishing} (the process was killed) is rolled back by the
 * next run of the job ({@link RunCommit#recover}). Rows without a status were written by older versions,
 * which logged only completed runs.
 */
final class RunLog {
  static final String PUBLISHING = "publishing";
  static final String COMMITTED = "committed";
  static final String ROLLED_BACK = "rolled_back";

  /** A table a run changes: its path, its Delta version before (-1: it did not exist) and the rows replaced. */
  record Change(String path, long versionBefore, String condition) {}

  static final StructType CHANGE = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("version_before", DataTypes.LongType, false)
      .add("condition", DataTypes.StringType, true);

  static final StructType SCHEMA = new StructType()
      .add("job", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("run_time", DataTypes.TimestampType, false)
      .add("code_version", DataTypes.StringType, true)
      .add("input", DataTypes.StringType, false)
      .add("input_version", DataTypes.LongType, false)
      .add("full", DataTypes.BooleanType, false)
      .add("range_from", DataTypes.TimestampType, false)
      .add("range_to", DataTypes.TimestampType, false)
      .add("gold_rows", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
      .add("duration_ms", DataTypes.LongType, false)
      .add("status", DataTypes.StringType, true)
      .add("changes", DataTypes.createArrayType(CHANGE), true);

  private RunLog() {}

  static String path(LakeLayout layout, String job) {
    return layout.state(job) + "/runs";
  }

  private static Optional<Dataset<Row>> read(SparkSession spark, LakeLayout layout, String job) {
    String path = path(layout, job);
    return DeltaTables.exists(spark, path) ? Optional.of(spark.read().format("delta").load(path)) : Optional.empty();
  }

  /** The last committed run: the end of its range and the input version it read. */
  record Committed(String runId, Instant rangeTo, String input, long inputVersion) {}

  /** The last committed run of the job. */
  static Optional<Committed> lastCommitted(SparkSession spark, LakeLayout layout, String job) {
    Optional<Dataset<Row>> log = read(spark, layout, job);
    if (log.isEmpty()) {
      return Optional.empty();
    }
    Dataset<Row> runs = log.get();
    if (Arrays.asList(runs.columns()).contains("status")) {
      runs = runs.where(col("status").isNull().or(col("status").equalTo(COMMITTED)));
    }
    List<Row> last = runs.orderBy(col("run_time").desc()).select("run_id", "range_to", "input", "input_version")
        .limit(1).collectAsList();
    if (last.isEmpty()) {
      return Optional.empty();
    }
    Row r = last.get(0);
    return Optional.of(new Committed(r.getString(0), r.getTimestamp(1).toInstant(), r.getString(2), r.getLong(3)));
  }

  /** End of the last committed run's range. */
  static Optional<Instant> lastEnd(SparkSession spark, LakeLayout layout, String job) {
    return lastCommitted(spark, layout, job).map(Committed::rangeTo);
  }

  /** Runs logged {@code publishing} and never finished: run id to the changes they were making. */
  static List<Pending> pending(SparkSession spark, LakeLayout layout, String job) {
    Optional<Dataset<Row>> log = read(spark, layout, job);
    if (log.isEmpty() || !Arrays.asList(log.get().columns()).contains("status")) {
      return List.of();
    }
    Dataset<Row> runs = log.get();
    Dataset<Row> finished = runs.where(col("status").isin(COMMITTED, ROLLED_BACK)).select(col("run_id").as("done"));
    List<Pending> out = new ArrayList<>();
    for (Row r : runs.where(col("status").equalTo(PUBLISHING)).join(finished, col("run_id").equalTo(col("done")),
        "left_anti").select("run_id", "changes").collectAsList()) {
      List<Change> changes = r.<Row>getList(1).stream()
          .map(c -> new Change(c.getString(0), c.getLong(1), c.isNullAt(2) ? null : c.getString(2))).toList();
      out.add(new Pending(r.getString(0), changes));
    }
    return out;
  }

  record Pending(String runId, List<Change> changes) {}

  static void append(SparkSession spark, LakeLayout layout, RunSummary s, Instant runTime, String codeVersion,
      String status, List<Change> changes) {
    List<Row> changeRows = changes.stream()
        .map(c -> RowFactory.create(c.path(), c.versionBefore(), c.condition())).toList();
    Row row = RowFactory.create(s.job(), s.runId(), Timestamp.from(runTime), codeVersion, s.input(), s.inputVersion(),
        s.full(), Timestamp.from(s.from()), Timestamp.from(s.to()),
        s.goldRows(), s.duration().toMillis(), status, changeRows);
    // mergeSchema: logs written before runs had a status gain the new columns.
    spark.createDataFrame(List.of(row), SCHEMA).write().format("delta").mode("append")
        .option("mergeSchema", "true").save(path(layout, s.job()));
  }

  /** Logs a run left {@code publishing} as rolled back: its publishing row again, with the new status. */
  static void markRolledBack(SparkSession spark, LakeLayout layout, String job, String runId) {
    String path = path(layout, job);
    spark.read().format("delta").load(path)
        .where(col("run_id").equalTo(runId).and(col("status").equalTo(PUBLISHING)))
        .withColumn("status", lit(ROLLED_BACK))
        .write().format("delta").mode("append").save(path);
  }
}
