package io.tributary.spark;

import io.tributary.config.SparkProfile;
import io.tributary.config.TributaryConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession an application uses; everything else receives it as a parameter.
 *
 * <p>Settings, lowest first: {@link #BASE} (Delta wiring and defaults we rely on), {@link #LOCAL} on an
 * embedded local Spark, then the active profile's {@code conf}. Under spark-submit the master comes from spark-submit, not from the profile.
 */
public final class SparkSessions {
  /** Settings every Tributary session needs, whatever the profile. */
  public static final Map<String, String> BASE = base();
  /** Defaults for an embedded local Spark (a profile's conf overrides them). */
  public static final Map<String, String> LOCAL = Map.of(
      // Delta rebuilds a table's state from its log in 50 partitions by default, sized for a cluster and a large
      // log. On a local Spark that is about 100 tasks (seconds) every time a table's snapshot is loaded, which
      // happens several times per micro-batch and per analysis output; 2 halves an analysis run's wall time.
      "spark.databricks.delta.snapshotPartitions", "2");

  private SparkSessions() {}

  private static Map<String, String> base() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    m.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    // Timestamps are stored and shown in UTC so numbers match across machines and notebooks.
    m.put("spark.sql.session.timeZone", "UTC");
    // New tables get write-time compaction so micro-batches do not leave thousands of tiny files.
    m.put("spark.databricks.delta.properties.defaults.autoOptimize.optimizeWrite", "true");
    m.put("spark.databricks.delta.properties.defaults.autoOptimize.autoCompact", "true");
    return Map.copyOf(m);
  }

  /**
   * Creates the session for the configured profile. When this JVM already has one (an embedding
   * application, or a test), that session is returned unchanged: its owner configured it and will stop it.
   */
  public static SparkSession create(TributaryConfig config, String jobName) {
    if (SparkSession.getDefaultSession().isDefined()) {
      return SparkSession.getDefaultSession().get();
    }
    SparkProfile profile = config.sparkProfile();
    SparkSession.Builder builder = SparkSession.builder().appName(config.spark().appName() + " " + jobName);
    if (System.getProperty("spark.master") == null) {
      builder.master(profile.master());
    }
    BASE.forEach(builder::config);
    String master = System.getProperty("spark.master", profile.master());
    if (master.startsWith("local")) {
      LOCAL.forEach(builder::config);
    }
    profile.conf().forEach(builder::config);
    return builder.getOrCreate();
  }
}
