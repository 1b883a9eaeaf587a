package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.tributary.testing.EmbeddedKafka;
import java.nio.file.Files;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Ingest throughput (baseline A, baseline B and Tributary interleaved, every run in its own JVM on a fresh
 * lake), from the landing directory and from Kafka, and the scale check (one batch into an empty silver vs into a silver that already holds the history).
 */
final class IngestBench {
  /** Spark's local[2] in the project's local profile: the cores a run may use. */
  static final int CORES = 2;
  private static final List<String> ENGINES = List.of("baseline-a", "baseline-b", "tributary");
  private static final Map<String, String> LABELS = Map.of(
      "baseline-a", "baseline A (foreachBatch: raw + parsed)", "baseline-b", "baseline B (plain Delta sink)",
      "tributary", "Tributary (bronze + silver + quarantine)");

  private static final String TOPIC = "clickstream";

  private final BenchEnv env;

  IngestBench(BenchEnv env) {
    this.env = env;
  }

  /** From the landing directory. */
  void throughput() throws IOException, InterruptedException {
    Path input = env.data.throughput();
    long[] size = Datasets.size(input);
    env.report.header("ingest data", String.format("%,d lines, %d bytes/line on average, %d files, %d files per batch",
        size[1], size[0] / Math.max(1, size[1]), Datasets.files(input).size(), env.scale.filesPerBatch()));
    compare(String.format("ingest directory (%,d lines)", size[1]), "ingest",
        dir -> RunConf.write(env.projectConf, dir.resolve("conf"), input, env.scale.filesPerBatch(), "10 seconds"));
  }

  /** The same lines from a topic of an embedded Kafka broker (2 partitions, on 127.0.0.1), same batch size. */
  void throughputKafka() throws IOException, InterruptedException {
    Path input = env.data.throughput();
    long[] size = Datasets.size(input);
    long perBatch = size[1] * env.scale.filesPerBatch() / Datasets.files(input).size();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopic(TOPIC, 2);
      Bench.progress("[kafka] producing %,d lines to %s", size[1], kafka.bootstrapServers());
      produce(kafka.bootstrapServers(), input);
      compare(String.format("ingest Kafka (%,d lines)", size[1]), "kafka",
          dir -> RunConf.write(env.projectConf, dir.resolve("conf"), dir.resolve("unused-landing"), 1, "10 seconds",
              kafka.bootstrapServers(), TOPIC, perBatch));
    }
  }

  /** A run's configuration, written under its directory. */
  private interface ConfFor {
    Path write(Path dir) throws IOException;
  }

  private void compare(String section, String tag, ConfFor confFor) throws IOException, InterruptedException {
    Map<String, List<ChildJvm.Result>> runs = new LinkedHashMap<>();
    int total = env.scale.rounds() * ENGINES.size();
    int n = 0;
    for (int round = 1; round <= env.scale.rounds(); round++) {
      for (String engine : ENGINES) {
        Path dir = env.work.resolve(tag + "/" + engine + "-" + round);
        Path conf = confFor.write(dir);
        Bench.progress("[%s %d/%d] round %d: %s", tag, ++n, total, round, engine);
        ChildJvm.Result r = env.child(dir, tag + "-" + engine + "-" + round, env.scale.ingestHeap(), "ingest",
            BenchEnv.opts(dir, conf, "engine", engine));
        if (r.ok()) {
          Bench.progress("  %.1f s, %,.0f rows/s, peak RSS %.0f MiB, jobs per batch %s", r.number("seconds"),
              r.number("input_rows") / r.number("seconds"), BenchEnv.mib(r.peakRssBytes()), r.values().get("jobs_per_batch"));
        }
        runs.computeIfAbsent(engine, e -> new ArrayList<>()).add(r);
        FileUtils.deleteDirectory(dir.resolve("lake").toFile());
      }
    }
    Map<String, Double> rate = new LinkedHashMap<>();
    for (String engine : ENGINES) {
      List<ChildJvm.Result> ok = runs.get(engine).stream().filter(ChildJvm.Result::ok).toList();
      double eps = Stats.median(ok.stream().map(r -> r.number("input_rows") / r.number("seconds")).toList());
      rate.put(engine, eps);
      String label = LABELS.get(engine);
      env.report.add(section, label + ": time", Stats.median(ok.stream().map(r -> r.number("seconds")).toList()), "s", "median");
      env.report.add(section, label + ": events/s", eps, "events/s", "median");
      env.report.add(section, label + ": events/s per core", eps / CORES, "events/s/core", "local[" + CORES + "]");
      env.report.add(section, label + ": peak RSS", BenchEnv.mib(Stats.median(ok.stream().map(r -> (double) r.peakRssBytes()).toList())), "MiB", "median");
      env.report.add(section, label + ": Spark jobs per batch", Stats.median(jobs(ok, "jobs_per_batch")), "jobs", "median over batches");
      if (engine.equals("tributary")) {
        env.report.add(section, label + ": jobs labelled 'ingest clickstream batch N'",
            Stats.median(jobs(ok, "labelled_jobs_per_batch")), "jobs", "median over batches");
      }
    }
    env.report.add(section, "ratio Tributary / baseline A (throughput)", rate.get("tributary") / rate.get("baseline-a"), "x", "target >= 0.85");
    env.report.add(section, "ratio Tributary / baseline B (throughput)", rate.get("tributary") / rate.get("baseline-b"), "x", "");
  }

  /**
   * The same batch into silver holding the history (same dates) vs into an empty silver. Each measured child first
   * lands a small warm-up file (so the measured batch pays no JIT or first-use cost, and the empty silver has its
   * tables), then the batch; only the batch is reported.
   */
  void scaleCheck(HistoryLake lake) throws IOException, InterruptedException {
    Map<String, List<Double>> batchMs = new LinkedHashMap<>();
    for (int round = 1; round <= env.scale.rounds(); round++) {
      for (String kind : List.of("empty", "full")) {
        if (kind.equals("empty")) {
          lake.fresh();
        } else {
          lake.restoreHistory();
        }
        LakeCopy.linkInto(env.data.warmup(), lake.landing(), "warmup-");
        Bench.progress("[scale %d/%d] batch into %s silver", round, env.scale.rounds(), kind);
        ChildJvm.Result r = env.child(env.work.resolve("scale"), "scale-" + kind + "-" + round, env.scale.ingestHeap(),
            "ingest", BenchEnv.opts(lake.work(), lake.conf(), "engine", "tributary", "then", env.data.batch().toString()));
        if (r.ok()) {
          double ms = ((List<?>) r.values().get("tributary_batch_ms")).stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
          batchMs.computeIfAbsent(kind, k -> new ArrayList<>()).add(ms);
          Bench.progress("  batch took %.0f ms", ms);
        }
      }
    }
    String section = "scale check";
    double empty = Stats.median(batchMs.getOrDefault("empty", List.of()));
    double full = Stats.median(batchMs.getOrDefault("full", List.of()));
    long[] batch = Datasets.size(env.data.batch());
    env.report.add(section, String.format("batch of %,d lines into an empty silver", batch[1]), empty, "ms", "median");
    env.report.add(section, String.format("same batch into silver holding %,d events of the same dates",
        env.scale.historyEvents()), full, "ms", "median");
    env.report.add(section, "ratio full / empty", full / empty, "x", "target <= 1.2");
  }

  private static void produce(String bootstrap, Path input) throws IOException {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (Path f : Datasets.files(input)) {
        try (Stream<String> lines = Files.lines(f)) {
          lines.forEach(l -> producer.send(new ProducerRecord<>(TOPIC, l)));
        }
      }
      producer.flush();
    }
  }

  private static List<Double> jobs(List<ChildJvm.Result> runs, String key) {
    List<Double> out = new ArrayList<>();
    for (ChildJvm.Result r : runs) {
      Object v = r.values().get(key);
      if (v instanceof List<?> l) {
        l.forEach(x -> out.add(((Number) x).doubleValue()));
      }
    }
    return out;
  }
}
