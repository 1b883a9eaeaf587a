package io.tributary.yarn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * JSON-lines files in a landing directory on HDFS whose every line's fate is known: 3,000 valid events spread
 * over three days, plus an identical copy of one (a duplicate) and five bad lines, each for another reason.
 */
final class LandingFiles {
  private static final int FILES = 3;
  private static final int PER_FILE = 1000;
  private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  private static final String[] COUNTRIES = {"DE", "FR", "US", "JP"};

  /** One valid event; its values follow from its number. */
  record Event(String id, Instant time, String user, double amount, String country) {
    static Event number(int i) {
      // Multiples of 0.25: exact in binary, so sums and means are not blurred by the input itself.
      return new Event("e" + i, START.plusSeconds(60L * i), "u" + (i % 50), 1.0 + (i % 997) * 0.25, COUNTRIES[i % 4]);
    }

    LocalDate date() {
      return time.atZone(ZoneOffset.UTC).toLocalDate();
    }

    String json() {
      return json(amount);
    }

    String json(double amountWritten) {
      return "{\"event_id\":\"%s\",\"event_time\":\"%s\",\"user_id\":\"%s\",\"amount\":%s,\"country\":\"%s\"}"
          .formatted(id, time, user, amountWritten, country);
    }
  }

  private final String directory;
  private final List<Event> events;
  private final Map<String, String> quarantine;
  private final long lines;

  private LandingFiles(String directory, List<Event> events, Map<String, String> quarantine, long lines) {
    this.directory = directory;
    this.events = events;
    this.quarantine = quarantine;
    this.lines = lines;
  }

  /** Writes the files into {@code directory} (each under a hidden name, then renamed, as producers must). */
  static LandingFiles write(FileSystem fs, String directory) throws IOException {
    List<Event> events = new ArrayList<>();
    Map<String, String> quarantine = new LinkedHashMap<>();
    long lines = 0;
    for (int f = 0; f < FILES; f++) {
      List<String> file = new ArrayList<>();
      for (int i = f * PER_FILE; i < (f + 1) * PER_FILE; i++) {
        Event e = Event.number(i);
        events.add(e);
        file.add(e.json());
      }
      String name = "events-" + f + ".jsonl";
      switch (f) {
        case 0 -> {
          file.add("{\"event_id\":\"cut\",\"event_time\":\"2026-03-02T");
          quarantine.put(name + ":" + file.size(), "parse | malformed JSON");
          file.add("{\"event_id\":\"lots\",\"event_time\":\"2026-03-02T01:00:00Z\",\"user_id\":\"u1\",\"amount\":\"lots\",\"country\":\"DE\"}");
          quarantine.put(name + ":" + file.size(), "type | field amount: 'lots' is a string where DOUBLE is declared");
        }
        case 1 -> {
          file.add(Event.number(10).json());  // identical copy of an event of file 0: a duplicate
          file.add(Event.number(1500).json(9999.5));  // same id and time as a line above, other content
          quarantine.put(name + ":" + file.size(), "duplicate_conflict | ");
        }
        default -> {
          file.add(new Event("negative", START.plusSeconds(30), "u2", -5.0, "FR").json());
          quarantine.put(name + ":" + file.size(), "amount_non_negative | amount must not be negative");
          file.add("{\"event_time\":\"2026-03-02T02:00:00Z\",\"user_id\":\"u3\",\"amount\":1.5,\"country\":\"US\"}");
          quarantine.put(name + ":" + file.size(), "missing_event_id | event_id is missing");
        }
      }
      Path hidden = new Path(directory, "." + name);
      try (FSDataOutputStream out = fs.create(hidden)) {
        out.write((String.join("\n", file) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      if (!fs.rename(hidden, new Path(directory, name))) {
        throw new IOException("cannot rename " + hidden);
      }
      lines += file.size();
    }
    return new LandingFiles(directory, List.copyOf(events), quarantine, lines);
  }

  String directory() {
    return directory;
  }

  List<Event> events() {
    return events;
  }

  /** Every line written. */
  long lines() {
    return lines;
  }

  /** Identical copies of an event already seen. */
  long duplicates() {
    return 1;
  }

  /** {@code FILE:LINE} -> the start of {@code RULE | MESSAGE} of its quarantine row. */
  Map<String, String> expectedQuarantine() {
    return quarantine;
  }

  /** Silver's expected content by event id. */
  Map<String, Event> expectedSilver() {
    Map<String, Event> out = new TreeMap<>();
    events.forEach(e -> out.put(e.id(), e));
    return out;
  }

  /** The amounts of the valid events, grouped by {@code key}, as Commons Math sees them. */
  Map<String, DescriptiveStatistics> amountsBy(Function<Event, String> key) {
    Map<String, DescriptiveStatistics> out = new TreeMap<>();
    events.forEach(e -> out.computeIfAbsent(key.apply(e), k -> new DescriptiveStatistics()).addValue(e.amount()));
    return out;
  }
}
