package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Path;

/** Small batches: a continuous Tributary query with a 1 s trigger under ~1,000 events/s ({@link FreshnessProbe}). */
final class FreshnessBench {
  static final int EVENTS_PER_SECOND = 1_000;

  private final BenchEnv env;

  FreshnessBench(BenchEnv env) {
    this.env = env;
  }

  void run() throws IOException, InterruptedException {
    Path dir = env.work.resolve("freshness");
    Path conf = RunConf.write(env.projectConf, dir.resolve("conf"), dir.resolve("landing"), 1_000, "1 second");
    Bench.progress("[freshness] %d s of %,d events/s in files every 100 ms, 1 s trigger (first %d s left out)",
        env.scale.freshnessSeconds(), EVENTS_PER_SECOND, env.scale.freshnessWarmupSeconds());
    ChildJvm.Result r = env.child(dir, "freshness", env.scale.ingestHeap(), "freshness", BenchEnv.opts(dir, conf,
        "seconds", String.valueOf(env.scale.freshnessSeconds()),
        "warmup", String.valueOf(env.scale.freshnessWarmupSeconds()),
        "rate", String.valueOf(EVENTS_PER_SECOND)));
    String section = String.format("freshness (%,d events/s, 1 s trigger)", EVENTS_PER_SECOND);
    env.report.add(section, "batch duration p50", r.number("batch_ms_p50"), "ms", "target <= 1000");
    env.report.add(section, "freshness p50 (file renamed -> rows visible in silver)", r.number("freshness_ms_p50"), "ms", "");
    env.report.add(section, "freshness p99", r.number("freshness_ms_p99"), "ms", "target <= 3000");
    env.report.add(section, "files measured / not visible within 60 s",
        String.format("%.0f / %.0f", r.number("files_measured"), r.number("files_missing")), "files", "");
    env.report.add(section, "peak RSS", BenchEnv.mib(r.peakRssBytes()), "MiB", "");
    if (r.ok()) {
      Bench.progress("  batch p50 %.0f ms, freshness p50 %.0f ms, p99 %.0f ms", r.number("batch_ms_p50"),
          r.number("freshness_ms_p50"), r.number("freshness_ms_p99"));
    }
  }
}
