package io.tributary.bench;

import static org.apache.spark.sql.functions.col;

import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.config.TributaryConfig;
import io.tributary.generate.ClickstreamGenerator;
import io.tributary.generate.Generation;
import io.tributary.generate.GeneratorSpec;
import io.tributary.ingest.IngestRunner;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.BatchMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Small batches under a steady trickle: a continuous Tributary query with the pipeline's trigger (1 s in the
 * bench's pipeline file) while a writer drops a small file of generated events into the landing directory
 * every 100 ms (written under a hidden name, then renamed, so it appears atomically).
 *
 * <p>Freshness of a file = the moment a silver query first sees its rows minus the moment it was renamed into
 * the landing directory. A poller lists silver's Delta log every {@value #POLL_MS} ms and notes when each
 * version first appeared (a query sees exactly the latest committed version); after the run, each version's
 * {@code _source} values are read by time travel to learn which files it made visible. Resolving files after
 * the run keeps the probe from competing with the ingest for the two cores. The clock starts once a first
 * warm-up file has landed (the first batch pays for JIT and creating the tables); files written during the
 * following {@code warmup} seconds are left out of the figures too, as are batches started in them.
 */
final class FreshnessProbe {
  static final long POLL_MS = 200;
  private static final long FILE_EVERY_MS = 100;

  private FreshnessProbe() {}

  static Map<String, Object> run(SparkSession spark, TributaryConfig config, Map<String, String> opts) throws Exception {
    int seconds = Integer.parseInt(opts.get("seconds"));
    int warmup = Integer.parseInt(opts.get("warmup"));
    int rate = Integer.parseInt(opts.get("rate"));
    PipelineConfig pipeline = PipelineLoader.find(config.pipelinesPath(), "clickstream");
    LakeLayout layout = new LakeLayout(config.lake().root());
    Path landing = Path.of(pipeline.source().directory().path());
    Path log = Path.of(layout.silver(pipeline), "_delta_log");
    List<BatchMetrics> batches = Collections.synchronizedList(new ArrayList<>());

    StreamingQuery query = new IngestRunner(spark, layout, batches::add).start(pipeline, false);
    Map<Long, Long> versionSeenAt = new ConcurrentHashMap<>();
    Thread poller = new Thread(() -> poll(log, versionSeenAt), "freshness-poller");
    poller.setDaemon(true);
    poller.start();

    int perFile = Math.max(1, (int) (rate * FILE_EVERY_MS / 1000));
    int files = (int) (seconds * 1000L / FILE_EVERY_MS);
    GeneratorSpec spec = GeneratorSpec.defaults().clean().withSeed(991).withDays(3)
        .withEventsPerDay(Math.max(1000, perFile * (files + 1)));
    Generation events = new ClickstreamGenerator(spec).generate();
    // The query's first batch pays for JIT and creating the tables: let it pass before the clock starts.
    writeFile(landing, "w-000000.jsonl", events, perFile);
    long firstBatchDeadline = System.currentTimeMillis() + 180_000;
    while (!landedAny(batches) && System.currentTimeMillis() < firstBatchDeadline) {
      Thread.sleep(100);
    }
    long startMs = System.currentTimeMillis();
    long warmupEndMs = startMs + warmup * 1000L;
    Map<String, Long> renamedAt = write(landing, events, perFile, files);
    // Wait for the last files to land (or give up after 60 s and report what is missing).
    Map<String, Long> visibleAt = new TreeMap<>();
    Map<Long, Long> resolved = new TreeMap<>();
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      Thread.sleep(1000);
      resolve(spark, layout.silver(pipeline), versionSeenAt, resolved, visibleAt);
      if (visibleAt.keySet().containsAll(renamedAt.keySet())) {
        break;
      }
    }
    query.stop();

    List<Long> freshness = new ArrayList<>();
    int missing = 0;
    for (Map.Entry<String, Long> f : renamedAt.entrySet()) {
      if (f.getValue() < warmupEndMs) {
        continue;
      }
      Long seen = visibleAt.get(f.getKey());
      if (seen == null) {
        missing++;
      } else {
        freshness.add(seen - f.getValue());
      }
    }
    List<Long> batchMs = new ArrayList<>();
    synchronized (batches) {
      for (BatchMetrics b : batches) {
        if (b.received() > 0 && b.startedAt().getTime() >= warmupEndMs) {
          batchMs.add(b.durationMs());
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("files_written", renamedAt.size());
    out.put("events_per_second", rate);
    out.put("files_measured", freshness.size());
    out.put("files_missing", missing);
    out.put("batches_measured", batchMs.size());
    out.put("batch_ms_p50", Stats.median(batchMs));
    out.put("freshness_ms_p50", Stats.quantile(freshness, 0.5));
    out.put("freshness_ms_p99", Stats.quantile(freshness, 0.99));
    out.put("freshness_ms_max", freshness.stream().mapToLong(Long::longValue).max().orElse(-1));
    return out;
  }

  private static boolean landedAny(List<BatchMetrics> batches) {
    synchronized (batches) {
      return batches.stream().anyMatch(b -> b.received() > 0);
    }
  }

  /** Writes one file of {@code perFile} events every 100 ms, {@code files} times; returns their rename times. */
  private static Map<String, Long> write(Path landing, Generation events, int perFile, int files)
      throws IOException, InterruptedException {
    Map<String, Long> renamedAt = new LinkedHashMap<>();
    long next = System.currentTimeMillis();
    for (int i = 0; i < files && events.hasNext(); i++) {
      String name = String.format("f-%06d.jsonl", i);
      writeFile(landing, name, events, perFile);
      renamedAt.put(name, System.currentTimeMillis());
      next += FILE_EVERY_MS;
      long sleep = next - System.currentTimeMillis();
      if (sleep > 0) {
        Thread.sleep(sleep);
      }
    }
    return renamedAt;
  }

  /** Writes the next {@code lines} events under a hidden name, then renames the file into place. */
  private static void writeFile(Path landing, String name, Generation events, int lines) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < lines && events.hasNext(); j++) {
      sb.append(events.next().line()).append('\n');
    }
    Path tmp = landing.resolve("." + name + ".tmp");
    Files.writeString(tmp, sb);
    Files.move(tmp, landing.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Notes the first time each Delta version of silver is seen, every POLL_MS, until interrupted. */
  private static void poll(Path log, Map<Long, Long> versionSeenAt) {
    while (!Thread.currentThread().isInterrupted()) {
      long now = System.currentTimeMillis();
      if (Files.isDirectory(log)) {
        try (Stream<Path> files = Files.list(log)) {
          files.map(p -> p.getFileName().toString())
              .filter(n -> n.matches("\\d{20}\\.json"))
              .forEach(n -> versionSeenAt.putIfAbsent(Long.parseLong(n.substring(0, 20)), now));
        } catch (IOException | java.io.UncheckedIOException e) {
          // A file renamed while listing; the next poll sees it.
        }
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Adds to {@code visible}, for every landing file name in silver, when the first version holding it was seen;
   * versions already in {@code resolved} are not read again.
   */
  private static void resolve(SparkSession spark, String silver, Map<Long, Long> versionSeenAt,
      Map<Long, Long> resolved, Map<String, Long> visible) {
    for (Map.Entry<Long, Long> v : new TreeMap<>(versionSeenAt).entrySet()) {
      if (resolved.containsKey(v.getKey())) {
        continue;
      }
      resolved.put(v.getKey(), v.getValue());
      List<Row> sources = spark.read().format("delta").option("versionAsOf", v.getKey()).load(silver)
          .select(col("_source")).distinct().collectAsList();
      for (Row r : sources) {
        String s = r.getString(0);
        if (s != null) {
          visible.putIfAbsent(s.substring(s.lastIndexOf('/') + 1), v.getValue());
        }
      }
    }
  }
}
