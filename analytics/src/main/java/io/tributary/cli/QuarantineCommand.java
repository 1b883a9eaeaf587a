package io.tributary.cli;

import io.tributary.config.PipelineConfig;
import io.tributary.config.TributaryConfig;
import io.tributary.land.PipelineTable;
import io.tributary.land.QuarantineReplay;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.QuarantineSummary;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary quarantine summary|replay}: see what a pipeline rejected, and land it once it is fixed. */
@Command(name = "quarantine", mixinStandardHelpOptions = true,
    description = "Work with a pipeline's quarantine: what it holds by rule and reason, and replaying records after "
        + "a fix of the schema, the typing or the rules.",
    subcommands = {QuarantineCommand.Summary.class, QuarantineCommand.Replay.class})
final class QuarantineCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: summary or replay");
  }

  @Command(name = "summary", mixinStandardHelpOptions = true,
      description = {"Group the pipeline's quarantined records by rule and by reason (values blanked), with counts, "
          + "first and last arrival and two example records each (file:line or partition offset). Records a replay "
          + "landed are counted apart."})
  static final class Summary extends SparkCommand {
    @picocli.CommandLine.Mixin PipelineOption pipeline;

    @Option(names = "--where", paramLabel = "SQL", description = "Only records matching this condition over "
        + "quarantine's columns, e.g. \"ingest_date >= '2026-03-01'\".")
    String where;

    @Override
    protected boolean writesLake() {
      return false;
    }

    @Override
    protected int run(SparkSession spark, TributaryConfig config) {
      PipelineConfig p = pipeline.load(config);
      QuarantineSummary.of(spark, PipelineTable.QUARANTINE.path(new LakeLayout(config.lake().root()), p), p.name(), where)
          .print(System.out);
      return ExitCodes.OK;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = {"Parse and validate quarantined records again with the pipeline's current schema, typing and "
          + "rules. Those that pass land in silver exactly once (de-duplicated against silver like any batch); "
          + "every replayed record is marked in quarantine (replay_status landed, duplicate or failed; failed ones "
          + "carry their new reasons). A replay killed midway is finished by the next run; running it again "
          + "lands nothing twice. With --dry-run it only counts what would happen."})
  static final class Replay extends SparkCommand {
    @picocli.CommandLine.Mixin PipelineOption pipeline;

    @Option(names = "--where", paramLabel = "SQL", description = "Only records matching this condition over "
        + "quarantine's columns, e.g. \"exists(errors, e -> e.rule = 'type')\".")
    String where;

    @Override
    protected boolean supportsLocalDryRun() {
      return true;
    }

    @Override
    protected int run(SparkSession spark, TributaryConfig config) {
      PipelineConfig p = pipeline.load(config);
      QuarantineReplay.Outcome o = new QuarantineReplay(spark, new LakeLayout(config.lake().root()), p).run(where, dryRun);
      if (o.quarantineVersion() < 0) {
        System.out.println("quarantine of " + p.name() + " does not exist yet: nothing to replay");
        return ExitCodes.NOTHING_TO_DO;
      }
      System.out.printf("%s%s quarantine of %s at version %d: %,d records selected, %,d %s silver, %,d already in "
              + "silver (duplicates), %,d still failing%s%n",
          o.resumed() ? "finished an interrupted replay: " : "", dryRun ? "dry run, nothing written:" : "replayed",
          p.name(), o.quarantineVersion(), o.selected(), o.landed(), dryRun ? "would land in" : "landed in",
          o.duplicates(), o.failed(), o.failedByRule().isEmpty() ? "" : " " + o.failedByRule());
      if (o.resumed()) {
        System.out.println("run the replay again for a new selection");
      }
      return o.selected() == 0 ? ExitCodes.NOTHING_TO_DO : ExitCodes.OK;
    }
  }
}
