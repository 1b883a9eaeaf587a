package io.tributary.cli;

import io.tributary.config.ConfigException;
import io.tributary.config.SparkProfile;
import io.tributary.config.TributaryConfig;
import io.tributary.spark.BuildInfo;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Turns a command into the equivalent {@code spark-submit} to a cluster: the application jar (Spark
 * provided by the cluster), the profile's settings as --conf, the conf/ directory shipped as an archive so
 * the driver reads the same pipelines and jobs, and the same arguments.
 */
final class SparkSubmitLauncher {
  private final TributaryConfig config;

  SparkSubmitLauncher(TributaryConfig config) {
    this.config = config;
  }

  /** True when this JVM was started by spark-submit (it sets spark.master as a system property). */
  static boolean insideSparkSubmit() {
    return System.getProperty("spark.master") != null;
  }

  int submit(List<String> originalArgs, boolean dryRun) throws IOException, InterruptedException {
    List<String> cmd = command(originalArgs, dryRun ? Path.of("<conf.zip>") : zipConf(), !dryRun);
    String printable = String.join(" ", cmd.stream().map(SparkSubmitLauncher::quote).toList());
    if (dryRun) {
      System.out.println(printable);
      return 0;
    }
    String sparkHome = System.getenv("SPARK_HOME");
    String exe = sparkHome == null ? "spark-submit" : Path.of(sparkHome, "bin", "spark-submit").toString();
    cmd.set(0, exe);
    System.err.println("submitting: " + printable);
    try {
      return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new ConfigException("cannot run " + exe + " (" + e.getMessage() + "): install Spark " + "4.2 and set SPARK_HOME, "
          + "or run the printed command yourself (--dry-run prints it)");
    }
  }

  List<String> command(List<String> originalArgs, Path confZip, boolean jarMustExist) {
    SparkProfile profile = config.sparkProfile();
    if (!config.lake().root().contains("://")) {
      throw new ConfigException("lake.root '" + config.lake().root() + "' is a local path, which cluster nodes cannot share: "
          + "pass --lake hdfs://NAMENODE:8020/PATH (or set lake.root)");
    }
    List<String> cmd = new ArrayList<>(List.of("spark-submit", "--master", profile.master()));
    if (profile.deployMode() != null) {
      cmd.addAll(List.of("--deploy-mode", profile.deployMode()));
    }
    cmd.addAll(List.of("--name", config.spark().appName(), "--class", Tributary.class.getName()));
    String flags = BuildInfo.sparkJvmFlags();
    for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions", "spark.yarn.am.extraJavaOptions")) {
      if (!profile.conf().containsKey(key) && !flags.isEmpty()) {
        cmd.addAll(List.of("--conf", key + "=" + flags));
      }
    }
    profile.conf().forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
    cmd.addAll(List.of("--archives", confZip + "#tributary-conf"));
    cmd.add(appJar(jarMustExist));
    cmd.addAll(argsForCluster(originalArgs));
    return cmd;
  }

  /** The same arguments, reading the shipped config and without launcher-only flags. */
  static List<String> argsForCluster(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--config")) {
        i++;
      } else if (!a.startsWith("--config=") && !a.equals("--dry-run")) {
        out.add(a);
      }
    }
    out.addAll(List.of("--config", "tributary-conf/tributary.yaml"));
    return out;
  }

  /** The cluster application jar built by {@code mvn package}; a dry run names it even before it is built. */
  private static String appJar(boolean mustExist) {
    String home = System.getenv().getOrDefault("TRIBUTARY_HOME", ".");
    Path jar = Path.of(home, "analytics", "target",
        "tributary-analytics-" + BuildInfo.codeVersion().replaceFirst("\\+.*", "") + "-app.jar");
    if (mustExist && !Files.isRegularFile(jar)) {
      throw new ConfigException("the application jar " + jar + " is missing: run mvn -DskipTests package");
    }
    return jar.toString();
  }

  /**
   * The config directory as a zip, so the driver on the cluster sees pipelines/ and jobs/, with tributary.yaml
   * replaced by the effective configuration: settings from the environment and from flags reach the cluster too.
   */
  private Path zipConf() throws IOException {
    Path dir = config.confDir();
    Path zip = Files.createTempFile("tributary-conf", ".zip");
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out);
        Stream<Path> files = Files.walk(dir)) {
      z.putNextEntry(new ZipEntry("tributary.yaml"));
      z.write(io.tributary.config.Yaml.MAPPER.writeValueAsBytes(config));
      z.closeEntry();
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = dir.relativize(f).toString().replace(File.separatorChar, '/');
        if (!name.equals("tributary.yaml")) {
          z.putNextEntry(new ZipEntry(name));
          Files.copy(f, z);
          z.closeEntry();
        }
      }
    }
    return zip;
  }

  private static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=,@#<>\\[\\]-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
