package io.tributary.cli;

import io.tributary.config.ConfigException;
import io.tributary.generate.GenerateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The single entry point, {@code scripts/tributary}. A thin main: parse, run one subcommand, exit with its
 * code. User mistakes (bad config, missing tables) print one line; {@code --verbose} adds the stack trace.
 */
@Command(name = "tributary", mixinStandardHelpOptions = true, versionProvider = Tributary.Version.class,
    description = "Real-time event analytics on Spark Structured Streaming and Delta Lake.",
    subcommands = {DemoCommand.class, GenerateCommand.class, IngestCommand.class, AnalyzeCommand.class,
        StatusCommand.class, MaintainCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Start with: scripts/tributary demo        Then: scripts/tributary status",
        "Every command takes --help, --config FILE, --lake URI, --profile NAME, --set KEY=VALUE and --print-config."})
public final class Tributary implements Runnable {
  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this instead of main). */
  public static int execute(String... args) {
    Tributary root = new Tributary();
    CommandLine cli = new CommandLine(root);
    cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
      Throwable userError = userError(e);
      if (userError != null) {
        cmd.getErr().println("error: " + userError.getMessage());
        if (root.verbose) {
          e.printStackTrace(cmd.getErr());
        }
        return 2;
      }
      cmd.getErr().println("failed: " + e);
      if (root.verbose) {
        e.printStackTrace(cmd.getErr());
      } else {
        cmd.getErr().println("(run with --verbose for the stack trace)");
      }
      return 1;
    });
    return cli.execute(args);
  }

  /** A mistake the user can fix, anywhere in the cause chain. */
  private static Throwable userError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigException) {
        return t;
      }
    }
    return null;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tributary " + io.tributary.spark.BuildInfo.codeVersion()
          + " (Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ")"};
    }
  }
}
