package io.tributary.analyze;

import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * New rows for a table under the job's state directory ({@code _state/JOB/TABLE}), replacing the stored rows
 * whose {@code start} is in {@code [from, to)}, or the whole table (schema included) when {@code replaceAll}.
 *
 * @param table the table's name under the job's state directory, e.g. {@code profile_day}
 * @param rows the new rows; each has a {@code start TIMESTAMP} in {@code [from, to)}
 */
public record StateUpdate(String table, Dataset<Row> rows, Instant from, Instant to, boolean replaceAll) {

  /** The Delta {@code replaceWhere} condition of a partial update. */
  public String condition() {
    return String.format("start >= TIMESTAMP '%s' AND start < TIMESTAMP '%s'", from, to);
  }
}
