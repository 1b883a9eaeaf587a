package io.tributary.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default demo dataset: content, injected faults and how they reconcile with the ground truth. */
class ClickstreamGeneratorTest {

  private static List<GeneratedRecord> records;
  private static GroundTruth truth;

  @BeforeAll
  static void generateDefaults() {
    Generation generation = new ClickstreamGenerator(GeneratorSpec.defaults()).generate();
    records = generation.stream().toList();
    truth = generation.groundTruth();
  }

  @Test
  void sameSeedGivesIdenticalLinesAndAnotherSeedDoesNot() {
    GeneratorSpec small = GeneratorSpec.defaults().withDays(9).withEventsPerDay(2_000);
    List<String> first = lines(new ClickstreamGenerator(small));
    List<String> again = lines(new ClickstreamGenerator(small));
    List<String> other = lines(new ClickstreamGenerator(small.withSeed(43)));

    assertEquals(first, again);
    assertNotEquals(first.get(0), other.get(0));
    assertTrue(Set.copyOf(first).stream().noneMatch(Set.copyOf(other)::contains), "no line shared across seeds");
  }

  @Test
  void defaultsAreAboutTheAdvertisedSize() {
    GroundTruth.Counts counts = truth.counts();
    assertTrue(counts.uniqueValidEvents() > 135_000 && counts.uniqueValidEvents() < 165_000,
        "valid events: " + counts.uniqueValidEvents());
    assertRate(0.002, counts.badRecords(), counts.uniqueValidEvents());
    assertRate(0.005, counts.duplicatedEvents(), counts.uniqueValidEvents());
    assertRate(0.01, counts.lateEvents(), counts.uniqueValidEvents());
    assertEquals(6, truth.anomalies().size());
  }

  @Test
  void countsReconcileWithTheLines() {
    Map<String, Long> byKind = records.stream()
        .collect(Collectors.groupingBy(GeneratedRecord::kind, Collectors.counting()));
    GroundTruth.Counts counts = truth.counts();

    assertTrue(counts.reconciles(), counts::toString);
    assertEquals(records.size(), counts.totalLines());
    assertEquals(byKind.get(GeneratedRecord.CLEAN), counts.onTimeEvents());
    assertEquals(byKind.get(GeneratedRecord.LATE), counts.lateEvents());
    assertEquals(byKind.get(GeneratedRecord.BAD), counts.badRecords());
    assertEquals(byKind.get(GeneratedRecord.DUPLICATE), counts.duplicateCopies());
    assertEquals(counts.badRecords(), truth.badRecords().size());
    assertEquals(counts.lateEvents(), truth.lateEvents().size());
    assertEquals(counts.duplicatedEvents(), truth.duplicates().size());
    for (int i = 0; i < records.size(); i++) {
      assertEquals(i + 1, records.get(i).sequence());
    }
  }

  @Test
  void everyBadLineIsInvalidAsListedAndEveryOtherLineIsAValidEvent() {
    Map<Long, GroundTruth.BadRecord> listed = new HashMap<>();
    truth.badRecords().forEach(bad -> listed.put(bad.sequence(), bad));
    Set<String> kinds = new HashSet<>();

    for (GeneratedRecord record : records) {
      String problem = LineChecks.clickstreamProblem(record.line());
      GroundTruth.BadRecord bad = listed.get(record.sequence());
      if (GeneratedRecord.BAD.equals(record.kind())) {
        assertNotNull(bad, "bad line missing from the ground truth: " + record.sequence());
        assertEquals(LineChecks.expectedProblem(bad), problem, record.line());
        assertEquals(bad.eventId(), record.eventId());
        if (bad.eventId() != null) {
          assertTrue(record.line().contains(bad.eventId()), record.line());
        }
        kinds.add(problem);
      } else {
        assertNull(bad);
        assertNull(problem, record.line());
        JsonNode node = LineChecks.parse(record.line());
        assertEquals(record.eventId(), node.get("event_id").asText());
        assertEquals(record.eventTime(), Instant.parse(node.get("event_time").asText()));
        assertEquals(record.key(), node.get("user_id").asText());
      }
    }
    assertEquals(Set.of("malformed_json", "missing_field:event_id", "missing_field:event_time",
        "wrong_type:price", "wrong_type:event_time"), kinds);
  }

  @Test
  void badLinesNeverReuseAValidEventId() {
    Set<String> validIds = records.stream().filter(GeneratedRecord::isFirstValidCopy)
        .map(GeneratedRecord::eventId).collect(Collectors.toSet());
    assertEquals(truth.counts().uniqueValidEvents(), validIds.size(), "valid ids are unique");
    truth.badRecords().stream().map(GroundTruth.BadRecord::eventId).filter(id -> id != null)
        .forEach(id -> assertTrue(!validIds.contains(id), id));
  }

  @Test
  void duplicatesAreByteIdenticalAndAppearOncePlusTheirCopies() {
    Map<String, List<GeneratedRecord>> byId = records.stream().filter(r -> !GeneratedRecord.BAD.equals(r.kind()))
        .collect(Collectors.groupingBy(GeneratedRecord::eventId));
    Map<String, Integer> extra = truth.duplicates().stream()
        .collect(Collectors.toMap(GroundTruth.Duplicate::eventId, GroundTruth.Duplicate::extraCopies));

    byId.forEach((id, copies) -> {
      assertEquals(1 + extra.getOrDefault(id, 0), copies.size(), id);
      assertTrue(copies.get(0).isFirstValidCopy(), "the original comes first: " + id);
      copies.forEach(copy -> assertEquals(copies.get(0).line(), copy.line()));
    });
    assertTrue(extra.values().stream().allMatch(n -> n >= 1 && n <= 3));
    assertTrue(extra.values().stream().anyMatch(n -> n > 1), "some events are re-sent more than once");
  }

  @Test
  void lateEventsArriveAfterEventsHoursNewerThanThemselves() {
    assertTrue(!truth.lateEvents().isEmpty());
    for (GroundTruth.LateEvent late : truth.lateEvents()) {
      GeneratedRecord record = records.get((int) late.sequence() - 1);
      assertEquals(GeneratedRecord.LATE, record.kind());
      assertEquals(late.eventId(), record.eventId());
      assertEquals(late.eventTime(), record.eventTime());
      assertTrue(late.latenessSeconds() >= 2 * 3600 && late.latenessSeconds() <= 48 * 3600, late::toString);

      Instant due = late.eventTime().plusSeconds(late.latenessSeconds());
      Instant before = neighbour(late.sequence(), -1);
      Instant after = neighbour(late.sequence(), +1);
      assertTrue(!after.isBefore(due), "next on-time event is at least as new as event time + lateness");
      // Quiet night hours can have ten-minute lulls, so the previous event is only "nearly" as new.
      assertTrue(before.isAfter(due.minus(Duration.ofHours(1))), "previous on-time event is nearly as new");
      assertTrue(Duration.between(late.eventTime(), before).toHours() >= 1, "late relative to what came before");
    }
  }

  @Test
  void onTimeEventsArriveInEventTimeOrder() {
    Instant previous = Instant.MIN;
    for (GeneratedRecord record : records) {
      if (GeneratedRecord.CLEAN.equals(record.kind())) {
        assertTrue(!record.eventTime().isBefore(previous), record::line);
        previous = record.eventTime();
      }
    }
  }

  @Test
  void eventsFollowAShoppingFunnelWithStablePrices() {
    List<JsonNode> events = records.stream().filter(GeneratedRecord::isFirstValidCopy)
        .map(r -> LineChecks.parse(r.line())).toList();
    Map<String, Long> types = events.stream()
        .collect(Collectors.groupingBy(e -> e.get("event_type").asText(), Collectors.counting()));
    double total = events.size();
    assertEquals(0.70, types.get("view") / total, 0.04);
    assertEquals(0.20, types.get("cart") / total, 0.03);
    assertEquals(0.10, types.get("purchase") / total, 0.03);

    Map<String, Set<BigDecimal>> prices = new HashMap<>();
    Map<String, Set<String>> categories = new HashMap<>();
    events.forEach(e -> {
      prices.computeIfAbsent(e.get("product_id").asText(), k -> new HashSet<>()).add(e.get("price").decimalValue());
      categories.computeIfAbsent(e.get("product_id").asText(), k -> new HashSet<>()).add(e.get("category").asText());
    });
    assertTrue(prices.size() > 150 && prices.size() <= 200, "products: " + prices.size());
    assertTrue(prices.values().stream().allMatch(p -> p.size() == 1), "one price per product");
    assertTrue(categories.values().stream().allMatch(c -> c.size() == 1), "one category per product");
    assertEquals(8, categories.values().stream().flatMap(Set::stream).distinct().count());

    Map<String, Long> countries = events.stream()
        .collect(Collectors.groupingBy(e -> e.get("country").asText(), Collectors.counting()));
    assertEquals(10, countries.size());
    assertTrue(countries.get("US") > 2 * countries.get("AU") * 3, "skewed countries: " + countries);
  }

  @Test
  void sessionsAreBurstsOfOneUserSeparatedByMoreThanThirtyMinutes() {
    Map<String, List<Instant>> sessionTimes = new HashMap<>();
    Map<String, String> sessionUser = new HashMap<>();
    Map<String, Integer> userEvents = new HashMap<>();
    for (GeneratedRecord record : records) {
      if (record.isFirstValidCopy()) {
        JsonNode node = LineChecks.parse(record.line());
        String session = node.get("session_id").asText();
        sessionTimes.computeIfAbsent(session, k -> new ArrayList<>()).add(record.eventTime());
        String previousUser = sessionUser.put(session, record.key());
        assertTrue(previousUser == null || previousUser.equals(record.key()), "one user per session");
        userEvents.merge(record.key(), 1, Integer::sum);
      }
    }
    Map<String, List<Instant[]>> userSessions = new HashMap<>();
    List<Anomaly> drops = truth.anomalies().stream().filter(a -> Anomaly.DROP.equals(a.kind())).toList();
    sessionTimes.forEach((session, times) -> {
      times.sort(null);
      // A drop thins sessions (holes are the point of it); spikes only add events, so gaps never grow.
      boolean thinned = drops.stream().anyMatch(drop -> times.stream().anyMatch(
          t -> !t.isBefore(drop.windowStart().minusSeconds(300)) && t.isBefore(drop.windowEnd().plusSeconds(300))));
      for (int i = 1; i < times.size() && !thinned; i++) {
        assertTrue(Duration.between(times.get(i - 1), times.get(i)).toSeconds() <= 300, session);
      }
      userSessions.computeIfAbsent(sessionUser.get(session), k -> new ArrayList<>())
          .add(new Instant[] {times.get(0), times.get(times.size() - 1)});
    });
    userSessions.values().forEach(spans -> {
      spans.sort((a, b) -> a[0].compareTo(b[0]));
      for (int i = 1; i < spans.size(); i++) {
        assertTrue(Duration.between(spans.get(i - 1)[1], spans.get(i)[0]).toMinutes() >= 30);
      }
    });
    List<Integer> activity = userEvents.values().stream().sorted().toList();
    int median = activity.get(activity.size() / 2);
    int busiest = activity.get(activity.size() - 1);
    assertTrue(busiest > 20 * median, "heavy-tailed activity: median " + median + ", busiest " + busiest);
  }

  @Test
  void usersShopAsTheirPlantedSegmentSays() {
    Map<String, PlantedUser> users = new ClickstreamGenerator(GeneratorSpec.defaults()).users().stream()
        .collect(Collectors.toMap(PlantedUser::userId, u -> u));
    Map<String, PlantedSegment> segments = PlantedSegment.ALL.stream()
        .collect(Collectors.toMap(PlantedSegment::name, s -> s));
    Map<String, long[]> bySegment = new HashMap<>(); // views, views in own categories, sessions on own device
    Map<String, long[]> funnel = new HashMap<>(); // carts, purchases
    Map<String, Long> sessionsOnUsualDevice = new HashMap<>();
    Map<String, Long> sessions = new HashMap<>();
    Set<String> seenSessions = new HashSet<>();
    for (GeneratedRecord record : records) {
      if (!record.isFirstValidCopy()) {
        continue;
      }
      JsonNode e = LineChecks.parse(record.line());
      PlantedSegment segment = segments.get(users.get(e.get("user_id").asText()).segment());
      String type = e.get("event_type").asText();
      if ("view".equals(type)) {
        long[] v = bySegment.computeIfAbsent(segment.name(), k -> new long[2]);
        v[0]++;
        v[1] += segment.categories().contains(e.get("category").asText()) ? 1 : 0;
      } else {
        funnel.computeIfAbsent(segment.name(), k -> new long[2])["cart".equals(type) ? 0 : 1]++;
      }
      if (seenSessions.add(e.get("session_id").asText())) {
        sessions.merge(segment.name(), 1L, Long::sum);
        sessionsOnUsualDevice.merge(segment.name(), segment.device().equals(e.get("device").asText()) ? 1L : 0L,
            Long::sum);
      }
    }
    for (PlantedSegment segment : PlantedSegment.ALL) {
      long[] v = bySegment.get(segment.name());
      // 85% chosen from the segment's categories plus their natural share of the other 15%.
      assertEquals(0.87, (double) v[1] / v[0], 0.04, segment.name() + " views in its categories");
      double usual = (double) sessionsOnUsualDevice.get(segment.name()) / sessions.get(segment.name());
      assertTrue(usual > 0.85, segment.name() + " sessions on its device: " + usual);
      long[] f = funnel.get(segment.name());
      assertEquals(segment.checkoutRate(), (double) f[1] / f[0], 0.05, segment.name() + " checkout rate");
    }
    double shares = users.values().stream().mapToDouble(PlantedUser::activityShare).sum();
    assertEquals(1.0, shares, 1e-9);
  }

  private static Instant neighbour(long sequence, int direction) {
    for (int i = (int) sequence - 1 + direction; i >= 0 && i < records.size(); i += direction) {
      if (GeneratedRecord.CLEAN.equals(records.get(i).kind())) {
        return records.get(i).eventTime();
      }
    }
    throw new AssertionError("no on-time neighbour for " + sequence);
  }

  private static void assertRate(double expected, long count, long base) {
    double rate = (double) count / base;
    assertTrue(rate > expected * 0.75 && rate < expected * 1.25, "rate " + rate + " vs " + expected);
  }

  private static List<String> lines(EventGenerator generator) {
    return generator.generate().stream().map(GeneratedRecord::line).toList();
  }
}
