package io.tributary.cli;

import io.tributary.analyze.AnalyzeOptions;
import io.tributary.analyze.AnalyzeRunner;
import io.tributary.config.TributaryConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary analyze}: runs one analysis job over the stored history. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
    description = {"Run an analysis job from conf/jobs over its input table and write the results to gold Delta tables.",
        "By default the run is incremental: it reads only days not analysed yet (plus the last one again) and merges "
            + "them with the stored state. Re-running replaces the same windows, never duplicates them."})
final class AnalyzeCommand extends SparkCommand {
  @Option(names = {"-j", "--job"}, required = true, paramLabel = "NAME", description = "Job name (from conf/jobs).")
  String job;

  @Option(names = "--full", description = "Recompute everything from scratch instead of incrementally.")
  boolean full;

  @Option(names = "--as-of-version", paramLabel = "N",
      description = "Read the input table at this Delta version, to reproduce an earlier run exactly.")
  Long asOfVersion;

  @Option(names = "--as-of-timestamp", paramLabel = "TS",
      description = "Read the input table as it was at this time, e.g. 2026-03-16T12:00:00Z.")
  String asOfTimestamp;

  @Override
  protected int run(SparkSession spark, TributaryConfig config) {
    AnalyzeRunner.run(spark, config, job, new AnalyzeOptions(full, asOfVersion, asOfTimestamp)).print(System.out);
    return 0;
  }
}
