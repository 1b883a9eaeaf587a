package io.tributary.cli;

import io.tributary.generate.GenerateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The single entry point, {@code scripts/tributary}. A thin main: parse, run one subcommand, exit with its
 * code. Every failure prints one line ({@link Failures}); {@code --verbose} adds the stack trace.
 */
@Command(name = "tributary", mixinStandardHelpOptions = true, versionProvider = Tributary.Version.class,
    description = "Real-time event analytics on Spark Structured Streaming and Delta Lake.",
    subcommands = {DemoCommand.class, GenerateCommand.class, IngestCommand.class, AnalyzeCommand.class,
        RunsCommand.class, ModelsCommand.class, StatusCommand.class, QuarantineCommand.class, EraseCommand.class,
        MaintainCommand.class, ValidateCommand.class, ConnectCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Start with: scripts/tributary demo        Then: scripts/tributary status",
        "Every command takes --help. Commands that use the lake (all but generate)",
        "also take --config FILE, --lake URI, --profile NAME, --set KEY=VALUE, --print-config.",
        "Check the configuration without starting Spark: scripts/tributary validate"})
public final class Tributary implements Runnable {
  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    int code = execute(args);
    if (yarnClusterDriver()) {
      // YARN's ApplicationMaster runs main in a thread and reports SUCCEEDED only when it returns; System.exit
      // would end the application as FAILED ("shutdown hook called before final status was reported"). YARN
      // knows only SUCCEEDED and FAILED: nothing to do is a success there (ops/runs records it as such).
      if (code != ExitCodes.OK && code != ExitCodes.NOTHING_TO_DO) {
        throw new IllegalStateException("tributary " + String.join(" ", args) + " exited with code " + code);
      }
      return;
    }
    System.exit(code);
  }

  /** True in the driver of a {@code --deploy-mode cluster} submission to YARN. */
  private static boolean yarnClusterDriver() {
    return "yarn".equals(System.getProperty("spark.master")) && "cluster".equals(System.getProperty("spark.submit.deployMode"));
  }

  /** Runs the command line and returns the exit code (tests call this instead of main). */
  public static int execute(String... args) {
    Tributary root = new Tributary();
    CommandLine cli = new CommandLine(root);
    cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
      Failures.Line line = Failures.describe(e);
      cmd.getErr().println(line.text());
      if (root.verbose) {
        e.printStackTrace(cmd.getErr());
      }
      return line.exitCode();
    });
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tributary " + io.tributary.spark.BuildInfo.codeVersion()
          + " (Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ")"};
    }
  }
}
