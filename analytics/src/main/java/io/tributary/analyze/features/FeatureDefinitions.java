package io.tributary.analyze.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.tributary.analyze.TimeGrain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The one definition of the per-entity features, as Spark SQL: aggregates over the entity's events before the
 * cutoff, then values derived from them. Training, validation and scoring all call {@link #asOf}, so a model
 * always sees features computed the same way, and only from events before its cutoff (no leakage).
 *
 * <pre>
 * entity_id      STRING     the entity (features.entity)
 * as_of          TIMESTAMP  the cutoff: only events with time &lt; as_of are used
 * events, sessions, active_days, views, carts, purchases   DOUBLE counts
 * recency_days   DOUBLE     days from the last event to the cutoff
 * tenure_days    DOUBLE     days from the first event to the cutoff
 * monetary       DOUBLE     sum of price * quantity over purchases
 * avg_basket     DOUBLE     monetary / purchases (0 without purchases)
 * conversion     DOUBLE     purchases / sessions
 * log_events, log_sessions, log_monetary   DOUBLE ln(1 + x): heavy-tailed counts on a scale distances can use
 * share_CATEGORY DOUBLE     share of the entity's events in CATEGORY (per features.categories)
 * device_DEVICE  DOUBLE     share of the entity's events on DEVICE (per features.devices)
 * country        STRING     the entity's most frequent country (described, not a model input)
 * </pre>
 */
public final class FeatureDefinitions {
  public static final String ENTITY = "entity_id";
  public static final String AS_OF = "as_of";

  private final FeaturesSpec spec;
  private final String timeColumn;

  public FeatureDefinitions(FeaturesSpec spec, String timeColumn) {
    this.spec = spec;
    this.timeColumn = timeColumn;
  }

  /** Aggregates over the events before {@code cutoff}, by name (SQL expressions; CUTOFF is the cutoff). */
  Map<String, String> aggregates(Instant cutoff) {
    String t = timeColumn;
    String cut = "TIMESTAMP '" + cutoff + "'";
    String purchase = spec.typeColumn() + " = '" + spec.purchaseType() + "'";
    Map<String, String> a = new LinkedHashMap<>();
    a.put("events", "count(*)");
    a.put("sessions", "count(DISTINCT " + spec.sessionColumn() + ")");
    a.put("active_days", "count(DISTINCT to_date(" + t + "))");
    a.put("views", "count_if(" + spec.typeColumn() + " = 'view')");
    a.put("carts", "count_if(" + spec.typeColumn() + " = 'cart')");
    a.put("purchases", "count_if(" + purchase + ")");
    a.put("recency_days", "(unix_micros(" + cut + ") - unix_micros(max(" + t + "))) / 86400e6");
    a.put("tenure_days", "(unix_micros(" + cut + ") - unix_micros(min(" + t + "))) / 86400e6");
    a.put("monetary", "coalesce(sum(CASE WHEN " + purchase + " THEN " + spec.priceColumn() + " * "
        + spec.quantityColumn() + " END), 0)");
    for (String c : spec.categories()) {
      a.put("share_" + c, "avg(CASE WHEN " + spec.categoryColumn() + " = '" + c + "' THEN 1.0 ELSE 0.0 END)");
    }
    for (String d : spec.devices()) {
      a.put("device_" + d, "avg(CASE WHEN " + spec.deviceColumn() + " = '" + d + "' THEN 1.0 ELSE 0.0 END)");
    }
    return a;
  }

  /** Values derived from the aggregates, by name (SQL expressions over the aggregate columns). */
  static Map<String, String> derived() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("avg_basket", "CASE WHEN purchases > 0 THEN monetary / purchases ELSE 0.0 END");
    d.put("conversion", "CASE WHEN sessions > 0 THEN purchases / sessions ELSE 0.0 END");
    d.put("log_events", "ln(1 + events)");
    d.put("log_sessions", "ln(1 + sessions)");
    d.put("log_monetary", "ln(1 + monetary)");
    return d;
  }

  /** Every numeric feature's name, in table order: what a model may use. */
  public List<String> numericNames() {
    List<String> out = new ArrayList<>(aggregates(Instant.EPOCH).keySet());
    out.addAll(derived().keySet());
    return out;
  }

  /**
   * The features of every entity with an event before {@code cutoff}, from those events only. Sorted by entity
   * within its partitions, so a model trained on it is reproducible.
   */
  public Dataset<Row> asOf(Dataset<Row> history, Instant cutoff) {
    Dataset<Row> before = history.where(col(timeColumn).lt(TimeGrain.timestamp(cutoff))
        .and(col(spec.entity()).isNotNull()));
    List<Column> aggs = new ArrayList<>();
    aggregates(cutoff).forEach((name, sql) -> aggs.add(expr(sql).cast("double").as(name)));
    aggs.add(expr("mode(" + spec.countryColumn() + ")").as("country"));
    Dataset<Row> aggregated = before.groupBy(col(spec.entity()).cast("string").as(ENTITY))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    List<Column> out = new ArrayList<>();
    out.add(col(ENTITY));
    out.add(lit(TimeGrain.timestamp(cutoff)).as(AS_OF));
    aggregates(cutoff).keySet().forEach(n -> out.add(col(n)));
    derived().forEach((name, sql) -> out.add(expr(sql).cast("double").as(name)));
    out.add(col("country"));
    return aggregated.select(out.toArray(Column[]::new)).sortWithinPartitions(ENTITY);
  }

  /** The input columns the definitions read, with the key that names each. */
  public Map<String, String> inputColumns() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(spec.entity(), "features.entity");
    c.put(spec.sessionColumn(), "features.sessionColumn");
    c.put(spec.typeColumn(), "features.typeColumn");
    c.put(spec.priceColumn(), "features.priceColumn");
    c.put(spec.quantityColumn(), "features.quantityColumn");
    c.put(spec.categoryColumn(), "features.categoryColumn");
    c.put(spec.deviceColumn(), "features.deviceColumn");
    c.put(spec.countryColumn(), "features.countryColumn");
    return c;
  }
}
