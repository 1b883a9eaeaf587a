package io.tributary.analyze;

import io.tributary.config.ConfigException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Checks column requirements against the input table's schema, failing with one actionable line. */
public final class InputCheck {
  private InputCheck() {}

  /**
   * @param table the input as configured, e.g. {@code silver/clickstream}, named in errors
   * @throws ConfigException naming the job, the column and the table, e.g. {@code job clickstream: column
   *     'prise' is not in silver/clickstream; columns: [...]}
   */
  public static void verify(JobConfig job, String table, StructType schema, List<ColumnRequirement> requirements) {
    for (ColumnRequirement r : requirements) {
      StructField field = Arrays.stream(schema.fields()).filter(f -> f.name().equals(r.column())).findFirst()
          .orElseThrow(() -> new ConfigException("job " + job.name() + ": column '" + r.column() + "' is not in "
              + table + "; columns: " + userColumns(schema) + "; fix '" + r.key() + "'" + where(job)));
      if (!r.accepts().test(field.dataType())) {
        throw new ConfigException("job " + job.name() + ": column '" + r.column() + "' is "
            + field.dataType().sql() + ", " + r.need() + "; fix '" + r.key() + "'" + where(job));
      }
    }
  }

  /** The table's columns without Tributary's metadata columns (those starting with {@code _}). */
  static List<String> userColumns(StructType schema) {
    return Arrays.stream(schema.fieldNames()).filter(n -> !n.startsWith("_")).toList();
  }

  private static String where(JobConfig job) {
    return job.file() == null ? "" : " in " + job.file();
  }
}
