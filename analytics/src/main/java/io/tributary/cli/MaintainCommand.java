package io.tributary.cli;

import io.tributary.config.PipelineConfig;
import io.tributary.config.TributaryConfig;
import io.tributary.layout.LakeLayout;
import io.tributary.maintain.Maintenance;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary maintain}: compaction, VACUUM and log checkpoints; safe while ingestion runs. */
@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = {"Compact small files (optionally Z-ordered), VACUUM old files and checkpoint the Delta log of "
        + "each pipeline's tables and the ops table. Safe to run while ingestion is running."})
final class MaintainCommand extends SparkCommand {
  @Option(names = {"-p", "--pipeline"}, paramLabel = "NAME", description = "Only these pipelines. Repeatable.")
  List<String> pipelines = new ArrayList<>();

  @Option(names = "--zorder-by", paramLabel = "COLUMN", split = ",",
      description = "Z-order silver by these columns (e.g. user_id,event_type). Default: plain compaction.")
  List<String> zOrderBy = new ArrayList<>();

  @Option(names = "--retention-hours", paramLabel = "HOURS", defaultValue = "168",
      description = "VACUUM files no longer referenced for this long (default and minimum: ${DEFAULT-VALUE}).")
  double retentionHours;

  @Option(names = "--no-vacuum", description = "Skip VACUUM.")
  boolean noVacuum;

  @Option(names = "--allow-short-retention",
      description = "Permit --retention-hours below 168. Only when nothing reads or writes the tables.")
  boolean allowShortRetention;

  @Override
  protected int run(SparkSession spark, TributaryConfig config) {
    LakeLayout layout = new LakeLayout(config.lake().root());
    Maintenance maintenance = new Maintenance(spark);
    Double retention = noVacuum ? null : retentionHours;
    for (PipelineConfig p : IngestCommand.select(config, pipelines)) {
      for (String path : List.of(layout.bronze(p), layout.quarantine(p))) {
        print(maintenance.run(path, List.of(), retention, allowShortRetention));
      }
      print(maintenance.run(layout.silver(p), zOrderBy, retention, allowShortRetention));
    }
    print(maintenance.run(layout.opsBatches(), List.of(), retention, allowShortRetention));
    return 0;
  }

  private static void print(Maintenance.Result r) {
    if (r.existed()) {
      System.out.printf("%-60s compacted %d files into %d, vacuumed %d files%n", r.path(), r.filesRemoved(),
          r.filesAdded(), r.filesVacuumed());
    }
  }
}
