package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.commons.io.FileUtils;

/**
 * The lake the scale check and the analytics start from: silver holding the history, landed by Tributary itself so
 * that whatever Tributary keeps beside silver is built as in production. Built once per run into a template; every
 * use restores it into the same work directory, since streaming checkpoints record absolute paths.
 */
final class HistoryLake {
  private final BenchEnv env;
  private final Path work;
  private final Path template;

  HistoryLake(BenchEnv env) {
    this.env = env;
    this.work = env.work.resolve("lake/work");
    this.template = env.work.resolve("lake/template-history");
  }

  Path work() {
    return work;
  }

  Path conf() {
    return work.resolve("conf");
  }

  Path landing() {
    return work.resolve("landing");
  }

  /** An empty lake and landing directory with the run's configuration. */
  void fresh() throws IOException {
    FileUtils.deleteDirectory(work.toFile());
    RunConf.write(env.projectConf, conf(), landing(), 10, "10 seconds");
  }

  /** The lake holding the history, building its template first when this run has none. */
  void restoreHistory() throws IOException, InterruptedException {
    if (!template.toFile().isDirectory()) {
      fresh();
      LakeCopy.linkInto(env.data.history(), landing(), "history-");
      Bench.progress("[history] Tributary lands %,d events of history (the scale check's and analytics' lake)",
          env.scale.historyEvents());
      ChildJvm.Result r = env.child(work.getParent(), "history-prepare", env.scale.ingestHeap(), "ingest",
          BenchEnv.opts(work, conf(), "engine", "tributary"));
      if (r.ok()) {
        Bench.progress("  %.1f s", r.number("seconds"));
      }
      FileUtils.moveDirectory(work.toFile(), template.toFile());
    }
    LakeCopy.restore(template, work);
  }
}
