package io.tributary.cli;

import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.config.TributaryConfig;
import io.tributary.ingest.IngestRunner;
import io.tributary.ingest.StreamSupervisor;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.BatchMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary ingest}: runs pipelines continuously, or once until caught up. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Land events from the configured sources into bronze, silver and quarantine Delta tables.",
        "Runs continuously with each pipeline's trigger interval; SIGTERM (Ctrl-C) finishes the current batch and "
            + "exits. With --once, processes everything available now and exits (for scheduled runs)."})
final class IngestCommand extends SparkCommand {
  @Option(names = {"-p", "--pipeline"}, paramLabel = "NAME",
      description = "Pipeline to run (a name from conf/pipelines). Repeatable. Default: all pipelines.")
  List<String> pipelines = new ArrayList<>();

  @Option(names = "--once", description = "Process what is available now, then exit.")
  boolean once;

  @Override
  protected int run(SparkSession spark, TributaryConfig config) throws Exception {
    List<PipelineConfig> selected = select(config, pipelines);
    LakeLayout layout = new LakeLayout(config.lake().root());
    Map<String, long[]> totals = new TreeMap<>();
    try (IngestRunner runner = new IngestRunner(spark, layout, m -> add(totals, m))) {
      List<StreamingQuery> queries = new ArrayList<>();
      for (PipelineConfig p : selected) {
        queries.add(runner.start(p, once));
      }
      StreamSupervisor.await(queries);
    }
    for (PipelineConfig p : selected) {
      long[] t = totals.getOrDefault(p.name(), new long[5]);
      System.out.printf("%s: %d batches, received %,d -> silver %,d, quarantined %,d, duplicates %,d%n  silver: %s%n",
          p.name(), t[0], t[1], t[2], t[3], t[4], layout.silver(p));
    }
    return 0;
  }

  @Override
  protected List<PipelineConfig> pipelinesRead(TributaryConfig config) {
    return select(config, pipelines);
  }

  private static synchronized void add(Map<String, long[]> totals, BatchMetrics m) {
    long[] t = totals.computeIfAbsent(m.pipeline(), k -> new long[5]);
    t[0]++;
    t[1] += m.received();
    t[2] += m.silverRows();
    t[3] += m.quarantined();
    t[4] += m.duplicates();
  }

  static List<PipelineConfig> select(TributaryConfig config, List<String> names) {
    List<PipelineConfig> all = PipelineLoader.loadAll(config.pipelinesPath());
    if (all.isEmpty()) {
      throw new ConfigException("no pipelines defined in " + config.pipelinesPath() + ": add a YAML file there");
    }
    if (names.isEmpty()) {
      return all;
    }
    List<PipelineConfig> out = new ArrayList<>();
    for (String n : names) {
      out.add(PipelineLoader.find(config.pipelinesPath(), n));
    }
    return out;
  }
}
