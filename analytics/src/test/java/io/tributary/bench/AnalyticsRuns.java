package io.tributary.bench;

import io.tributary.analyze.AnalyzeOptions;
import io.tributary.analyze.AnalyzeRunner;
import io.tributary.analyze.RunSummary;
import io.tributary.config.PipelineLoader;
import io.tributary.config.TributaryConfig;
import io.tributary.layout.LakeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The analysis side: the bench job (the shipped profile + correlation sections) run by {@link AnalyzeRunner}. */
final class AnalyticsRuns {
  /** The job the parent writes into the run's conf/jobs: the shipped clickstream job's profile and correlation. */
  static final String JOB = "bench";

  private AnalyticsRuns() {}

  static Map<String, Object> analyze(SparkSession spark, TributaryConfig config, String mode, String listFiles)
      throws IOException {
    AnalyzeOptions options = switch (mode) {
      case "full" -> AnalyzeOptions.fullRecompute();
      case "incremental" -> AnalyzeOptions.incremental();
      default -> throw new IllegalArgumentException("mode must be full or incremental, not " + mode);
    };
    long started = System.nanoTime();
    RunSummary summary = AnalyzeRunner.run(spark, config, JOB, options);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", mode);
    out.put("seconds", (System.nanoTime() - started) / 1e9);
    out.put("full", summary.full());
    out.put("from", String.valueOf(summary.from()));
    out.put("to", String.valueOf(summary.to()));
    out.put("gold_rows", summary.goldRows());
    if (listFiles != null && !listFiles.isEmpty()) {
      out.putAll(silverFiles(spark, config, Path.of(listFiles)));
    }
    return out;
  }

  /** Lists the Parquet files of silver's current snapshot into {@code out}, one per line, and counts its rows. */
  private static Map<String, Object> silverFiles(SparkSession spark, TributaryConfig config, Path out) throws IOException {
    String silver = new LakeLayout(config.lake().root())
        .silver(PipelineLoader.find(config.pipelinesPath(), "clickstream"));
    var table = spark.read().format("delta").load(silver);
    String[] files = table.inputFiles();
    Files.write(out, Arrays.stream(files).map(f -> java.net.URI.create(f).getPath()).toList());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("silver_files", files.length);
    result.put("silver_rows", table.count());
    return result;
  }
}
