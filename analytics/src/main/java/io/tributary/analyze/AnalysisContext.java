package io.tributary.analyze;

import io.tributary.gold.RunInfo;
import io.tributary.layout.LakeLayout;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What an {@link Analysis} gets: the session, the job, the input restricted to the run's time range (read
 * at a pinned Delta version so the run is reproducible), and where the lake is.
 *
 * @param input the input table's rows with {@code from <= timeColumn < to}
 * @param from inclusive start of the analysed range (aligned to a day)
 * @param to exclusive end of the analysed range
 * @param full true when recomputing from scratch ({@code --full}) rather than incrementally
 * @param history the input table's rows with {@code timeColumn < to}, whatever the range: what models learn
 *     from (features as of a cutoff need every earlier event, not only the days an incremental run analyses)
 */
public record AnalysisContext(
    SparkSession spark,
    JobConfig job,
    Dataset<Row> input,
    Instant from,
    Instant to,
    boolean full,
    LakeLayout layout,
    RunInfo run,
    Dataset<Row> history) {

  /** A context whose history is its input (tests calling an analysis directly). */
  public AnalysisContext(SparkSession spark, JobConfig job, Dataset<Row> input, Instant from, Instant to,
      boolean full, LakeLayout layout, RunInfo run) {
    this(spark, job, input, from, to, full, layout, run, input);
  }
}
