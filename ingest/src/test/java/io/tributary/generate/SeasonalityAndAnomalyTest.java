package io.tributary.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Traffic shape by event time: seasonality, and anomalies a same-hour-of-week detector can find. */
class SeasonalityAndAnomalyTest {

  private static final List<String> SERIES = List.of(Anomaly.ALL_TYPES, "view", "cart", "purchase");

  @Test
  void eveningsAreBusierThanNightsAndWeekendsBusierThanWeekdays() {
    GeneratorSpec spec = GeneratorSpec.defaults().clean();
    long[] counts = hourlyCounts(spec).get(Anomaly.ALL_TYPES);
    double evening = 0;
    double night = 0;
    double weekend = 0;
    double weekday = 0;
    for (int h = 0; h < counts.length; h++) {
      ZonedDateTime hour = spec.start().plus(Duration.ofHours(h)).atZone(ZoneOffset.UTC);
      if (hour.getHour() >= 18 && hour.getHour() <= 21) {
        evening += counts[h];
      } else if (hour.getHour() >= 2 && hour.getHour() <= 5) {
        night += counts[h];
      }
      if (hour.getDayOfWeek() == DayOfWeek.SATURDAY || hour.getDayOfWeek() == DayOfWeek.SUNDAY) {
        weekend += counts[h];
      } else {
        weekday += counts[h];
      }
    }
    assertTrue(evening > 4 * night, "evening " + evening + " vs night " + night);
    double weekendDay = weekend / 4;
    double weekdayDay = weekday / 10;
    assertTrue(weekendDay > 1.2 * weekdayDay && weekendDay < 1.4 * weekdayDay,
        "weekend day " + weekendDay + " vs weekday " + weekdayDay);
  }

  @Test
  void anomaliesAreInBusyHoursAfterTheFirstWeekAndNeverAdjacent() {
    GeneratorSpec spec = GeneratorSpec.defaults().withDays(28).withAnomalies(15);
    List<Anomaly> anomalies = new ClickstreamGenerator(spec).anomalies();
    assertEquals(15, anomalies.size());
    Instant baselineEnd = spec.start().plus(Duration.ofDays(7));
    for (int i = 0; i < anomalies.size(); i++) {
      Anomaly anomaly = anomalies.get(i);
      assertTrue(!anomaly.windowStart().isBefore(baselineEnd));
      assertEquals(Duration.ofHours(1), Duration.between(anomaly.windowStart(), anomaly.windowEnd()));
      assertEquals(0, anomaly.windowStart().getEpochSecond() % 3600);
      boolean spike = Anomaly.SPIKE.equals(anomaly.kind());
      assertTrue(spike ? anomaly.factor() >= 3 && anomaly.factor() <= 5
          : anomaly.factor() >= 0.1 && anomaly.factor() <= 0.2, anomaly::toString);
      assertTrue(TrafficProfile.isBusyHour(anomaly.windowStart()), anomaly::toString);
      if (i > 0) {
        assertTrue(Duration.between(anomalies.get(i - 1).windowEnd(), anomaly.windowStart()).toHours() >= 1, "never adjacent");
      }
    }
    assertTrue(anomalies.stream().anyMatch(a -> Anomaly.ALL_TYPES.equals(a.eventType())));
    assertTrue(anomalies.stream().anyMatch(a -> !Anomaly.ALL_TYPES.equals(a.eventType())));
    assertTrue(anomalies.stream().anyMatch(a -> Anomaly.DROP.equals(a.kind())));

    IllegalArgumentException tooShort =
        assertThrows(IllegalArgumentException.class, () -> GeneratorSpec.defaults().withDays(7));
    assertTrue(tooShort.getMessage().contains("anomalies need more than 7 days"), tooShort.getMessage());
  }

  @Test
  void anomalousHoursDeviateByTheirFactorAndNothingElseChanges() {
    GeneratorSpec spec = GeneratorSpec.defaults();
    Map<String, long[]> counts = hourlyCounts(spec);
    Map<String, long[]> undisturbed = hourlyCounts(spec.withAnomalies(0));
    List<Anomaly> anomalies = new ClickstreamGenerator(spec).anomalies();

    Set<Integer> anomalous = new HashSet<>();
    for (Anomaly anomaly : anomalies) {
      int hour = hourIndex(spec, anomaly.windowStart());
      anomalous.add(hour);
      long observed = counts.get(anomaly.eventType())[hour];
      long base = undisturbed.get(anomaly.eventType())[hour];
      long lastWeek = counts.get(anomaly.eventType())[hour - 168];
      // Against the same data without anomalies only the injection's own randomness remains: thinning is
      // binomial, spike copies vary by at most one per event. Allow four standard deviations.
      double f = anomaly.factor();
      double sd = Anomaly.DROP.equals(anomaly.kind()) ? Math.sqrt(base * f * (1 - f)) : Math.sqrt(base / 4.0);
      assertEquals(f * base, observed, 4 * sd + 1, anomaly + " vs the same data without anomalies");
      // Against last week's same hour, traffic noise adds up, so only roughly (a deep drop leaves a handful
      // of events, too few for a meaningful ratio).
      double ratio = (double) observed / lastWeek;
      if (Anomaly.SPIKE.equals(anomaly.kind())) {
        assertTrue(ratio > 2 && Math.abs(Math.log(ratio / f)) < Math.log(1.5), anomaly + ": ratio " + ratio);
      } else {
        assertTrue(ratio < 0.4, anomaly + ": ratio to last week " + ratio);
      }
    }
    for (String series : SERIES) {
      for (int h = 0; h < spec.hours(); h++) {
        if (!anomalous.contains(h)) {
          assertEquals(undisturbed.get(series)[h], counts.get(series)[h], series + " hour " + h);
        }
      }
    }
  }

  /**
   * Two plain detectors, per series (all types and each type), compare each hour with the same hour a week
   * earlier and flag a robust z-score above 4: one scores the count difference, the other the difference over
   * sqrt(count + baseline) (two Poisson counts). Both should find the injected anomalies.
   */
  @Test
  void sameHourOfWeekRobustZScoreDetectorsFindTheAnomalies() {
    for (boolean poisson : new boolean[] {false, true}) {
      int truePositives = 0;
      int falsePositives = 0;
      int found = 0;
      int injected = 0;
      for (long seed : new long[] {42, 7, 2026, 1, 99}) {
        GeneratorSpec spec = GeneratorSpec.defaults().withSeed(seed);
        Map<String, long[]> counts = hourlyCounts(spec);
        List<Anomaly> anomalies = new ClickstreamGenerator(spec).anomalies();
        Set<String> detected = new HashSet<>();
        for (String series : SERIES) {
          for (int hour : detect(counts.get(series), poisson)) {
            Instant start = spec.start().plus(Duration.ofHours(hour));
            // A flag is right if an anomaly of this series (or of all types) is there; the all-types series
            // may also see a strong single-type anomaly.
            List<Anomaly> here = anomalies.stream().filter(a -> a.windowStart().equals(start))
                .filter(a -> series.equals(Anomaly.ALL_TYPES) || a.eventType().equals(series)
                    || a.eventType().equals(Anomaly.ALL_TYPES)).toList();
            if (here.isEmpty()) {
              falsePositives++;
            } else {
              truePositives++;
              here.forEach(a -> detected.add(a.windowStart() + a.eventType()));
            }
          }
        }
        injected += anomalies.size();
        found += (int) anomalies.stream().filter(a -> detected.contains(a.windowStart() + a.eventType())).count();
      }
      double precision = (double) truePositives / (truePositives + falsePositives);
      double recall = (double) found / injected;
      String detector = poisson ? "poisson-scaled" : "count difference";
      assertTrue(precision >= 0.9, detector + ": precision " + precision + " (" + falsePositives + " false)");
      assertTrue(recall >= 0.9, detector + ": recall " + recall + " (" + found + " of " + injected + ")");
    }
  }

  private static List<Integer> detect(long[] counts, boolean poisson) {
    int week = 168;
    double[] residuals = new double[counts.length - week];
    for (int h = week; h < counts.length; h++) {
      double difference = counts[h] - counts[h - week];
      residuals[h - week] = poisson ? difference / Math.sqrt(Math.max(1, counts[h] + counts[h - week])) : difference;
    }
    double median = median(residuals);
    double[] deviations = Arrays.stream(residuals).map(r -> Math.abs(r - median)).toArray();
    double scale = Math.max(1.4826 * median(deviations), poisson ? 1 : 0);
    List<Integer> flagged = new ArrayList<>();
    for (int i = 0; i < residuals.length; i++) {
      if (Math.abs(residuals[i] - median) / scale > 4) {
        flagged.add(i + week);
      }
    }
    return flagged;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Unique valid events per event-time hour, for all types ("*") and for each type. */
  static Map<String, long[]> hourlyCounts(GeneratorSpec spec) {
    Map<String, long[]> counts = new TreeMap<>();
    SERIES.forEach(series -> counts.put(series, new long[spec.hours()]));
    Generation generation = new ClickstreamGenerator(spec).generate();
    generation.forEachRemaining(record -> {
      if (record.isFirstValidCopy()) {
        int hour = hourIndex(spec, record.eventTime());
        counts.get(Anomaly.ALL_TYPES)[hour]++;
        counts.get(eventType(record.line()))[hour]++;
      }
    });
    return counts;
  }

  private static int hourIndex(GeneratorSpec spec, Instant time) {
    return (int) Duration.between(spec.start(), time).toHours();
  }

  /** Cheaper than a JSON parse for a hot loop; the format is checked elsewhere. */
  private static String eventType(String line) {
    int start = line.indexOf("\"event_type\":\"") + 14;
    return line.substring(start, line.indexOf('"', start));
  }
}
