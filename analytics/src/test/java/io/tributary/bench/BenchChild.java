package io.tributary.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.config.ConfigLoader;
import io.tributary.config.TributaryConfig;
import io.tributary.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The measured side of the benchmark: one task per JVM, started by {@link ChildJvm}. It writes its figures
 * as a JSON object to the result file and exits; a non-zero exit code means the task failed.
 *
 * <pre>
 * BenchChild TASK RESULT_FILE key=value...   (the landing directory is the one in CONF's pipeline file)
 *   ingest     lake=DIR conf=DIR engine=tributary|baseline-a|baseline-b [then=DIR]
 *   freshness  lake=DIR conf=DIR seconds=S warmup=S rate=EVENTS_PER_S
 *   analyze    lake=DIR conf=DIR mode=full|incremental [listFiles=FILE]
 *   duckdb     files=FILE_LIST job=JOB_YAML
 * </pre>
 */
public final class BenchChild {
  private BenchChild() {}

  public static void main(String[] args) throws Exception {
    String task = args[0];
    Path resultFile = Path.of(args[1]);
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 2; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      opts.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    if (task.equals("duckdb")) {
      result.putAll(DuckDbProfile.run(Path.of(opts.get("files")), Path.of(opts.get("job"))));
    } else {
      TributaryConfig config = config(opts);
      SparkSession spark = SparkSessions.create(config, "bench " + task);
      try {
        result.putAll(switch (task) {
          case "ingest" -> IngestEngines.run(spark, config, opts);
          case "freshness" -> FreshnessProbe.run(spark, config, opts);
          case "analyze" -> AnalyticsRuns.analyze(spark, config, opts.get("mode"), opts.get("listFiles"));
          default -> throw new IllegalArgumentException("unknown bench task " + task);
        });
      } finally {
        spark.stop();
      }
    }
    result.put("peak_rss_bytes", selfPeakRss());
    result.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    Files.writeString(resultFile, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
    // Spark and Kafka leave non-daemon threads behind; the result is written, so leave now.
    System.exit(0);
  }

  /** The project's own configuration (conf/tributary.yaml, local profile) with the lake root pointed at the run's. */
  static TributaryConfig config(Map<String, String> opts) {
    Path conf = Path.of(opts.get("conf"));
    return ConfigLoader.load(conf.resolve("tributary.yaml"), Map.of(), Map.of("lake.root", opts.get("lake")));
  }

  /** This process's peak resident set (VmHWM), in bytes; -1 where /proc is not available. */
  static long selfPeakRss() {
    return ProcStatus.peakRss(Path.of("/proc/self/status"));
  }

  static final class ProcStatus {
    private ProcStatus() {}

    static long peakRss(Path status) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmHWM:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          }
        }
      } catch (IOException | RuntimeException e) {
        // The process ended between two polls, or this is not Linux.
      }
      return -1;
    }
  }
}
