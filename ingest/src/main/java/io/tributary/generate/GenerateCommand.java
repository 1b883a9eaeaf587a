package io.tributary.generate;

import io.tributary.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code generate}: writes a synthetic dataset with known faults to a directory or a Kafka topic, plus its
 * ground truth.
 *
 * <pre>
 * generate --to dir --path /data/landing/clickstream --files 10
 * generate --to kafka --bootstrap-servers localhost:9092 --topic clickstream --seed 7
 * </pre>
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate a synthetic clickstream (or sensor telemetry) with injected bad records, "
        + "duplicates, late events and anomalies, plus a ground-truth JSON describing them.")
public final class GenerateCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);
  private static final long PROGRESS_EVERY = 100_000;
  private static final long DEFAULT_LINES_PER_FILE = 50_000;

  /** Output target. */
  enum Target { DIR, KAFKA }

  /** Which dataset to generate. */
  enum Dataset { CLICKSTREAM, SENSORS }

  @Spec
  private CommandSpec commandSpec;

  private final GeneratorSpec defaults = GeneratorSpec.defaults();

  @Option(names = "--to", required = true, paramLabel = "dir|kafka", converter = TargetConverter.class,
      description = "Where to write: dir (JSON-lines files) or kafka.")
  private Target target;

  @Option(names = "--path", paramLabel = "DIR", description = "Output directory (with --to dir).")
  private Path path;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka brokers (with --to kafka).")
  private String bootstrapServers;

  @Option(names = "--topic", description = "Kafka topic (with --to kafka).")
  private String topic;

  @Option(names = "--producer-property", paramLabel = "KEY=VALUE",
      description = "Extra Kafka producer property, repeatable (e.g. security.protocol=SSL).")
  private Map<String, String> producerProperties = new LinkedHashMap<>();

  @Option(names = "--dataset", paramLabel = "clickstream|sensors", converter = DatasetConverter.class,
      description = "Dataset to generate (default: clickstream).")
  private Dataset dataset = Dataset.CLICKSTREAM;

  @Option(names = "--seed", description = "Random seed; equal seeds give identical output (default: ${DEFAULT-VALUE}).")
  private long seed = defaults.seed();

  @Option(names = "--start", paramLabel = "DATE|INSTANT", converter = StartConverter.class,
      description = "First event hour, e.g. 2026-03-02 or 2026-03-02T00:00:00Z (default: ${DEFAULT-VALUE}).")
  private Instant start = defaults.start();

  @Option(names = "--days", description = "Days of event time (default: ${DEFAULT-VALUE}).")
  private int days = defaults.days();

  @Option(names = "--events-per-day", description = "Mean valid events per day (default: ${DEFAULT-VALUE}).")
  private int eventsPerDay = defaults.eventsPerDay();

  @Option(names = "--bad-rate", description = "Bad lines per valid event (default: ${DEFAULT-VALUE}).")
  private double badRate = defaults.badRate();

  @Option(names = "--duplicate-rate", description = "Share of events re-sent (default: ${DEFAULT-VALUE}).")
  private double duplicateRate = defaults.duplicateRate();

  @Option(names = "--late-rate", description = "Share of events arriving 2-48 h late (default: ${DEFAULT-VALUE}).")
  private double lateRate = defaults.lateRate();

  @Option(names = "--anomalies",
      description = "Anomalous hours, clickstream only (default: ${DEFAULT-VALUE}; 0 when --days is 7 or less).")
  private int anomalies = defaults.anomalies();

  @Option(names = "--files", paramLabel = "N", description = "Split directory output into exactly N files.")
  private Integer files;

  @Option(names = "--lines-per-file", paramLabel = "N",
      description = "Split directory output into files of at most N lines (default: " + DEFAULT_LINES_PER_FILE
          + " unless --files is given).")
  private Long linesPerFile;

  @Option(names = "--file-prefix", paramLabel = "NAME",
      description = "File names start with NAME (default: events, or readings for sensors), e.g. NAME-00000.jsonl. "
          + "A second generation into the same directory needs a new prefix, so its files sit beside the first.")
  private String filePrefix;

  @Option(names = "--ground-truth", paramLabel = "PATH",
      description = "Ground-truth JSON file (default: <path>-ground-truth.json next to the directory, "
          + "<path>-<file-prefix>-ground-truth.json with --file-prefix, "
          + "or <topic>-ground-truth.json in the working directory).")
  private Path groundTruth;

  @Override
  public Integer call() throws Exception {
    Path truthFile = groundTruthFile();
    EventGenerator generator = buildGenerator();
    RecordSink sink = target == Target.DIR ? directorySink(generator, truthFile) : kafkaSink(truthFile);
    // Producer properties may hold credentials, so only the spec and the destination are logged.
    LOG.info("Generating {} to {} {}: {}", generator.dataset(), target.name().toLowerCase(Locale.ROOT),
        target == Target.DIR ? path : topic, generator.spec());
    PrintWriter out = commandSpec.commandLine().getOut();
    GroundTruth truth = sink.write(generator.generate().observe(record -> {
      if (record.sequence() % PROGRESS_EVERY == 0) {
        out.printf(Locale.ROOT, "... %,d lines written%n", record.sequence());
        out.flush();
      }
    }));
    printSummary(out, truth, truthFile);
    return 0;
  }

  /** Validates the target's options first, so a missing --path is reported before anything else. */
  private Path groundTruthFile() {
    if (target == Target.DIR && path == null) {
      throw new ParameterException(commandSpec.commandLine(),
          "--to dir needs an output directory: add --path DIR");
    }
    if (target == Target.KAFKA && (bootstrapServers == null || topic == null)) {
      throw new ParameterException(commandSpec.commandLine(),
          "--to kafka needs a broker and a topic: add --bootstrap-servers HOST:PORT --topic NAME");
    }
    if (groundTruth != null) {
      return groundTruth.toAbsolutePath();
    }
    if (target == Target.DIR && filePrefix != null) {
      // A second generation beside the first keeps the first one's ground truth.
      Path dir = path.toAbsolutePath().normalize();
      return dir.resolveSibling(dir.getFileName() + "-" + filePrefix + "-ground-truth.json");
    }
    return target == Target.DIR
        ? DirectorySink.defaultGroundTruthFile(path) : KafkaSink.defaultGroundTruthFile(topic);
  }

  private EventGenerator buildGenerator() {
    // Anomalies need a week of baseline; a short run without an explicit --anomalies simply has none.
    boolean anomaliesGiven = commandSpec.commandLine().getParseResult().hasMatchedOption("--anomalies");
    int anomalyCount = !anomaliesGiven && days <= GeneratorSpec.BASELINE_DAYS ? 0 : anomalies;
    try {
      GeneratorSpec spec =
          new GeneratorSpec(seed, start, days, eventsPerDay, badRate, duplicateRate, lateRate, anomalyCount);
      return dataset == Dataset.SENSORS ? new SensorTelemetryGenerator(spec) : new ClickstreamGenerator(spec);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandSpec.commandLine(), e.getMessage(), e);
    }
  }

  private String prefix() {
    return filePrefix != null ? filePrefix : dataset == Dataset.SENSORS ? "readings" : "events";
  }

  /** Refuses, before generating anything, to write where an earlier generation's files would be overwritten. */
  private void checkDirectoryIsFree() throws java.io.IOException {
    if (!prefix().matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
      throw new ParameterException(commandSpec.commandLine(), "--file-prefix must be letters, digits, - and _, "
          + "starting with a letter or digit (names starting with . or _ are ignored by readers), not '" + prefix() + "'");
    }
    Path clash = DirectorySink.existingFile(path, prefix()).orElse(null);
    if (clash != null) {
      throw new ConfigException(path.toAbsolutePath().normalize() + " already holds generated files (" + clash.getFileName()
          + "): use an empty directory, or add --file-prefix NAME (e.g. --file-prefix " + prefix() + "2) so the new files "
          + "sit beside them");
    }
  }

  private RecordSink directorySink(EventGenerator generator, Path truthFile) throws java.io.IOException {
    checkDirectoryIsFree();
    if (files != null && linesPerFile != null) {
      throw new ParameterException(commandSpec.commandLine(), "Use either --files or --lines-per-file, not both");
    }
    if ((files != null && files < 1) || (linesPerFile != null && linesPerFile < 1)) {
      throw new ParameterException(commandSpec.commandLine(), "--files and --lines-per-file must be >= 1");
    }
    FileSplit split = files != null
        // An exact split needs the total up front; a dry run is cheap (about a second per million lines).
        ? FileSplit.evenly(generator.generate().drain().counts().totalLines(), files)
        : FileSplit.maxLinesPerFile(linesPerFile != null ? linesPerFile : DEFAULT_LINES_PER_FILE);
    return new DirectorySink(path, prefix(), split, truthFile);
  }

  private RecordSink kafkaSink(Path truthFile) {
    return new KafkaSink(bootstrapServers, topic, producerProperties, truthFile);
  }

  private static void printSummary(PrintWriter out, GroundTruth truth, Path truthFile) {
    GroundTruth.Counts counts = truth.counts();
    out.printf(Locale.ROOT, "Wrote %,d %s lines to %s %s%n", counts.totalLines(), truth.dataset(),
        truth.output().sink(), truth.output().location());
    out.printf(Locale.ROOT, "  valid events: %,d (%,d late)%n", counts.uniqueValidEvents(), counts.lateEvents());
    out.printf(Locale.ROOT, "  bad records: %,d%n", counts.badRecords());
    out.printf(Locale.ROOT, "  duplicates: %,d extra copies of %,d events%n", counts.duplicateCopies(),
        counts.duplicatedEvents());
    out.printf(Locale.ROOT, "  anomalies: %d%n", counts.anomalies());
    out.printf(Locale.ROOT, "Ground truth: %s%n", truthFile);
    out.flush();
  }

  /** Accepts dir or kafka, any case. */
  static final class TargetConverter implements CommandLine.ITypeConverter<Target> {
    @Override
    public Target convert(String value) {
      return parseEnum(Target.class, value, "dir or kafka");
    }
  }

  /** Accepts clickstream or sensors, any case. */
  static final class DatasetConverter implements CommandLine.ITypeConverter<Dataset> {
    @Override
    public Dataset convert(String value) {
      return parseEnum(Dataset.class, value, "clickstream or sensors");
    }
  }

  /** Accepts a date (midnight UTC) or an ISO instant. */
  static final class StartConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return value.contains("T") ? Instant.parse(value) : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC)
            .toInstant();
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a date (2026-03-02) or an instant (2026-03-02T00:00:00Z)");
      }
    }
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String expected) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException("expected " + expected + " but got '" + value + "'");
    }
  }
}
