package io.tributary.schedule;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.tributary.land.DeltaTables;
import io.tributary.layout.LakeLayout;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The run history of analysis jobs, the Delta table {@code ops/runs} ({@link LakeLayout#opsRuns()}): one row per
 * attempt of {@code tributary analyze}, appended when the attempt ends, whether it succeeded, failed or had
 * nothing to do. {@code tributary runs} prints it. A process killed outright writes no row; its lease expires
 * and the next run says it took it over.
 *
 * <pre>
 * job             STRING     the job
 * mode            STRING     date | backfill | incremental | full | reproduction
 * window_start    TIMESTAMP  the window asked for: the day of --date and of each backfill day, else the range
 * window_end      TIMESTAMP    analysed (exclusive end); null when the run failed before knowing it
 * attempt         INT        1 + earlier rows of the same job and window
 * run_id          STRING     the analysis run's id (in every gold row it wrote); null if it failed before one
 * started, ended  TIMESTAMP
 * status          STRING     succeeded | failed | nothing_to_do
 * rows_written    MAP&lt;STRING,BIGINT&gt;  gold rows written per gold table
 * input_versions  MAP&lt;STRING,BIGINT&gt;  Delta version of each input table read
 * error           STRING     the failure's first line, for status failed
 * application_id  STRING     the Spark application id on YARN (null when run locally)
 * </pre>
 */
public final class RunHistory {
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String NOTHING_TO_DO = "nothing_to_do";

  static final StructType SCHEMA = new StructType()
      .add("job", DataTypes.StringType, false)
      .add("mode", DataTypes.StringType, false)
      .add("window_start", DataTypes.TimestampType, true)
      .add("window_end", DataTypes.TimestampType, true)
      .add("attempt", DataTypes.IntegerType, false)
      .add("run_id", DataTypes.StringType, true)
      .add("started", DataTypes.TimestampType, false)
      .add("ended", DataTypes.TimestampType, false)
      .add("status", DataTypes.StringType, false)
      .add("rows_written", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true)
      .add("input_versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true)
      .add("error", DataTypes.StringType, true)
      .add("application_id", DataTypes.StringType, true);

  /** One attempt as it ended. */
  public record Entry(String job, String mode, Instant windowStart, Instant windowEnd, String runId,
      Instant started, Instant ended, String status, Map<String, Long> rowsWritten, Map<String, Long> inputVersions,
      String error, String applicationId) {}

  private final SparkSession spark;
  private final String path;

  public RunHistory(SparkSession spark, LakeLayout layout) {
    this.spark = spark;
    this.path = layout.opsRuns();
  }

  private Optional<Dataset<Row>> table() {
    return DeltaTables.exists(spark, path) ? Optional.of(spark.read().format("delta").load(path)) : Optional.empty();
  }

  /** Appends the attempt, numbered after the earlier attempts of the same job and window. */
  public void append(Entry e) {
    long earlier = table().map(t -> t.where(sameWindow(e.job(), e.windowStart(), e.windowEnd())).count()).orElse(0L);
    int attempt = 1 + (int) earlier;
    Row row = RowFactory.create(e.job(), e.mode(), ts(e.windowStart()), ts(e.windowEnd()), attempt, e.runId(),
        ts(e.started()), ts(e.ended()), e.status(), e.rowsWritten(), e.inputVersions(), e.error(),
        e.applicationId());
    spark.createDataFrame(List.of(row), SCHEMA).write().format("delta").mode("append").save(path);
  }

  /** The last successful attempt of the job for exactly this window: its run id and end. */
  public Optional<Row> lastSucceeded(String job, Instant windowStart, Instant windowEnd) {
    return table().flatMap(t -> t.where(sameWindow(job, windowStart, windowEnd).and(col("status").equalTo(SUCCEEDED)))
        .orderBy(col("ended").desc()).select("run_id", "ended").limit(1).collectAsList().stream().findFirst());
  }

  /** Attempts newest first, optionally of one job and only failed ones. */
  public List<Row> newestFirst(String job, boolean failedOnly, int limit) {
    Optional<Dataset<Row>> t = table();
    if (t.isEmpty()) {
      return List.of();
    }
    Dataset<Row> rows = t.get();
    if (job != null) {
      rows = rows.where(col("job").equalTo(job));
    }
    if (failedOnly) {
      rows = rows.where(col("status").equalTo(FAILED));
    }
    return rows.orderBy(col("started").desc(), col("ended").desc()).limit(limit).collectAsList();
  }

  private static Column sameWindow(String job, Instant start, Instant end) {
    return col("job").equalTo(job).and(same("window_start", start)).and(same("window_end", end));
  }

  private static Column same(String column, Instant t) {
    return t == null ? col(column).isNull() : col(column).equalTo(lit(Timestamp.from(t)));
  }

  private static Timestamp ts(Instant t) {
    return t == null ? null : Timestamp.from(t);
  }
}
