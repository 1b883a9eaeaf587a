package io.tributary.bench;

import io.tributary.generate.ClickstreamGenerator;
import io.tributary.generate.DirectorySink;
import io.tributary.generate.FileSplit;
import io.tributary.generate.GeneratorSpec;
import io.tributary.generate.GroundTruth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/**
 * The benchmark's input files, written once per scale by the project's generator ({@link ClickstreamGenerator}
 * through a {@link DirectorySink}) and reused by later runs. A directory counts as complete only once its
 * marker file exists and describes the same spec, so an interrupted or changed generation is redone.
 *
 * <ul>
 *   <li>{@code throughput}: the ingest throughput data;</li>
 *   <li>{@code history}: the events already in silver for the scale check and the analytics (another seed);</li>
 *   <li>{@code warmup}: one small file of the history's dates, landed before the scale check's measured batch;</li>
 *   <li>{@code batch}: the measured batch of the scale check, same dates again, another seed;</li>
 *   <li>{@code newday}: the day after the history, for the incremental analysis.</li>
 * </ul>
 */
final class Datasets {
  private static final String COMPLETE = ".complete";

  private final Path root;
  private final Scale scale;

  Datasets(Path root, Scale scale) {
    this.root = root.resolve(scale.name());
    this.scale = scale;
  }

  Path throughput() throws IOException {
    GeneratorSpec spec = spec(1, scale.throughputDays(), scale.throughputEventsPerDay());
    long lines = Math.max(1, Math.round(scale.throughputEvents() * 1.02 / scale.throughputFiles()));
    return generate("throughput", spec, lines);
  }

  Path history() throws IOException {
    return generate("history", spec(2, scale.historyDays(), scale.historyEventsPerDay()), 100_000);
  }

  Path warmup() throws IOException {
    return generate("warmup", spec(3, scale.historyDays(), Math.max(1, 1_000 / scale.historyDays())), 100_000);
  }

  Path batch() throws IOException {
    return generate("batch", spec(4, scale.historyDays(), Math.max(1, scale.batchEvents() / scale.historyDays())),
        1_000_000);
  }

  Path newDay() throws IOException {
    GeneratorSpec spec = spec(5, 1, scale.historyEventsPerDay())
        .withStart(GeneratorSpec.DEFAULT_START.plus(Duration.ofDays(scale.historyDays())));
    return generate("newday", spec, 100_000);
  }

  /** The data files of a generated directory, sorted. */
  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  /** Bytes and lines of a generated directory. */
  static long[] size(Path dir) throws IOException {
    long bytes = 0;
    long lines = 0;
    for (Path f : files(dir)) {
      bytes += Files.size(f);
      try (Stream<String> l = Files.lines(f)) {
        lines += l.count();
      }
    }
    return new long[] {bytes, lines};
  }

  /** The demo's fault rates, no anomalies (they need weeks), a distinct seed per data set. */
  private static GeneratorSpec spec(long seed, int days, int eventsPerDay) {
    return GeneratorSpec.defaults().toBuilder().seed(seed).days(days).eventsPerDay(eventsPerDay).anomalies(0).build();
  }

  private Path generate(String name, GeneratorSpec spec, long linesPerFile) throws IOException {
    Path dir = root.resolve(name);
    String description = spec + ", " + linesPerFile + " lines per file";
    Path marker = dir.resolve(COMPLETE);
    if (Files.exists(marker) && Files.readString(marker).equals(description)) {
      return dir;
    }
    FileUtils.deleteDirectory(dir.toFile());
    long started = System.nanoTime();
    GroundTruth truth = new DirectorySink(dir, "events", FileSplit.maxLinesPerFile(linesPerFile),
        root.resolve(name + "-ground-truth.json")).write(new ClickstreamGenerator(spec).generate());
    Files.writeString(marker, description);
    Bench.progress("generated %s: %,d lines in %d files (%.1f s)", dir, truth.counts().totalLines(),
        files(dir).size(), (System.nanoTime() - started) / 1e9);
    return dir;
  }
}
