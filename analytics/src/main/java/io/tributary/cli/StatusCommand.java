package io.tributary.cli;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import io.tributary.analyze.JobConfig;
import io.tributary.analyze.JobLoader;
import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.config.TributaryConfig;
import io.tributary.land.DeltaTables;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.PipelineStatus;
import io.tributary.ops.TableStats;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary status}: what each pipeline did last, how far behind it is, how big the tables are, and
 * the last analysis runs. Sizes come from Delta's snapshot statistics, so status never scans table data;
 * pipelines, gold tables and jobs are printed in name order.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show, per pipeline, the last batch, throughput, source lag, freshness and table sizes, "
        + "then the gold tables and the last runs of each analysis job.")
final class StatusCommand extends SparkCommand {
  /** Runs shown per job, newest first. */
  static final int RUNS_SHOWN = 3;

  @Option(names = {"-p", "--pipeline"}, paramLabel = "NAME", description = "Only these pipelines. Repeatable.")
  List<String> pipelines = new ArrayList<>();

  @Override
  protected boolean writesLake() {
    return false;
  }

  @Override
  protected int run(SparkSession spark, TributaryConfig config) throws Exception {
    LakeLayout layout = new LakeLayout(config.lake().root());
    Path root = new Path(config.lake().root());
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(root)) {
      throw new ConfigException("lake " + config.lake().root() + " does not exist yet: run `scripts/tributary demo` or "
          + "`scripts/tributary ingest`, or point --lake at an existing lake");
    }
    PrintStream out = System.out;
    out.println("lake " + fs.makeQualified(root));
    List<PipelineConfig> selected = new ArrayList<>(IngestCommand.select(config, pipelines));
    selected.sort(Comparator.comparing(PipelineConfig::name));
    for (PipelineConfig p : selected) {
      PipelineStatus.of(spark, layout, p).print(out);
    }
    Path gold = new Path(layout.gold(""));
    if (fs.exists(gold)) {
      out.println("gold tables");
      FileStatus[] tables = fs.listStatus(gold);
      Arrays.sort(tables, Comparator.comparing(s -> s.getPath().getName()));
      for (FileStatus s : tables) {
        TableStats t = TableStats.of(spark, s.getPath().toString());
        if (t.exists()) {
          out.printf("  %-30s %s, version %d%n", s.getPath().getName(), t.rowsText(), t.version());
        }
      }
    }
    if (Files.isDirectory(config.jobsPath())) {
      printRuns(spark, layout, config, out);
    }
    return 0;
  }

  /** The newest runs of every job from its run log ({@code RunLog}'s table {@code _state/JOB/runs}). */
  private static void printRuns(SparkSession spark, LakeLayout layout, TributaryConfig config, PrintStream out) {
    List<JobConfig> jobs = new ArrayList<>(JobLoader.loadAll(config.jobsPath()));
    jobs.sort(Comparator.comparing(JobConfig::name));
    out.println("analysis runs");
    for (JobConfig job : jobs) {
      String runLog = layout.state(job.name()) + "/runs";
      if (!DeltaTables.exists(spark, runLog)) {
        out.printf("  %-30s no runs yet: run `tributary analyze --job %s`%n", job.name(), job.name());
        continue;
      }
      // A run logs 'publishing' and then its outcome: show each run once, with its newest status.
      Dataset<Row> log = spark.read().format("delta").load(runLog);
      Column status = Arrays.asList(log.columns()).contains("status")
          ? coalesce(col("status"), lit("committed")) : lit("committed");
      List<Row> runs = log.withColumn("_status", status)
          .withColumn("_latest", row_number().over(Window.partitionBy("run_id")
                  .orderBy(col("_status").equalTo("publishing").asc())))
          .where(col("_latest").equalTo(1))
          .orderBy(col("run_time").desc(), col("run_id").desc()).limit(RUNS_SHOWN)
          .select("run_time", "run_id", "full", "range_from", "range_to", "input_version", "duration_ms", "_status")
          .collectAsList();
      for (Row r : runs) {
        out.printf("  %-30s %s run %s (%s): %s .. %s, input version %d, %.1f s, %s%n", job.name(),
            r.getTimestamp(0).toInstant(), r.getString(1), r.getBoolean(2) ? "full" : "incremental",
            r.getTimestamp(3).toInstant(), r.getTimestamp(4).toInstant(), r.getLong(5), r.getLong(6) / 1000.0,
            r.getString(7));
      }
    }
  }
}
