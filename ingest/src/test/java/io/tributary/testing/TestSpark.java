package io.tributary.testing;

import io.tributary.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM: local[2], UI off, two shuffle partitions, Delta wired in the same
 * way as production ({@link SparkSessions#BASE}). Never stopped by tests; the JVM exit ends it.
 */
public final class TestSpark {
  private static SparkSession spark;

  private TestSpark() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      try {
        Path warehouse = Files.createTempDirectory("tributary-warehouse");
        SparkSession.Builder b = SparkSession.builder().master("local[2]").appName("tributary-tests");
        SparkSessions.BASE.forEach(b::config);
        SparkSessions.LOCAL.forEach(b::config);
        b.config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.warehouse.dir", warehouse.toString())
            .config("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true")
            .config("spark.databricks.delta.snapshotPartitions", "2");
        spark = b.getOrCreate();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return spark;
  }
}
