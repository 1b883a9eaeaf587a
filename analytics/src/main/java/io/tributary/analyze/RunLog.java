package io.tributary.analyze;

import static org.apache.spark.sql.functions.col;

import io.tributary.land.DeltaTables;
import io.tributary.layout.LakeLayout;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The completed runs of a job, one row each in the Delta table {@code _state/JOB/runs}; the next incremental
 * run starts from the last one's range. A run is logged only after all its gold tables were written, so a
 * failed run is simply redone by the next one.
 */
final class RunLog {
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
      .add("duration_ms", DataTypes.LongType, false);

  private RunLog() {}

  static String path(LakeLayout layout, String job) {
    return layout.state(job) + "/runs";
  }

  /** End of the last completed run's range. */
  static Optional<Instant> lastEnd(SparkSession spark, LakeLayout layout, String job) {
    String path = path(layout, job);
    if (!DeltaTables.exists(spark, path)) {
      return Optional.empty();
    }
    List<Row> last = spark.read().format("delta").load(path)
        .orderBy(col("run_time").desc()).select("range_to").limit(1).collectAsList();
    return last.isEmpty() ? Optional.empty() : Optional.of(last.get(0).getTimestamp(0).toInstant());
  }

  static void append(SparkSession spark, LakeLayout layout, RunSummary s, Instant runTime, String codeVersion) {
    Row row = RowFactory.create(s.job(), s.runId(), Timestamp.from(runTime), codeVersion, s.input(), s.inputVersion(),
        s.full(), Timestamp.from(s.from()), Timestamp.from(s.to()),
        s.goldRows(), s.duration().toMillis());
    spark.createDataFrame(List.of(row), SCHEMA).write().format("delta").mode("append").save(path(layout, s.job()));
  }
}
