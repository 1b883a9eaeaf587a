package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every section of a run shares: the scale, its data sets, the project's conf/, a work directory, the child
 * launcher and the report. Sections record failed children here, so the run can end with a failure code.
 */
final class BenchEnv {
  final Scale scale;
  final Datasets data;
  final Path projectConf;
  final Path work;
  final ChildJvm jvm;
  final Report report;
  final List<String> failures = new ArrayList<>();

  BenchEnv(Scale scale, Datasets data, Path projectConf, Path work, ChildJvm jvm, Report report) {
    this.scale = scale;
    this.data = data;
    this.projectConf = projectConf;
    this.work = work;
    this.jvm = jvm;
    this.report = report;
  }

  /** Runs a child, keeps its raw figures in the report and notes a failure. */
  ChildJvm.Result child(Path dir, String name, String heap, String task, Map<String, String> opts)
      throws IOException, InterruptedException {
    ChildJvm.Result r = jvm.run(dir, name, heap, task, opts);
    report.raw(name, Map.of("ok", r.ok(), "peak_rss_bytes", r.peakRssBytes(), "wall_seconds", r.wallSeconds(),
        "values", r.values()));
    if (!r.ok()) {
      failures.add(name + " (see " + r.log() + ")");
    }
    return r;
  }

  /** Child options for a task on the lake under {@code dir} with the configuration in {@code conf}. */
  static Map<String, String> opts(Path dir, Path conf, String... more) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("lake", dir.resolve("lake").toString());
    m.put("conf", conf.toString());
    for (int i = 0; i + 1 < more.length; i += 2) {
      m.put(more[i], more[i + 1]);
    }
    return m;
  }

  static double mib(double bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
