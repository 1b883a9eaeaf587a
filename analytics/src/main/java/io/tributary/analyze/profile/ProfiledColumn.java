package io.tributary.analyze.profile;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * A profiled column and what it gets: numeric columns moments, min/max and quantiles (and an exact sum when
 * DECIMAL); STRING and BOOLEAN columns the most frequent values.
 *
 * @param index position in the profile, used for internal column aliases
 */
record ProfiledColumn(String name, int index, DataType type) {

  /** Whether a column of this type can be profiled at all. */
  static boolean supported(DataType t) {
    return t instanceof NumericType || t instanceof StringType || t instanceof BooleanType;
  }

  static List<ProfiledColumn> of(List<String> names, StructType schema) {
    List<ProfiledColumn> out = new ArrayList<>();
    for (String name : names) {
      DataType t = schema.apply(name).dataType();
      if (!supported(t)) {
        throw new IllegalArgumentException("column " + name + " of type " + t.sql() + " cannot be profiled");
      }
      out.add(new ProfiledColumn(name, out.size(), t));
    }
    return out;
  }

  boolean numeric() {
    return type instanceof NumericType;
  }

  boolean decimal() {
    return type instanceof DecimalType;
  }

  /** Integral values go into the distinct-count sketch as BIGINT, anything else as its string form. */
  boolean integral() {
    return type instanceof IntegralType;
  }

  /** Alias of an internal aggregate of this column, e.g. {@code c2_hll}. */
  String alias(String what) {
    return "c" + index + "_" + what;
  }
}
