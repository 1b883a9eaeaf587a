package io.tributary.cli;

import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.config.TributaryConfig;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.PipelineStatus;
import io.tributary.ops.TableStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary status}: what each pipeline did last, how far behind it is, and how big the tables are. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show, per pipeline, the last batch, throughput, source lag, freshness and table sizes, "
        + "then the gold tables.")
final class StatusCommand extends SparkCommand {
  @Option(names = {"-p", "--pipeline"}, paramLabel = "NAME", description = "Only these pipelines. Repeatable.")
  List<String> pipelines = new ArrayList<>();

  @Override
  protected int run(SparkSession spark, TributaryConfig config) throws Exception {
    LakeLayout layout = new LakeLayout(config.lake().root());
    Path root = new Path(config.lake().root());
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(root)) {
      throw new ConfigException("lake " + config.lake().root() + " does not exist yet: run `scripts/tributary demo` or "
          + "`scripts/tributary ingest`, or point --lake at an existing lake");
    }
    System.out.println("lake " + fs.makeQualified(root));
    for (PipelineConfig p : IngestCommand.select(config, pipelines)) {
      PipelineStatus.of(spark, layout, p).print(System.out);
    }
    Path gold = new Path(layout.gold(""));
    if (fs.exists(gold)) {
      System.out.println("gold tables");
      for (FileStatus s : fs.listStatus(gold)) {
        TableStats t = TableStats.of(spark, s.getPath().toString());
        if (t.exists()) {
          System.out.printf("  %-30s %,d rows, version %d%n", s.getPath().getName(), t.rows(), t.version());
        }
      }
    }
    return 0;
  }
}
