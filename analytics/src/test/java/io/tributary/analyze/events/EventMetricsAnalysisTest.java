package io.tributary.analyze.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.ConfigException;
import io.tributary.testing.TestSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rates, funnel and sessions on a hand-made clickstream of four hours, the third one empty:
 *
 * <pre>
 * s1 u1  00:05 view, 00:10 cart, 00:20 purchase   full funnel
 * s2 u2  00:50 view, 01:05 cart                   crosses an hour boundary
 * s3 u1  01:30 view                               70 minutes after u1's last event: a new session, a bounce
 * s4 u3  03:10 cart, 03:15 view                   cart before view: reaches step 1 only
 * s5 u3  03:40 purchase                           no view: reaches no step (but one inactivity session with s4)
 * </pre>
 */
class EventMetricsAnalysisTest {
  static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");
  static final Instant TO = Instant.parse("2026-03-02T04:00:00Z");
  static final StructType SCHEMA = StructType.fromDDL(
      "event_time TIMESTAMP, event_type STRING, user_id STRING, session_id STRING");
  static final String[][] EVENTS = {
      {"00:05", "view", "u1", "s1"}, {"00:10", "cart", "u1", "s1"}, {"00:20", "purchase", "u1", "s1"},
      {"00:50", "view", "u2", "s2"}, {"01:05", "cart", "u2", "s2"},
      {"01:30", "view", "u1", "s3"},
      {"03:10", "cart", "u3", "s4"}, {"03:15", "view", "u3", "s4"},
      {"03:40", "purchase", "u3", "s5"}};

  static Dataset<Row> events;

  @BeforeAll
  static void data() {
    SparkSession spark = TestSpark.get();
    List<Row> rows = new ArrayList<>();
    for (String[] e : EVENTS) {
      rows.add(RowFactory.create(at(e[0]), e[1], e[2], e[3]));
    }
    events = spark.createDataFrame(rows, SCHEMA);
  }

  static Timestamp at(String hhmm) {
    return Timestamp.from(Instant.parse("2026-03-02T" + hhmm + ":00Z"));
  }

  static Map<String, Dataset<Row>> run(EventMetricsSpec spec) {
    return new EventMetricsAnalysis(spec).compute(events, "demo", "event_time", FROM, TO);
  }

  /** Rows keyed by "window start-or-'all' | rest of key columns". */
  static Map<String, Row> byKey(Dataset<Row> rows, String... keyColumns) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : rows.collectAsList()) {
      StringBuilder key = new StringBuilder(r.getAs("window") + "@" + ((Timestamp) r.getAs("window_start")).toInstant());
      for (String k : keyColumns) {
        key.append('|').append((Object) r.getAs(k));
      }
      assertTrue(out.put(key.toString(), r) == null, "duplicate row " + key);
    }
    return out;
  }

  static String hour(int h) {
    return "hour@" + FROM.plusSeconds(3600L * h);
  }

  @Test
  void ratesCountEveryTypeInEveryWindowIncludingTheEmptyOne() {
    Dataset<Row> rates = run(new EventMetricsSpec(null, List.of("hour", "all"), null, null, null, null))
        .get(EventMetricsAnalysis.RATES);
    assertEquals(List.of("job", "window", "window_start", "window_end", "event_type", "events", "events_per_second"),
        Arrays.asList(rates.columns()));
    Map<String, Row> rows = byKey(rates, "event_type");
    assertEquals(4 * 4 + 4, rows.size(), "4 hours + all, each for view, cart, purchase and *");
    // Direct counting from the table above.
    for (String type : List.of("view", "cart", "purchase", "*")) {
      long total = 0;
      for (int h = 0; h < 4; h++) {
        long n = 0;
        for (String[] e : EVENTS) {
          int eh = Integer.parseInt(e[0].substring(0, 2));
          if (eh == h && (type.equals("*") || type.equals(e[1]))) {
            n++;
          }
        }
        total += n;
        Row r = rows.get(hour(h) + "|" + type);
        assertEquals(n, (long) r.getAs("events"), type + " in hour " + h);
        assertEquals(n / 3600.0, (double) r.getAs("events_per_second"), 1e-12);
        assertEquals("demo", r.getAs("job"));
        assertEquals(FROM.plusSeconds(3600L * (h + 1)), ((Timestamp) r.getAs("window_end")).toInstant());
      }
      Row all = rows.get("all@" + FROM + "|" + type);
      assertEquals(total, (long) all.getAs("events"));
      assertEquals(total / (4 * 3600.0), (double) all.getAs("events_per_second"), 1e-12);
      assertEquals(TO, ((Timestamp) all.getAs("window_end")).toInstant());
    }
    assertEquals(0L, (long) rows.get(hour(2) + "|*").getAs("events"));
  }

  @Test
  void windowsStickingOutOfTheRangeAreClippedToIt() {
    // The week of 2026-03-02 (a Monday) is cut at 04:00: rates are per second of the part analysed.
    Dataset<Row> rates = run(new EventMetricsSpec(null, List.of("week"), null, null, null, null))
        .get(EventMetricsAnalysis.RATES);
    Row star = rates.where("event_type = '*'").collectAsList().get(0);
    assertEquals(FROM, ((Timestamp) star.getAs("window_start")).toInstant());
    assertEquals(TO, ((Timestamp) star.getAs("window_end")).toInstant());
    assertEquals(9L, (long) star.getAs("events"));
    assertEquals(9 / (4 * 3600.0), (double) star.getAs("events_per_second"), 1e-12);
  }

  @Test
  void funnelOfSessionsCountsEachSessionInTheWindowItStarts() {
    Dataset<Row> funnel = run(new EventMetricsSpec(null, List.of("hour", "all"), null, null, null, null))
        .get(EventMetricsAnalysis.FUNNEL);
    assertEquals(List.of("job", "window", "window_start", "window_end", "funnel_key", "step", "step_name", "units",
        "conversion_from_previous", "conversion_from_first"), Arrays.asList(funnel.columns()));
    Map<String, Row> rows = byKey(funnel, "step");
    // s1 reaches 3 and s2 reaches 2 (its cart is in hour 1, but it started in hour 0), s3 1, s4 1, s5 0.
    assertSteps(rows, hour(0), 2, 2, 1);
    assertSteps(rows, hour(1), 1, 0, 0);
    assertSteps(rows, hour(2), 0, 0, 0);
    assertSteps(rows, hour(3), 1, 0, 0);
    assertSteps(rows, "all@" + FROM, 4, 2, 1);
    assertEquals("session_id", rows.get(hour(0) + "|1").getAs("funnel_key"));
    assertEquals("purchase", rows.get(hour(0) + "|3").getAs("step_name"));
  }

  @Test
  void funnelOfUsersMatchesWithinEachWindow() {
    Dataset<Row> funnel = run(new EventMetricsSpec(null, List.of("hour", "all"), null, "user_id", null, null))
        .get(EventMetricsAnalysis.FUNNEL);
    Map<String, Row> rows = byKey(funnel, "step");
    // Hour 0: u1 view-cart-purchase, u2 view. Hour 1: u2 cart (no view in the hour), u1 view.
    // Hour 3: u3 cart, view, purchase: view then purchase, but no cart after the view.
    assertSteps(rows, hour(0), 2, 1, 1);
    assertSteps(rows, hour(1), 1, 0, 0);
    assertSteps(rows, hour(3), 1, 0, 0);
    assertSteps(rows, "all@" + FROM, 3, 2, 1);
  }

  static void assertSteps(Map<String, Row> rows, String window, long... units) {
    for (int s = 1; s <= units.length; s++) {
      Row r = rows.get(window + "|" + s);
      assertEquals(units[s - 1], (long) r.getAs("units"), window + " step " + s);
      Double previous = r.getAs("conversion_from_previous");
      Double first = r.getAs("conversion_from_first");
      if (s == 1 || units[s - 2] == 0) {
        assertNull(previous, window + " step " + s);
      } else {
        assertEquals((double) units[s - 1] / units[s - 2], previous, 1e-12);
      }
      if (units[0] == 0) {
        assertNull(first);
      } else {
        assertEquals((double) units[s - 1] / units[0], first, 1e-12);
      }
    }
  }

  @Test
  void sessionsByInactivityGap() {
    Dataset<Row> sessions = run(new EventMetricsSpec(null, List.of("hour", "all"), null, null, null, 30))
        .get(EventMetricsAnalysis.SESSIONS);
    assertEquals(List.of("job", "window", "window_start", "window_end", "sessions", "mean_duration_s",
        "median_duration_s", "p90_duration_s", "mean_events", "bounce_rate"), Arrays.asList(sessions.columns()));
    Map<String, Row> rows = byKey(sessions);
    // Per user_id with a 30-minute gap: u1 00:05-00:20 (3 events) and 01:30 (1); u2 00:50-01:05 (2);
    // u3 03:10-03:40 (3: s4 and s5 are one inactivity session).
    assertSessions(rows.get(hour(0)), new double[] {900, 900}, new int[] {3, 2});
    assertSessions(rows.get(hour(1)), new double[] {0}, new int[] {1});
    assertSessions(rows.get(hour(3)), new double[] {1800}, new int[] {3});
    assertSessions(rows.get("all@" + FROM), new double[] {900, 0, 900, 1800}, new int[] {3, 1, 2, 3});
    Row empty = rows.get(hour(2));
    assertEquals(0L, (long) empty.getAs("sessions"));
    assertNull(empty.getAs("mean_duration_s"));
    assertNull(empty.getAs("bounce_rate"));
  }

  static void assertSessions(Row r, double[] durations, int[] events) {
    assertEquals(durations.length, (long) r.getAs("sessions"));
    assertEquals(Arrays.stream(durations).average().orElseThrow(), (double) r.getAs("mean_duration_s"), 1e-9);
    // Spark's percentile interpolates between closest ranks, like commons-math's R-7 estimator.
    Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
    assertEquals(p.evaluate(durations, 50), (double) r.getAs("median_duration_s"), 1e-9);
    assertEquals(p.evaluate(durations, 90), (double) r.getAs("p90_duration_s"), 1e-9);
    assertEquals(Arrays.stream(events).average().orElseThrow(), (double) r.getAs("mean_events"), 1e-12);
    assertEquals(Arrays.stream(events).filter(e -> e == 1).count() / (double) events.length,
        (double) r.getAs("bounce_rate"), 1e-12);
  }

  @Test
  void specDefaultsAndErrorsNameTheKey() {
    EventMetricsSpec d = EventMetricsSpec.defaults();
    assertEquals("event_type", d.typeColumn());
    assertEquals(List.of("hour", "day"), d.windows());
    assertEquals(List.of("view", "cart", "purchase"), d.funnel());
    assertEquals("user_id", d.sessionKey());
    assertEquals(30, d.sessionGapMinutes());
    assertTrue(assertThrows(ConfigException.class, () -> new EventMetricsSpec(null, List.of("month"), null, null,
        null, null)).getMessage().contains("events.windows"));
    assertTrue(assertThrows(ConfigException.class, () -> new EventMetricsSpec(null, null, List.of("view"), null,
        null, null)).getMessage().contains("events.funnel"));
    assertTrue(assertThrows(ConfigException.class, () -> new EventMetricsSpec(null, null, null, null, null, 0))
        .getMessage().contains("events.sessionGapMinutes"));
    assertTrue(assertThrows(ConfigException.class, () -> run(new EventMetricsSpec("kind", null, null, null, null,
        null))).getMessage().contains("events.typeColumn"));
  }
}
