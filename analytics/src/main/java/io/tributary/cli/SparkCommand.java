package io.tributary.cli;

import io.tributary.analyze.JobLoader;
import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
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
    validateBeforeSpark(config);
    if (!config.sparkProfile().isLocal() && !SparkSubmitLauncher.insideSparkSubmit()) {
      List<String> args = spec.root().commandLine().getParseResult().originalArgs();
      SparkSubmitLauncher launcher = new SparkSubmitLauncher(config, configOptions.configFile(),
          System.out, System.err);
      return launcher.submit(args, pipelinesRead(config), dryRun);
    }
    if (dryRun && !supportsLocalDryRun()) {
      throw new ConfigException("--dry-run with the local profile is not supported by `" + spec.name() + "`: it would "
          + "run for real; use --dry-run with a cluster profile (--profile yarn) to print the spark-submit command");
    }
    try (AutoCloseable held = holdBeforeSpark(config)) {
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
  }

  /**
   * Something the command holds while it runs (a lock), taken before Spark starts so a command that cannot run
   * costs no Spark start-up; closed after the session stops. Runs where the driver runs (on YARN, in it).
   */
  protected AutoCloseable holdBeforeSpark(TributaryConfig config) throws Exception {
    return () -> {};
  }

  /**
   * Everything checkable without Spark (every pipeline and job file: YAML, keys, values, schema DDL, rule
   * syntax) is checked before a session or a cluster starts, so a typo costs a second, not a Spark start-up.
   */
  private void validateBeforeSpark(TributaryConfig config) {
    checkBeforeSpark(config);
    if (writesLake()) {
      checkLocalLakeWritable(config.lake().root());
    }
    if (Files.isDirectory(config.pipelinesPath())) {
      PipelineLoader.loadAll(config.pipelinesPath());
    }
    if (Files.isDirectory(config.jobsPath())) {
      JobLoader.loadAll(config.jobsPath());
    }
  }

  /** The command's own checks of its options that need no Spark; throws {@link ConfigException} to refuse. */
  protected void checkBeforeSpark(TributaryConfig config) {}

  /** The pipelines whose sources the command reads (their paths must mean the same on a cluster). */
  protected List<PipelineConfig> pipelinesRead(TributaryConfig config) {
    return List.of();
  }

  /** Whether the command writes to the lake (a read-only lake is fine for one that does not). */
  protected boolean writesLake() {
    return true;
  }

  /** A local lake must be creatable and writable; other file systems answer for themselves when written. */
  static void checkLocalLakeWritable(String root) {
    if (root.contains("://") && !root.startsWith("file:")) {
      return;
    }
    java.nio.file.Path lake = java.nio.file.Path.of(root.replaceFirst("^file:(//)?", "")).toAbsolutePath().normalize();
    java.nio.file.Path existing = lake;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      String why = existing == null ? "has no existing parent" : !Files.isDirectory(existing)
          ? existing + " is a file, not a directory" : existing + " is not writable";
      throw new ConfigException("cannot write the lake at " + lake + " (lake.root): " + why + "; choose a writable "
          + "directory with --lake or lake.root in the config file");
    }
  }

  /** Whether the command honours {@code --dry-run} when it runs locally (it must then change nothing). */
  protected boolean supportsLocalDryRun() {
    return false;
  }

  /** The command's work, with the application's one session. */
  protected abstract int run(SparkSession spark, TributaryConfig config) throws Exception;
}
