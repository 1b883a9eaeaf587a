package io.tributary.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.io.FileUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/bench}: Tributary's ingest and analytics measured against baselines in the same run, on data
 * made by the project's generator. The harness runs here; every measured run is a child JVM ({@link ChildJvm}).
 *
 * <pre>
 * scripts/bench                         # --scale small: every step on small data, a few minutes
 * scripts/bench --scale medium          # the README's table (~1M events)
 * scripts/bench --scale large --only analytics
 * </pre>
 *
 * Prints progress, then a table; writes it as JSON and Markdown to {@code OUT/<scale>-<time>.{json,md}} and
 * {@code OUT/latest-<scale>.{json,md}}. Generated data is kept under {@code OUT/data/<scale>} for later runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark Tributary's ingest and analytics against baselines in the same run.")
public final class Bench implements Callable<Integer> {
  private static final long START = System.nanoTime();

  @Option(names = "--scale", paramLabel = "small|medium|large", description = "Data size (default: ${DEFAULT-VALUE}).")
  String scale = "small";

  @Option(names = "--only", paramLabel = "ingest|freshness|analytics", description = "Run one section only.")
  String only;

  @Option(names = "--rounds", paramLabel = "N", description = "Interleaved rounds (default: 3).")
  Integer rounds;

  @Option(names = "--out", paramLabel = "DIR", description = "Data, work and results (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("bench-results");

  @Option(names = "--conf", paramLabel = "DIR", description = "The project's conf directory (default: ${DEFAULT-VALUE}).")
  Path conf = Path.of("conf");

  @Option(names = "--kafka", negatable = true,
      description = "Also measure ingest from an embedded Kafka broker (default: on, except at --scale small).")
  Boolean kafka;

  @Option(names = "--keep", description = "Keep the work directories (lakes, logs) after the run.")
  boolean keep;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (only != null && !java.util.List.of("ingest", "freshness", "analytics").contains(only)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--only must be ingest, freshness or analytics");
    }
    Scale s = Scale.of(scale);
    if (rounds != null) {
      s = new Scale(s.name(), rounds, s.throughputDays(), s.throughputEventsPerDay(), s.throughputFiles(),
          s.filesPerBatch(), s.historyDays(), s.historyEventsPerDay(), s.batchEvents(), s.freshnessSeconds(),
          s.freshnessWarmupSeconds(), s.ingestHeap());
    }
    Path root = out.toAbsolutePath();
    String name = s.name() + (only == null ? "" : "-" + only);
    Path work = root.resolve("work/" + name);
    FileUtils.deleteDirectory(work.toFile());
    String classpath = System.getProperty("bench.classpath", System.getProperty("java.class.path"));
    Report report = new Report();
    String started = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    report.header("scale", s.name() + " (" + s.rounds() + " interleaved rounds; medians)");
    report.header("started", Instant.now().toString());
    report.header("machine", String.format(Locale.ROOT, "%d cores, %s %s, Spark local[2] per child JVM",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version")));
    report.header("heaps", "ingest and freshness -Xmx" + s.ingestHeap() + ", analysis and DuckDB -Xmx" + Scale.ANALYSIS_HEAP);
    BenchEnv env = new BenchEnv(s, new Datasets(root.resolve("data"), s), conf.toAbsolutePath(), work,
        new ChildJvm(classpath, conf.toAbsolutePath().resolve("log4j2.properties")), report);
    progress("bench --scale %s: data under %s, results under %s", s.name(), root.resolve("data/" + s.name()), root);

    HistoryLake history = new HistoryLake(env);
    if (only == null || only.equals("ingest")) {
      IngestBench ingest = new IngestBench(env);
      ingest.throughput();
      if (kafka != null ? kafka : !s.name().equals("small")) {
        ingest.throughputKafka();
      }
      ingest.scaleCheck(history);
    }
    if (only == null || only.equals("freshness")) {
      new FreshnessBench(env).run();
    }
    if (only == null || only.equals("analytics")) {
      new AnalyticsBench(env).run(history);
    }
    report.header("duration", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - START) / 1e9));
    report.writeJson(root.resolve(name + "-" + started + ".json"));
    report.writeMarkdown(root.resolve(name + "-" + started + ".md"));
    report.writeJson(root.resolve("latest-" + name + ".json"));
    report.writeMarkdown(root.resolve("latest-" + name + ".md"));
    System.out.println();
    report.print(System.out);
    System.out.println();
    System.out.println("Written: " + root.resolve(name + "-" + started + ".{json,md}"));
    if (!keep && env.failures.isEmpty()) {
      FileUtils.deleteDirectory(work.toFile());
    }
    if (!env.failures.isEmpty()) {
      System.out.println("FAILED runs (their logs are kept): " + env.failures);
      return 1;
    }
    return 0;
  }

  /** A progress line with the time since the start. */
  static void progress(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[%5.0fs] %s%n", (System.nanoTime() - START) / 1e9, String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
