package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.FileUtils;

/**
 * The analysis job over the stored history: Tributary's full profile + correlation run vs DuckDB on the same
 * Parquet files, then the incremental run after one new day vs a full recompute. Every analysis JVM runs with
 * {@code -Xmx1g}, the driver heap cap.
 */
final class AnalyticsBench {
  private final BenchEnv env;

  AnalyticsBench(BenchEnv env) {
    this.env = env;
  }

  void run(HistoryLake lake) throws IOException, InterruptedException {
    lake.restoreHistory();
    Path work = lake.work();
    Path conf = lake.conf();
    Path logs = env.work.resolve("analytics");
    Path fileList = logs.resolve("silver-files.txt");
    Path job = conf.resolve("jobs/" + AnalyticsRuns.JOB + ".yaml");
    List<ChildJvm.Result> spark = new ArrayList<>();
    List<ChildJvm.Result> duck = new ArrayList<>();
    for (int round = 1; round <= env.scale.rounds(); round++) {
      Bench.progress("[analytics %d/%d] Tributary full profile + correlation (-Xmx%s)", round, env.scale.rounds(), Scale.ANALYSIS_HEAP);
      // The first run also lists silver's Parquet files for DuckDB (after its timing).
      spark.add(report(env.child(logs, "analyze-full-" + round, Scale.ANALYSIS_HEAP, "analyze",
          BenchEnv.opts(work, conf, "mode", "full", "listFiles", round == 1 ? fileList.toString() : ""))));
      Bench.progress("[analytics %d/%d] DuckDB, same statistics on the same Parquet files", round, env.scale.rounds());
      duck.add(report(env.child(logs, "duckdb-" + round, Scale.ANALYSIS_HEAP, "duckdb",
          java.util.Map.of("files", fileList.toString(), "job", job.toString()))));
    }
    String section = String.format("analytics (%,.0f events in silver)",
        spark.isEmpty() ? Double.NaN : spark.get(0).number("silver_rows"));
    double sparkS = medianSeconds(spark);
    double duckS = medianSeconds(duck);
    env.report.add(section, "Tributary profile + correlation, full run", sparkS, "s", "median");
    env.report.add(section, "DuckDB, same statistics", duckS, "s", "median");
    env.report.add(section, "ratio Tributary / DuckDB (time)", sparkS / duckS, "x", "target <= 3");
    env.report.add(section, "peak RSS Tributary analysis", BenchEnv.mib(medianRss(spark)), "MiB", "median");
    env.report.add(section, "peak RSS DuckDB", BenchEnv.mib(medianRss(duck)), "MiB", "median");

    // One new day lands; the state left by the last full run is what a daily run starts from.
    LakeCopy.linkInto(env.data.newDay(), lake.landing(), "newday-");
    Bench.progress("[analytics] landing one new day (%,d events)", env.scale.historyEventsPerDay());
    env.child(logs, "analytics-newday", env.scale.ingestHeap(), "ingest",
        BenchEnv.opts(work, conf, "engine", "tributary"));
    Path snapshot = env.work.resolve("analytics/snapshot");
    FileUtils.deleteDirectory(snapshot.toFile());
    FileUtils.moveDirectory(work.toFile(), snapshot.toFile());
    List<ChildJvm.Result> incremental = new ArrayList<>();
    List<ChildJvm.Result> recompute = new ArrayList<>();
    for (int round = 1; round <= env.scale.rounds(); round++) {
      LakeCopy.restore(snapshot, work);
      Bench.progress("[analytics %d/%d] incremental run after one new day", round, env.scale.rounds());
      incremental.add(report(env.child(logs, "analyze-incremental-" + round, Scale.ANALYSIS_HEAP,
          "analyze", BenchEnv.opts(work, conf, "mode", "incremental"))));
      LakeCopy.restore(snapshot, work);
      Bench.progress("[analytics %d/%d] full recompute including the new day", round, env.scale.rounds());
      recompute.add(report(env.child(logs, "analyze-recompute-" + round, Scale.ANALYSIS_HEAP,
          "analyze", BenchEnv.opts(work, conf, "mode", "full"))));
    }
    double inc = medianSeconds(incremental);
    double full = medianSeconds(recompute);
    env.report.add(section, "incremental run after one new day", inc, "s", "median");
    env.report.add(section, "full recompute", full, "s", "median");
    env.report.add(section, "ratio incremental / full", inc / full, "x", "target <= 0.15");
    List<ChildJvm.Result> all = new ArrayList<>(spark);
    all.addAll(incremental);
    all.addAll(recompute);
    long ok = all.stream().filter(ChildJvm.Result::ok).count();
    env.report.add(section, "analysis with a 1 GiB driver heap (-Xmx1g) succeeded",
        ok == all.size() ? "yes" : "no", "", ok + " of " + all.size() + " runs");
  }

  private static ChildJvm.Result report(ChildJvm.Result r) {
    if (r.ok()) {
      Bench.progress("  %.1f s, peak RSS %.0f MiB", r.number("seconds"), BenchEnv.mib(r.peakRssBytes()));
    }
    return r;
  }

  private static double medianSeconds(List<ChildJvm.Result> runs) {
    return Stats.median(runs.stream().filter(ChildJvm.Result::ok).map(r -> r.number("seconds")).toList());
  }

  private static double medianRss(List<ChildJvm.Result> runs) {
    return Stats.median(runs.stream().filter(ChildJvm.Result::ok).map(r -> (double) r.peakRssBytes()).toList());
  }
}
