package io.tributary.connect;

import io.tributary.land.DeltaTables;
import io.tributary.layout.LakeLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;

/**
 * Names every Delta table of a lake in the session catalog, in a schema per layer ({@code bronze.clickstream},
 * {@code gold.anomalies}, {@code ops.batches}), so SQL clients need no paths. Each name is an external catalog
 * table over the table's own location: nothing is copied, every query reads the table's current version and
 * schema, and Delta's {@code DESCRIBE DETAIL} / {@code DESCRIBE HISTORY} work by name.
 */
public final class LakeCatalog {
  private LakeCatalog() {}

  /** A lake table and the name it is registered under. */
  public record Entry(String layer, String table, String location) {
    public String qualifiedName() {
      return layer + "." + table;
    }
  }

  /** The Delta tables that exist now under the lake's layer directories, in layer then name order. */
  public static List<Entry> discover(SparkSession spark, LakeLayout layout) throws IOException {
    List<Entry> found = new ArrayList<>();
    for (Map.Entry<String, String> layer : layout.tableLayers().entrySet()) {
      Path dir = new Path(layer.getValue());
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.isDirectory(dir)) {
        continue;
      }
      FileStatus[] children = fs.listStatus(dir);
      Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
      for (FileStatus child : children) {
        String location = fs.makeQualified(child.getPath()).toString();
        if (child.isDirectory() && DeltaTables.exists(spark, location)) {
          found.add(new Entry(layer.getKey(), child.getPath().getName(), location));
        }
      }
    }
    return found;
  }

  /**
   * Registers {@code entries}, creating each layer's schema with its catalog directory under
   * {@code schemaRoot} (the session catalog creates one per schema; it holds no data).
   */
  public static void register(SparkSession spark, List<Entry> entries, String schemaRoot) throws AnalysisException {
    entries.stream().map(Entry::layer).distinct().forEach(layer -> spark.sql(String.format(
        "CREATE SCHEMA IF NOT EXISTS %s LOCATION '%s'", quote(layer), literal(schemaRoot + "/" + layer))));
    for (Entry e : entries) {
      String name = quote(e.layer()) + "." + quote(e.table());
      if (spark.catalog().tableExists(e.qualifiedName())) {
        // Re-registering (a second lake in one JVM) replaces our own external entry; never anything that owns data.
        String type = spark.catalog().getTable(e.qualifiedName()).tableType();
        if (!"EXTERNAL".equals(type)) {
          throw new IllegalStateException(e.qualifiedName() + " exists in the catalog as a " + type + " table");
        }
        spark.sql("DROP TABLE " + name);
      }
      spark.sql(String.format("CREATE TABLE %s USING delta LOCATION '%s'", name, literal(e.location())));
    }
  }

  private static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  private static String literal(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }
}
