package io.tributary.analyze;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One kind of analysis (profiles, correlation, drift, ...). It computes result rows from the context and
 * never writes: the runner adds the run's metadata and writes each result to its gold table.
 */
public interface Analysis {
  /** Short name used in progress output, e.g. {@code profile}. */
  String name();

  /**
   * @return gold table name to result rows; every row carries {@code job}, {@code window_start} and
   *     {@code window_end} so a re-run can replace exactly the windows it recomputed
   */
  Map<String, Dataset<Row>> compute(AnalysisContext context);
}
