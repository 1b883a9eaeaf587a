package io.tributary.config;

import java.util.Map;

/**
 * Spark settings per profile; the active profile is chosen by {@link TributaryConfig#profile()}.
 *
 * @param appName the application name shown in the Spark UI and on YARN
 * @param profiles profile name to its settings
 */
public record SparkConfig(String appName, Map<String, SparkProfile> profiles) {
  public SparkConfig {
    if (appName == null || appName.isBlank()) {
      appName = "tributary";
    }
    profiles = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(profiles == null ? Map.of() : profiles));
  }
}
