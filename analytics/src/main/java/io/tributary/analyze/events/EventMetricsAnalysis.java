package io.tributary.analyze.events;

import static org.apache.spark.sql.functions.lit;

import io.tributary.analyze.Analysis;
import io.tributary.analyze.AnalysisContext;
import io.tributary.analyze.AnalysisResult;
import io.tributary.analyze.ColumnRequirement;
import io.tributary.analyze.RequiresColumns;
import io.tributary.analyze.TimeGrain;
import io.tributary.config.ConfigException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time-windowed event metrics: rates per event type ({@value #RATES}), the conversion funnel ({@value #FUNNEL})
 * and session statistics ({@value #SESSIONS}), each per configured window size over the run's range.
 *
 * <pre>{@code
 * Map<String, Dataset<Row>> gold = new EventMetricsAnalysis(EventMetricsSpec.defaults()).compute(ctx);
 * }</pre>
 *
 * @see EventRates
 * @see Funnel
 * @see Sessions
 */
public final class EventMetricsAnalysis implements Analysis, RequiresColumns {
  public static final String RATES = "event_rates";
  public static final String FUNNEL = "funnel";
  public static final String SESSIONS = "sessions";

  private static final Logger LOG = LoggerFactory.getLogger(EventMetricsAnalysis.class);

  private final EventMetricsSpec spec;

  public EventMetricsAnalysis(EventMetricsSpec spec) {
    this.spec = spec == null ? EventMetricsSpec.defaults() : spec;
  }

  @Override
  public String name() {
    return "events";
  }

  /** The type and session key columns, and the funnel key when configured (the default is resolved per input). */
  @Override
  public List<ColumnRequirement> requiredColumns() {
    List<ColumnRequirement> out = new ArrayList<>();
    out.add(ColumnRequirement.categorical(spec.typeColumn(), "events.typeColumn", "event types"));
    out.add(ColumnRequirement.categorical(spec.sessionKey(), "events.sessionKey", "session keys"));
    if (spec.funnelKey() != null) {
      out.add(ColumnRequirement.categorical(spec.funnelKey(), "events.funnelKey", "funnel keys"));
    }
    return out;
  }

  @Override
  public AnalysisResult compute(AnalysisContext ctx) {
    LOG.info("Event metrics of job {} over [{}, {}) per {}", ctx.job().name(), ctx.from(), ctx.to(), spec.windows());
    return AnalysisResult.gold(compute(ctx.input(), ctx.job().name(), ctx.job().timeColumn(), ctx.from(), ctx.to()));
  }

  /**
   * The same as {@link #compute(AnalysisContext)} on any rows.
   *
   * @param events rows with {@code from <= timeColumn < to}
   */
  public Map<String, Dataset<Row>> compute(Dataset<Row> events, String job, String timeColumn, Instant from,
      Instant to) {
    List<String> columns = Arrays.asList(events.columns());
    require(columns, timeColumn, "timeColumn");
    require(columns, spec.typeColumn(), "events.typeColumn");
    require(columns, spec.sessionKey(), "events.sessionKey");
    String funnelKey = spec.funnelKey() != null ? spec.funnelKey()
        : columns.contains(EventMetricsSpec.DEFAULT_FUNNEL_KEY) ? EventMetricsSpec.DEFAULT_FUNNEL_KEY
        : spec.sessionKey();
    require(columns, funnelKey, "events.funnelKey");
    boolean wholeSessions = !funnelKey.equals(spec.sessionKey());
    List<TimeGrain> grains = spec.grains();

    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    out.put(RATES, withJob(job, EventRates.compute(events, timeColumn, spec.typeColumn(), grains, from, to)));
    out.put(FUNNEL, withJob(job, Funnel.compute(events, timeColumn, spec.typeColumn(), funnelKey, wholeSessions,
        spec.funnel(), grains, from, to)));
    out.put(SESSIONS, withJob(job, Sessions.compute(events, timeColumn, spec.sessionKey(), spec.sessionGapMinutes(),
        grains, from, to)));
    return out;
  }

  /** Puts {@code job} first, so every gold table starts with job, window, window_start, window_end. */
  private static Dataset<Row> withJob(String job, Dataset<Row> rows) {
    String[] names = rows.columns();
    Column[] columns = new Column[names.length + 1];
    columns[0] = lit(job).as("job");
    for (int i = 0; i < names.length; i++) {
      columns[i + 1] = rows.col(names[i]);
    }
    return rows.select(columns);
  }

  private static void require(List<String> columns, String column, String key) {
    if (!columns.contains(column)) {
      throw new ConfigException("'" + key + "' names column '" + column + "', which the input does not have; "
          + "its columns are " + columns);
    }
  }
}
