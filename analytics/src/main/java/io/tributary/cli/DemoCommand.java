package io.tributary.cli;

import io.tributary.analyze.AnalyzeOptions;
import io.tributary.analyze.AnalyzeRunner;
import io.tributary.analyze.RunSummary;
import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.config.TributaryConfig;
import io.tributary.generate.DirectorySink;
import io.tributary.generate.GenerateCommand;
import io.tributary.generate.GroundTruth;
import io.tributary.ingest.IngestRunner;
import io.tributary.ingest.StreamSupervisor;
import io.tributary.layout.LakeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary demo}: the whole suite end to end on the embedded Spark. Generates a synthetic
 * clickstream with known faults into the clickstream pipeline's landing directory, ingests it, runs the
 * clickstream analysis job, and prints what landed, what was found, and where to look next.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Generate demo clickstream events, ingest them into Delta, analyse them, and print a summary.",
        "Uses the 'clickstream' pipeline (conf/pipelines/clickstream.yaml) and the 'clickstream' analysis job "
            + "(conf/jobs/clickstream.yaml). Running it again reuses the generated files: nothing lands twice."})
final class DemoCommand extends SparkCommand {
  static final String PIPELINE = "clickstream";
  static final String JOB = "clickstream";

  @Option(names = "--days", defaultValue = "14", description = "Days of events to generate (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--events-per-day", defaultValue = "10200",
      description = "Mean valid events per day (default: ${DEFAULT-VALUE}).")
  int eventsPerDay;

  @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--reset", description = "Delete the demo's landing directory and the local lake first.")
  boolean reset;

  @Override
  protected int run(SparkSession spark, TributaryConfig config) throws Exception {
    PipelineConfig pipeline = PipelineLoader.find(config.pipelinesPath(), PIPELINE);
    if (pipeline.source().isKafkaSource()) {
      throw new ConfigException("the demo writes files into the clickstream pipeline's landing directory, but "
          + pipeline.name() + " reads Kafka; use `tributary generate --to kafka` and `tributary ingest` instead");
    }
    Path landing = Path.of(pipeline.source().directory().path());
    LakeLayout layout = new LakeLayout(config.lake().root());
    if (reset) {
      reset(config, landing);
    }

    step(1, "generating demo events into " + landing.toAbsolutePath().normalize());
    Path truthFile = DirectorySink.defaultGroundTruthFile(landing);
    if (hasFiles(landing)) {
      System.out.println("      landing directory already holds generated files: reusing them (--reset starts over)");
    } else {
      int code = new CommandLine(new GenerateCommand()).execute("--to", "dir", "--path", landing.toString(),
          "--days", String.valueOf(days), "--events-per-day", String.valueOf(eventsPerDay), "--seed", String.valueOf(seed),
          "--files", String.valueOf(Math.max(2, days)), "--ground-truth", truthFile.toString());
      if (code != 0) {
        return code;
      }
    }

    step(2, "ingesting " + landing + " -> bronze / silver / quarantine under " + layout.root());
    try (IngestRunner runner = new IngestRunner(spark, layout, m -> { })) {
      StreamSupervisor.await(List.of(runner.start(pipeline, true)));
    }

    step(3, "analysing silver with job '" + JOB + "'");
    RunSummary run = AnalyzeRunner.run(spark, config, JOB, new AnalyzeOptions(false, null, null));

    step(4, "summary");
    GroundTruth truth = Files.isRegularFile(truthFile) ? GroundTruth.read(truthFile) : null;
    new DemoReport(spark, layout, pipeline, run, truth).print(System.out);
    return 0;
  }

  private static void step(int n, String what) {
    System.out.printf("[%d/4] %s%n", n, what);
    System.out.flush();
  }

  private static boolean hasFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> !p.getFileName().toString().startsWith("."));
    }
  }

  /** Deletes the local lake and the landing directory, but only when they look like what the demo made. */
  private static void reset(TributaryConfig config, Path landing) throws IOException {
    String root = config.lake().root();
    if (root.contains("://") && !root.startsWith("file:")) {
      throw new ConfigException("--reset only deletes a local lake, not " + root);
    }
    Path lake = Path.of(root.replaceFirst("^file:(//)?", ""));
    if (Files.exists(lake) && !isEmpty(lake) && !Files.isDirectory(lake.resolve("_checkpoints"))
        && !Files.isDirectory(lake.resolve("bronze"))) {
      throw new ConfigException("--reset refuses to delete " + lake.toAbsolutePath().normalize()
          + ": it does not look like a Tributary lake (no bronze/ or _checkpoints/)");
    }
    if (hasFiles(landing) && !hasDemoFiles(landing)) {
      throw new ConfigException("--reset refuses to delete " + landing.toAbsolutePath().normalize()
          + ": it holds files the demo did not generate");
    }
    for (Path p : List.of(lake, landing, DirectorySink.defaultGroundTruthFile(landing))) {
      System.out.println("      deleting " + p.toAbsolutePath().normalize());
      FileUtils.deleteQuietly(p.toFile());
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static boolean hasDemoFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.allMatch(p -> p.getFileName().toString().matches("\\.?events-\\d+\\.jsonl.*"));
    }
  }
}
