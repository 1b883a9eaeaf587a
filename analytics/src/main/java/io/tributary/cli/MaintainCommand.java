package io.tributary.cli;

import io.tributary.config.PipelineConfig;
import io.tributary.config.TributaryConfig;
import io.tributary.layout.LakeLayout;
import io.tributary.maintain.CompactionPlan;
import io.tributary.maintain.Maintenance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary maintain}: compaction, VACUUM and log checkpoints; safe while ingestion runs. */
@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = {"Compact small files (optionally Z-ordered), VACUUM old files and checkpoint the Delta log of "
        + "each pipeline's tables and the ops table. Safe to run while ingestion is running.",
        "With --dry-run nothing changes: it lists, per table, the files compaction would rewrite and the files "
            + "VACUUM would delete (with a cluster profile, --dry-run prints the spark-submit command instead)."})
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

  /** Files of VACUUM DRY RUN's list printed per table; the count is always complete. */
  private static final int LISTED = 100;

  @Override
  protected boolean supportsLocalDryRun() {
    return true;
  }

  @Override
  protected int run(SparkSession spark, TributaryConfig config) {
    LakeLayout layout = new LakeLayout(config.lake().root());
    Maintenance maintenance = new Maintenance(spark);
    Double retention = noVacuum ? null : retentionHours;
    Map<String, List<String>> tables = new LinkedHashMap<>();
    for (PipelineConfig p : IngestCommand.select(config, pipelines)) {
      tables.put(layout.bronze(p), List.of());
      tables.put(layout.silver(p), zOrderBy);
      tables.put(layout.quarantine(p), List.of());
    }
    tables.put(layout.opsBatches(), List.of());
    if (dryRun) {
      System.out.println("dry run: nothing is changed");
    }
    tables.forEach((path, zOrder) -> {
      if (dryRun) {
        print(maintenance.dryRun(path, zOrder, retention, allowShortRetention));
      } else {
        print(maintenance.run(path, zOrder, retention, allowShortRetention));
      }
    });
    return 0;
  }

  private static void print(Maintenance.Result r) {
    if (r.existed()) {
      System.out.printf("%-60s compacted %d files into %d, vacuumed %d files%n", r.path(), r.filesRemoved(),
          r.filesAdded(), r.filesVacuumed());
    }
  }

  private void print(Maintenance.DryRun d) {
    if (!d.existed()) {
      return;
    }
    CompactionPlan c = d.compaction();
    System.out.printf("%-60s would compact %d files (%,d bytes) in %d partitions; VACUUM would delete %s%n", d.path(),
        c.files(), c.bytes(), c.partitions(), noVacuum ? "nothing (--no-vacuum)" : d.vacuumFiles().size() + " files");
    d.vacuumFiles().stream().limit(LISTED).forEach(f -> System.out.println("  " + f));
    if (d.vacuumFiles().size() > LISTED) {
      System.out.printf("  ... and %d more%n", d.vacuumFiles().size() - LISTED);
    }
  }
}
