package io.tributary.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.file.Path;

/**
 * The application configuration, immutable once loaded by {@link ConfigLoader}.
 *
 * <p>Precedence, lowest first: built-in defaults ({@code defaults.yaml} in this package), the config file
 * ({@code conf/tributary.yaml}), environment variables ({@code TRIBUTARY_LAKE_ROOT} for {@code lake.root}),
 * command-line flags ({@code --lake}, {@code --profile}, {@code --set key=value}).
 *
 * @param lake where the lake lives
 * @param profile the active Spark profile, a key of {@code spark.profiles}
 * @param spark Spark settings per profile
 * @param pipelinesDir directory of pipeline definitions, relative to the config file's directory
 * @param jobsDir directory of analysis job definitions, relative to the config file's directory
 * @param confDir the directory relative paths resolve against (set by the loader, not by users)
 */
public record TributaryConfig(
    LakeConfig lake,
    String profile,
    SparkConfig spark,
    String pipelinesDir,
    String jobsDir,
    @JsonIgnore Path confDir) {

  public TributaryConfig {
    if (lake == null) {
      throw new ConfigException("lake.root must be set");
    }
    if (spark == null || profile == null || !spark.profiles().containsKey(profile)) {
      throw new ConfigException("profile '" + profile + "' is not defined under spark.profiles; known profiles: "
          + (spark == null ? "none" : String.join(", ", new java.util.TreeSet<>(spark.profiles().keySet()))));
    }
    confDir = confDir == null ? Path.of("conf") : confDir;
  }

  /** The settings of the active profile. */
  public SparkProfile sparkProfile() {
    return spark.profiles().get(profile);
  }

  public Path pipelinesPath() {
    return confDir.resolve(pipelinesDir);
  }

  public Path jobsPath() {
    return confDir.resolve(jobsDir);
  }

  public TributaryConfig withConfDir(Path dir) {
    return new TributaryConfig(lake, profile, spark, pipelinesDir, jobsDir, dir);
  }
}
