package io.tributary.cli;

import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.config.SparkProfile;
import io.tributary.config.TributaryConfig;
import io.tributary.spark.BuildInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a command into the equivalent {@code spark-submit} to a cluster and runs it (or prints it for
 * {@code --dry-run}): the application jar (Spark provided by the cluster), the profile's settings as --conf,
 * Kerberos {@code --principal}/{@code --keytab} when configured, and the same arguments.
 *
 * <p>Cluster mode ships the effective configuration as an archive ({@link ConfArchive}) that the driver reads
 * as {@code tributary-conf/}; client mode runs the driver here, reading the same config file as this command.
 * Cluster mode waits for the application and reports its id and final status ({@link YarnOutcome}).
 *
 * <p>Paths the driver reads must mean the same on the cluster: a local lake root or a relative landing
 * directory is refused; a relative keytab (read here) is resolved with a warning.
 */
final class SparkSubmitLauncher {
  static final String CONF_ALIAS = "tributary-conf";

  private final TributaryConfig config;
  private final Path configFile;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * @param configFile the file the configuration was loaded from, or null for built-in defaults
   */
  SparkSubmitLauncher(TributaryConfig config, Path configFile, PrintStream out, PrintStream err) {
    this.config = config;
    this.configFile = configFile;
    this.out = out;
    this.err = err;
  }

  /** True when this JVM was started by spark-submit (it sets spark.master as a system property). */
  static boolean insideSparkSubmit() {
    return System.getProperty("spark.master") != null;
  }

  /** Runs (or prints) the submission of a command whose driver reads {@code pipelines}. */
  int submit(List<String> originalArgs, List<PipelineConfig> pipelines, boolean dryRun)
      throws IOException, InterruptedException {
    checkPathsForCluster(pipelines);
    List<String> cmd = command(originalArgs, dryRun);
    String printable = String.join(" ", cmd.stream().map(SparkSubmitLauncher::quote).toList());
    if (dryRun) {
      out.println(printable);
      return 0;
    }
    String sparkHome = System.getenv("SPARK_HOME");
    String exe = sparkHome == null ? "spark-submit" : Path.of(sparkHome, "bin", "spark-submit").toString();
    cmd.set(0, exe);
    err.println("submitting: " + printable);
    Process process;
    try {
      process = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new ConfigException("cannot run " + exe + " (" + e.getMessage() + "): install Spark 4.2 and set SPARK_HOME, "
          + "or run the printed command yourself (--dry-run prints it)");
    }
    YarnOutcome outcome = new YarnOutcome();
    Thread stdout = relay(process.getInputStream(), out, outcome);
    Thread stderr = relay(process.getErrorStream(), err, outcome);
    int exit = process.waitFor();
    stdout.join();
    stderr.join();
    out.println(outcome.summary(config.sparkProfile().isClusterMode(), exit));
    return outcome.exitCode(exit);
  }

  /** The spark-submit command line, its first element {@code spark-submit}. */
  List<String> command(List<String> originalArgs, boolean dryRun) {
    SparkProfile profile = config.sparkProfile();
    List<String> cmd = new ArrayList<>(List.of("spark-submit", "--master", profile.master()));
    if (profile.deployMode() != null) {
      cmd.addAll(List.of("--deploy-mode", profile.deployMode()));
    }
    cmd.addAll(List.of("--name", config.spark().appName(), "--class", Tributary.class.getName()));
    if ((profile.principal() == null) != (profile.keytab() == null)) {
      throw new ConfigException("spark.profiles." + config.profile() + ".principal and keytab go together: set both "
          + "(Kerberos) or neither");
    }
    if (profile.principal() != null) {
      cmd.addAll(List.of("--principal", profile.principal(), "--keytab", localFile(profile.keytab(), "keytab").toString()));
    }
    String flags = BuildInfo.sparkJvmFlags();
    for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions", "spark.yarn.am.extraJavaOptions")) {
      if (!profile.conf().containsKey(key) && !flags.isEmpty()) {
        cmd.addAll(List.of("--conf", key + "=" + flags));
      }
    }
    profile.conf().forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
    Path config;
    if (profile.isClusterMode()) {
      cmd.addAll(List.of("--archives", ConfArchive.write(this.config, submitDir()) + "#" + CONF_ALIAS));
      config = Path.of(CONF_ALIAS, "tributary.yaml");
    } else {
      config = configFile == null ? null : configFile.toAbsolutePath().normalize();
    }
    Path jar = appJar();
    if (!Files.isRegularFile(jar)) {
      if (!dryRun) {
        throw new ConfigException("the application jar " + jar + " is missing: run mvn -DskipTests package");
      }
      err.println("warning: the application jar " + jar + " is not built yet: run mvn -DskipTests package first");
    }
    cmd.add(jar.toString());
    cmd.addAll(argsForCluster(originalArgs, config));
    return cmd;
  }

  /**
   * The same arguments without launcher-only flags, reading {@code config} (the shipped archive's file in
   * cluster mode, this command's own file in client mode; null: the driver finds it as this command did).
   */
  static List<String> argsForCluster(List<String> args, Path config) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--config")) {
        i++;
      } else if (!a.startsWith("--config=") && !a.equals("--dry-run")) {
        out.add(a);
      }
    }
    if (config != null) {
      out.addAll(List.of("--config", config.toString().replace('\\', '/')));
    }
    return out;
  }

  /** Refuses paths that would silently mean something else on the cluster's nodes. */
  private void checkPathsForCluster(List<PipelineConfig> pipelines) {
    String root = config.lake().root();
    if (!root.contains("://") || root.startsWith("file:")) {
      throw new ConfigException("lake.root '" + root + "' is a local path, which cluster nodes cannot share: "
          + "pass --lake hdfs://NAMENODE:8020/PATH (or set lake.root)");
    }
    for (PipelineConfig p : pipelines) {
      if (p.source().directory() == null) {
        continue;
      }
      var dir = p.source().directory();
      refuseRelative(p.name(), "source.directory.path", dir.path());
      if (dir.archiveDir() != null) {
        refuseRelative(p.name(), "source.directory.archiveDir", dir.archiveDir());
      }
    }
  }

  private static void refuseRelative(String pipeline, String key, String path) {
    if (!path.contains(":") && !path.startsWith("/")) {
      throw new ConfigException("pipeline '" + pipeline + "': " + key + " '" + path + "' is a relative local path, which "
          + "means another directory on the cluster: use a URI such as hdfs://NAMENODE:8020/landing/" + pipeline
          + " (or an absolute path on the cluster's default file system)");
    }
  }

  /** A file on this machine that spark-submit reads; a relative one is resolved here, with a warning. */
  private Path localFile(String path, String key) {
    Path p = Path.of(path);
    if (!p.isAbsolute()) {
      p = p.toAbsolutePath().normalize();
      err.println("warning: spark.profiles." + config.profile() + "." + key + " '" + path + "' is relative; using " + p);
    }
    return p;
  }

  /** The installation: $TRIBUTARY_HOME (set by scripts/tributary), else the tree this code was built in. */
  private static Path home() {
    String env = System.getenv("TRIBUTARY_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath().normalize();
    }
    try {
      // analytics/target/classes or analytics/target/*.jar -> the tree's root
      Path code = Path.of(SparkSubmitLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = code; p != null && p.getParent() != null; p = p.getParent()) {
        if (p.getFileName().toString().equals("target") && p.getParent().getFileName().toString().equals("analytics")) {
          return p.getParent().getParent();
        }
      }
    } catch (java.net.URISyntaxException | RuntimeException ignored) {
      // no code source (an unusual class loader): fall back to the working directory
    }
    return Path.of("").toAbsolutePath();
  }

  /** Beside the application jar: outputs of this installation, not of a temporary directory. */
  private static Path submitDir() {
    return home().resolve(Path.of("analytics", "target", "submit"));
  }

  /** The cluster application jar built by {@code mvn package}. */
  static Path appJar() {
    return home().resolve(Path.of("analytics", "target",
        "tributary-analytics-" + BuildInfo.codeVersion().replaceFirst("\\+.*", "") + "-app.jar"));
  }

  /** Copies a stream of the child to ours, line by line, noting what the YARN client says. */
  private static Thread relay(java.io.InputStream from, PrintStream to, YarnOutcome outcome) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          outcome.read(line);
          to.println(line);
        }
      } catch (IOException ignored) {
        // the child closed its end
      }
    }, "spark-submit-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=,@#\\[\\]-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
