package io.tributary.analyze;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What an analysis computed, for the runner to persist: result rows per gold table and the state (or model)
 * tables the next run builds on, and fitted models to save. Nothing is written until the runner commits the whole run.
 *
 * @param gold gold table name to result rows; every row carries {@code job}, {@code window},
 *     {@code window_start} and {@code window_end} so a re-run can replace exactly the windows it recomputed
 * @param state updates of the job's state tables, in the order they are to be applied
 * @param models fitted models to save as new versions under {@code models/JOB/MODEL/}
 */
public record AnalysisResult(Map<String, Dataset<Row>> gold, List<StateUpdate> state, List<ModelOutput> models) {
  public AnalysisResult {
    gold = Collections.unmodifiableMap(new LinkedHashMap<>(gold));
    state = List.copyOf(state);
    models = List.copyOf(models);
  }

  public AnalysisResult(Map<String, Dataset<Row>> gold, List<StateUpdate> state) {
    this(gold, state, List.of());
  }

  /** Gold rows only. */
  public static AnalysisResult gold(Map<String, Dataset<Row>> gold) {
    return new AnalysisResult(gold, List.of());
  }

  /** The rows for one gold table (null when the analysis writes none there). */
  public Dataset<Row> get(String table) {
    return gold.get(table);
  }
}
