package io.tributary.cli;

import io.tributary.config.ConfigException;
import io.tributary.config.PipelineLoader;
import io.tributary.config.TributaryConfig;
import io.tributary.spark.SparkSessions;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The shape of every command that runs Spark: load the layered config, then either hand the command to
 * spark-submit (non-local profile, outside a cluster) or build the one SparkSession, run, and stop it.
 */
abstract class SparkCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Option(names = "--dry-run", description = "Change nothing. With a cluster profile (e.g. --profile yarn): print "
      + "the spark-submit command instead of running it; locally only where the command says what it means.")
  boolean dryRun;

  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    TributaryConfig config = configOptions.load();
    if (configOptions.printConfig) {
      Object pipelines = Files.isDirectory(config.pipelinesPath()) ? PipelineLoader.loadAll(config.pipelinesPath()) : List.of();
      System.out.println("# effective configuration (from " + configOptions.describeSource() + "; secrets masked)");
      System.out.print(ConfigOptions.render(config, pipelines));
      return 0;
    }
    if (!config.sparkProfile().isLocal() && !SparkSubmitLauncher.insideSparkSubmit()) {
      List<String> args = spec.root().commandLine().getParseResult().originalArgs();
      return new SparkSubmitLauncher(config).submit(args, dryRun);
    }
    if (dryRun && !supportsLocalDryRun()) {
      throw new ConfigException("--dry-run with the local profile is not supported by `" + spec.name() + "`: it would "
          + "run for real; use --dry-run with a cluster profile (--profile yarn) to print the spark-submit command");
    }
    boolean ownSession = SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = SparkSessions.create(config, spec.name());
    try {
      return run(spark, config);
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  /** Whether the command honours {@code --dry-run} when it runs locally (it must then change nothing). */
  protected boolean supportsLocalDryRun() {
    return false;
  }

  /** The command's work, with the application's one session. */
  protected abstract int run(SparkSession spark, TributaryConfig config) throws Exception;
}
