package io.tributary.analyze;

import java.util.function.Predicate;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampType;

/**
 * A precondition of an analysis on one input column: it must exist and have a type the analysis can use.
 * Checked by {@link InputCheck} before any data is read, so a typo in a job file fails in a second with a
 * message naming the job, the table and the column.
 *
 * @param column the column name
 * @param key the configuration key that named it, e.g. {@code profile.columns}
 * @param need what the analysis needs, completing "column 'x' is STRING, ..." e.g. {@code correlation needs a
 *     numeric column}
 * @param accepts the types that satisfy it
 */
public record ColumnRequirement(String column, String key, String need, Predicate<DataType> accepts) {

  public static ColumnRequirement numeric(String column, String key, String who) {
    return new ColumnRequirement(column, key, who + " needs a numeric column", t -> t instanceof NumericType);
  }

  /** Numeric, STRING or BOOLEAN: what a profile can describe. */
  public static ColumnRequirement profilable(String column, String key, String who) {
    return new ColumnRequirement(column, key, who + " needs a numeric, STRING or BOOLEAN column",
        t -> t instanceof NumericType || t instanceof StringType || t instanceof BooleanType);
  }

  /** STRING, BOOLEAN, integer or DATE: a column whose values make sensible slices. */
  public static ColumnRequirement categorical(String column, String key, String who) {
    return new ColumnRequirement(column, key, who + " need a STRING, BOOLEAN, integer or DATE column",
        t -> t instanceof StringType || t instanceof BooleanType || t instanceof IntegralType || t instanceof DateType);
  }

  public static ColumnRequirement timestamp(String column, String key) {
    return new ColumnRequirement(column, key, key + " needs a TIMESTAMP column", t -> t instanceof TimestampType);
  }
}
