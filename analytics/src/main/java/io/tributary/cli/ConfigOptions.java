package io.tributary.cli;

import io.tributary.config.ConfigLoader;
import io.tributary.config.TributaryConfig;
import io.tributary.config.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options every command that touches the lake shares: which config file, and command-line overrides,
 * the top layer of {@link ConfigLoader}'s precedence.
 */
public final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Application config file (default: $TRIBUTARY_CONFIG, else conf/tributary.yaml of the installation, "
          + "else ./conf/tributary.yaml, else built-in defaults).")
  Path configFile;

  @Option(names = "--lake", paramLabel = "URI",
      description = "Lake root, overriding lake.root: a local directory or e.g. hdfs://namenode:8020/tributary.")
  String lake;

  @Option(names = "--profile", paramLabel = "NAME",
      description = "Spark profile from spark.profiles (local, yarn). With a non-local profile the command is "
          + "submitted with spark-submit.")
  String profile;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override any config key, e.g. --set spark.profiles.local.conf.spark.sql.shuffle.partitions=8. Repeatable.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--print-config", description = "Print the effective configuration (secrets masked) and exit.")
  boolean printConfig;

  /** Loads the layered configuration. */
  public TributaryConfig load() {
    Map<String, String> overrides = new LinkedHashMap<>(settings);
    if (lake != null) {
      overrides.put("lake.root", lake);
    }
    if (profile != null) {
      overrides.put("profile", profile);
    }
    return ConfigLoader.load(resolveConfigFile(), System.getenv(), overrides);
  }

  /** The config file the configuration is read from, or null for built-in defaults. */
  Path configFile() {
    return resolveConfigFile();
  }

  private Path resolveConfigFile() {
    if (configFile != null) {
      return configFile;
    }
    String env = System.getenv("TRIBUTARY_CONFIG");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String home = System.getenv("TRIBUTARY_HOME");
    if (home != null && Files.isRegularFile(Path.of(home, "conf", "tributary.yaml"))) {
      return Path.of(home, "conf", "tributary.yaml");
    }
    Path local = Path.of("conf", "tributary.yaml");
    return Files.isRegularFile(local) ? local : null;
  }

  /** Where the configuration came from, for --print-config. */
  public String describeSource() {
    Path f = resolveConfigFile();
    return f == null ? "built-in defaults" : f.toString();
  }

  public static String render(TributaryConfig config, Object pipelines) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("application", config);
    all.put("pipelines", pipelines);
    return Yaml.toMaskedYaml(all);
  }
}
