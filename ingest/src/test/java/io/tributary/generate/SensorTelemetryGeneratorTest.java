package io.tributary.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The second dataset shares the delivery faults but has its own shape. */
class SensorTelemetryGeneratorTest {

  private final GeneratorSpec spec = GeneratorSpec.defaults().toBuilder()
      .days(3).eventsPerDay(10_000).badRate(0.01).duplicateRate(0.01).anomalies(0).build();

  @Test
  void readingsAreValidTelemetryAndBadLinesAreInvalidAsListed() {
    Generation generation = new SensorTelemetryGenerator(spec).generate();
    List<GeneratedRecord> records = generation.stream().toList();
    GroundTruth truth = generation.groundTruth();
    Map<Long, GroundTruth.BadRecord> bad = truth.badRecords().stream()
        .collect(Collectors.toMap(GroundTruth.BadRecord::sequence, b -> b));
    Set<String> kinds = new HashSet<>();
    Set<String> sensors = new HashSet<>();
    Set<String> sites = new HashSet<>();

    for (GeneratedRecord record : records) {
      String problem = LineChecks.sensorProblem(record.line());
      if (GeneratedRecord.BAD.equals(record.kind())) {
        assertEquals(LineChecks.expectedProblem(bad.get(record.sequence())), problem, record.line());
        kinds.add(problem);
      } else {
        assertNull(problem, record.line());
        JsonNode node = LineChecks.parse(record.line());
        sensors.add(node.get("sensor_id").asText());
        sites.add(node.get("site").asText());
        double temperature = node.get("temperature").asDouble();
        double humidity = node.get("humidity").asDouble();
        double battery = node.get("battery").asDouble();
        assertTrue(temperature > 5 && temperature < 35, record.line());
        assertTrue(humidity >= 5 && humidity <= 100, record.line());
        assertTrue(battery >= 10 && battery <= 100, record.line());
        assertEquals(record.key(), node.get("sensor_id").asText());
      }
    }
    assertEquals(Set.of("malformed_json", "missing_field:reading_id", "missing_field:ts",
        "wrong_type:temperature", "wrong_type:ts"), kinds);
    assertEquals(40, sensors.size());
    assertEquals(5, sites.size());
    assertTrue(truth.counts().reconciles());
    assertEquals(SensorTelemetryGenerator.DATASET, truth.dataset());
    assertTrue(truth.anomalies().isEmpty());
    long valid = truth.counts().uniqueValidEvents();
    assertTrue(valid > 0.9 * 3 * 10_000 && valid < 1.1 * 3 * 10_000, "readings: " + valid);
  }

  @Test
  void duplicatesAndLateReadingsUseTheSharedDelivery() {
    Generation generation = new SensorTelemetryGenerator(spec).generate();
    List<GeneratedRecord> records = generation.stream().toList();
    GroundTruth truth = generation.groundTruth();

    Map<String, Integer> occurrences = new HashMap<>();
    records.stream().filter(r -> !GeneratedRecord.BAD.equals(r.kind()))
        .forEach(r -> occurrences.merge(r.eventId(), 1, Integer::sum));
    truth.duplicates().forEach(d -> assertEquals(1 + d.extraCopies(), occurrences.get(d.eventId())));
    assertEquals(truth.counts().uniqueValidEvents() + truth.counts().duplicateCopies(),
        occurrences.values().stream().mapToInt(Integer::intValue).sum());
    assertTrue(!truth.duplicates().isEmpty() && !truth.lateEvents().isEmpty());
    truth.lateEvents().forEach(late ->
        assertEquals(GeneratedRecord.LATE, records.get((int) late.sequence() - 1).kind()));
  }

  @Test
  void deterministicPerSeedAndDistinctFromTheClickstream() {
    List<String> first = new SensorTelemetryGenerator(spec).generate().stream().map(GeneratedRecord::line).toList();
    List<String> again = new SensorTelemetryGenerator(spec).generate().stream().map(GeneratedRecord::line).toList();
    List<String> other = new SensorTelemetryGenerator(spec.withSeed(1)).generate().stream()
        .map(GeneratedRecord::line).toList();
    assertEquals(first, again);
    assertNotEquals(first, other);

    String readingId = new SensorTelemetryGenerator(spec).generate().next().eventId();
    String eventId = new ClickstreamGenerator(spec).generate().next().eventId();
    assertNotEquals(readingId.substring(2), eventId.substring(2), "datasets do not share id suffixes");
  }
}
