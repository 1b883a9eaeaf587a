package io.tributary.cli;

import io.tributary.config.TributaryConfig;
import io.tributary.layout.LakeLayout;
import io.tributary.models.ModelStore;
import io.tributary.models.ModelVersion;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary models}: the saved model versions under {@code models/} in the lake. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"List the models analysis jobs saved under models/JOB/MODEL/vN/ in the lake: one line per "
        + "version with when it was trained, the algorithm and its validation metric, then its directory "
        + "(the fitted pipeline is in model/, what made it in metadata.json)."})
final class ModelsCommand extends SparkCommand {
  private static final String LINE = "%-12s  %-14s  %4s  %-20s  %-10s  %-14s  %s%n";

  @Option(names = {"-j", "--job"}, paramLabel = "NAME", description = "Only this job's models.")
  String job;

  @Override
  protected boolean writesLake() {
    return false;
  }

  @Override
  protected int run(SparkSession spark, TributaryConfig config) {
    List<ModelVersion> versions = ModelStore.list(spark, new LakeLayout(config.lake().root())).stream()
        .filter(v -> job == null || v.job().equals(job)).toList();
    print(versions, System.out);
    return ExitCodes.OK;
  }

  static void print(List<ModelVersion> versions, PrintStream out) {
    if (versions.isEmpty()) {
      out.println("no saved models");
      return;
    }
    out.printf(LINE, "JOB", "MODEL", "VER", "TRAINED (UTC)", "ALGORITHM", "METRIC", "RUN");
    for (ModelVersion v : versions) {
      Map<String, Object> m = v.metadata();
      String trained = String.valueOf(m.get("run_time"));
      out.printf(LINE, v.job(), v.model(), "v" + v.version(),
          trained.length() >= 16 ? trained.substring(0, 16).replace('T', ' ') : trained, m.get("algorithm"),
          metric(m), v.runId());
      out.println("  " + v.path());
    }
  }

  /** AUC for a classifier, k for a clustering. */
  private static String metric(Map<String, Object> m) {
    if (m.get("metrics") instanceof Map<?, ?> metrics && metrics.get("auc") instanceof Number auc) {
      return String.format("auc=%.3f", auc.doubleValue());
    }
    if (m.get("k") instanceof Number k) {
      return "k=" + k;
    }
    return "-";
  }
}
