package io.tributary.cli;

import io.tributary.config.PipelineConfig;
import io.tributary.config.TributaryConfig;
import io.tributary.layout.LakeLayout;
import io.tributary.maintain.Erasure;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary erase}: a person's records out of a pipeline's tables (right to erasure). */
@Command(name = "erase", mixinStandardHelpOptions = true,
    description = {"Delete every record of a pipeline whose FIELD holds VALUE: from bronze and quarantine (matched in "
        + "the raw payload) and from silver (matched on the pseudonym when FIELD is a PII field). Rows are removed "
        + "from the current table versions and from the files that hold them; older versions keep them until "
        + "VACUUM deletes those files (`tributary maintain` after the retention period). Gold tables hold aggregates; "
        + "re-run `analyze --full` if a job profiles the field itself. With --dry-run it only counts the records."})
final class EraseCommand extends SparkCommand {
  @picocli.CommandLine.Mixin PipelineOption pipeline;

  @Option(names = "--field", paramLabel = "FIELD", required = true, description = "The schema field, e.g. user_id.")
  String field;

  @Option(names = "--value", paramLabel = "VALUE", required = true, description = "The value in clear, as the source sent it.")
  String value;

  @Override
  protected boolean supportsLocalDryRun() {
    return true;
  }

  @Override
  protected int run(SparkSession spark, TributaryConfig config) {
    PipelineConfig p = pipeline.load(config);
    List<Erasure.Result> results = Erasure.erase(spark, new LakeLayout(config.lake().root()), p, field, value, dryRun);
    long total = 0;
    for (Erasure.Result r : results) {
      System.out.printf("  %-11s %,d record(s) %s%n", r.table(), r.rows(), dryRun ? "match" : "erased");
      total += r.rows();
    }
    if (!dryRun && total > 0) {
      System.out.println("Erased from the current versions. Older table versions still hold these records until their "
          + "files are vacuumed: run `tributary maintain` once the retention (168 h by default) has passed; after "
          + "that no time travel reaches them.");
    }
    return total == 0 ? ExitCodes.NOTHING_TO_DO : ExitCodes.OK;
  }
}
