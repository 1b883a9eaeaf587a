package io.tributary.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * How Spark runs under one profile ({@code local}, {@code yarn}, ...).
 *
 * @param master the Spark master; ignored when the application runs under spark-submit, which sets its own
 * @param deployMode {@code client} or {@code cluster}; only used when building a spark-submit command
 * @param conf Spark settings applied to the session (and passed as --conf to spark-submit)
 */
public record SparkProfile(String master, String deployMode, Map<String, String> conf) {
  public SparkProfile {
    if (master == null || master.isBlank()) {
      throw new ConfigException("spark.profiles.<name>.master must be set, e.g. local[2] or yarn");
    }
    if (deployMode != null && !deployMode.equals("client") && !deployMode.equals("cluster")) {
      throw new ConfigException("deployMode must be client or cluster, not '" + deployMode + "'");
    }
    conf = java.util.Collections.unmodifiableMap(new TreeMap<>(conf == null ? Map.of() : conf));
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isLocal() {
    return master.startsWith("local");
  }
}
