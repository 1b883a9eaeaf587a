package io.tributary.generate;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.function.LongFunction;

/**
 * What the generator injected, so tests and benchmarks can score what the system found.
 * Serialized as {@code ground-truth.json} with snake_case names.
 *
 * <p>Counts reconcile: {@code total_lines = unique_valid_events + bad_records + duplicate_copies}, and
 * {@code unique_valid_events = on_time_events + late_events}.
 *
 * @param dataset     "clickstream" or "sensors"
 * @param spec        the generator settings
 * @param output      where the lines went; null until a sink wrote them
 * @param counts      the totals
 * @param badRecords  every bad line, in arrival order
 * @param duplicates  every re-sent event and how many extra copies were sent
 * @param lateEvents  every late event, in arrival order
 * @param anomalies   every anomalous hour, by window start
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GroundTruth(String dataset, GeneratorSpec spec, Output output, Counts counts,
                          List<BadRecord> badRecords, List<Duplicate> duplicates, List<LateEvent> lateEvents,
                          List<Anomaly> anomalies) {

  /**
   * @param sink     "directory" or "kafka"
   * @param location the directory path or the topic name
   * @param files    the files written, in arrival order (directory sink only)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Output(String sink, String location, List<String> files) {
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Counts(long totalLines, long uniqueValidEvents, long onTimeEvents, long lateEvents,
                       long badRecords, long duplicatedEvents, long duplicateCopies, int anomalies) {

    public boolean reconciles() {
      return totalLines == uniqueValidEvents + badRecords + duplicateCopies
          && uniqueValidEvents == onTimeEvents + lateEvents;
    }
  }

  /**
   * @param sequence 1-based arrival position (for Kafka, the order in which lines were sent)
   * @param file     file name holding the line (directory sink only)
   * @param line     1-based line number within that file (directory sink only)
   * @param kind     "malformed_json" (truncated line), "missing_field" or "wrong_type"
   * @param field    the missing or mistyped field; null for malformed_json
   * @param eventId  the line's identifier, or null when it has none
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record BadRecord(long sequence, String file, Long line, String kind, String field, String eventId) {
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Duplicate(String eventId, int extraCopies) {
  }

  /**
   * @param latenessSeconds the event arrives after every on-time event whose event time is earlier than
   *                        its own event time plus this lateness
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record LateEvent(String eventId, Instant eventTime, long latenessSeconds, long sequence) {
  }

  /** A file and 1-based line for an arrival sequence number. */
  public record Location(String file, long line) {
  }

  public GroundTruth withOutput(Output value) {
    return new GroundTruth(dataset, spec, value, counts, badRecords, duplicates, lateEvents, anomalies);
  }

  /** Adds the file and line of every bad record, given where each sequence number was written. */
  public GroundTruth withLocations(LongFunction<Location> locate) {
    List<BadRecord> located = badRecords.stream().map(bad -> {
      Location where = locate.apply(bad.sequence());
      return new BadRecord(bad.sequence(), where.file(), where.line(), bad.kind(), bad.field(), bad.eventId());
    }).toList();
    return new GroundTruth(dataset, spec, output, counts, located, duplicates, lateEvents, anomalies);
  }

  /** Writes to a temp file next to {@code path} and renames it, so readers never see half a file. */
  public void write(Path path) throws IOException {
    Path absolute = path.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temp = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
    Json.PRETTY.writeValue(temp.toFile(), this);
    Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static GroundTruth read(Path path) throws IOException {
    return Json.MAPPER.readValue(path.toFile(), GroundTruth.class);
  }
}
