package io.tributary.analyze;

import static org.apache.spark.sql.functions.col;

import io.tributary.config.TributaryConfig;
import io.tributary.gold.RunInfo;
import io.tributary.layout.LakeLayout;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one analysis job ({@code tributary analyze --job NAME}): reads the job's input at a pinned Delta version,
 * decides the range to analyse, runs every analysis the job declares ({@link Analyses#forJob}) and writes their
 * results to the gold tables.
 *
 * <p>The range: an incremental run (the default) analyses the days after the last run's last day plus that
 * day again, since it may have grown; a full run ({@code --full}, the first run of a job, and any run pinned
 * to an earlier version) analyses every day of the input. Either way the range starts on a boundary of the
 * largest configured window ({@link Analyses#alignment}) and ends at the end of the input's last day, so
 * every window written is whole (or, at the end, up to date) and replaces exactly what an earlier run wrote for
 * it. A day run ({@code --date}) analyses that UTC day, from the start of the largest window containing it.
 *
 * <p>Nothing to do ({@link RunSummary#nothingToDo}): an empty input, a day without events, or an incremental
 * run whose input is at the version the last committed run read, which covered the input's last day.
 *
 * <p>Analyses only compute; the runner stages all their outputs and then publishes them, all or nothing for
 * readers ({@link RunCommit}). A run pinned to an earlier version writes to a reproduction area, named in its
 * summary.
 *
 * <pre>{@code
 * RunSummary s = AnalyzeRunner.run(spark, config, "clickstream", AnalyzeOptions.incremental());
 * s.print(System.out);
 * }</pre>
 */
public final class AnalyzeRunner {
  private static final Logger LOG = LoggerFactory.getLogger(AnalyzeRunner.class);

  private AnalyzeRunner() {}

  public static RunSummary run(SparkSession spark, TributaryConfig config, String jobName, AnalyzeOptions options) {
    return run(spark, config, jobName, options, RunCommit.Hook.NONE);
  }

  /** The same, with a hook called before each table is published (tests make a run fail there). */
  static RunSummary run(SparkSession spark, TributaryConfig config, String jobName, AnalyzeOptions options,
      RunCommit.Hook hook) {
    long started = System.nanoTime();
    JobConfig job = JobLoader.find(config.jobsPath(), jobName).validated();
    LakeLayout lake = new LakeLayout(config.lake().root());
    try {
      Progress.step(spark, job.name(), "input", "opening " + job.input());
      InputSnapshot input = InputSnapshot.open(spark, lake, job, options);
      // A pinned run reproduces an old snapshot: its results go beside the current ones, never over them.
      LakeLayout layout = options.pinned() ? lake.forReproduction(job.name(), input.version()) : lake;
      String results = options.pinned() ? layout.results() : null;
      if (options.pinned()) {
        LOG.info("analyze {}: reproducing version {}; results go to {}", job.name(), input.version(), results);
      }
      RunCommit.recover(spark, layout, job.name());
      List<Analysis> analyses = Analyses.forJob(job);
      InputCheck.verify(job, input.table(), input.rows().schema(), requirements(job, analyses));
      LOG.info("analyze {}: reading {} at version {}; analyses {}", job.name(), input.table(), input.version(),
          analyses.stream().map(Analysis::name).toList());

      Progress.step(spark, job.name(), "input", "time range of " + input.table());
      Instant[] span = input.timeSpan(job.timeColumn());
      RunInfo run = RunInfo.start(Map.of(input.table(), input.version()));
      if (span == null) {
        LOG.info("analyze {}: {} version {} has no rows; nothing to analyse", job.name(), input.table(),
            input.version());
        return new RunSummary(job.name(), run.runId(), input.table(), input.version(), null, null,
            options.recomputeAll(), Map.of(), Duration.ofNanos(System.nanoTime() - started), results);
      }
      Instant lastDayEnd = TimeGrain.DAY.floor(span[1]).plus(Duration.ofDays(1));
      Instant from;
      Instant to;
      boolean full;
      String nothingToDo = null;
      if (options.day() != null) {
        // One day: its windows, and the larger windows containing it up to the day's end, from its Monday on.
        Instant day = options.day().atStartOfDay(ZoneOffset.UTC).toInstant();
        to = day.plus(Duration.ofDays(1));
        from = Analyses.alignment(job).floor(day);
        full = false;
        if (input.rows().where(col(job.timeColumn()).geq(TimeGrain.timestamp(day))
            .and(col(job.timeColumn()).lt(TimeGrain.timestamp(to)))).isEmpty()) {
          nothingToDo = input.table() + " version " + input.version() + " has no rows on " + options.day();
        }
      } else {
        Optional<RunLog.Committed> last = options.recomputeAll() ? Optional.empty()
            : RunLog.lastCommitted(spark, layout, job.name());
        full = last.isEmpty();
        to = lastDayEnd;
        Instant first = full ? span[0]
            : min(last.get().rangeTo().minus(Duration.ofDays(1)), TimeGrain.DAY.floor(span[1]));
        from = Analyses.alignment(job).floor(first);
        // The input has not changed since the last run, which covered its last day: nothing new to analyse.
        if (last.isPresent() && last.get().input().equals(input.table())
            && last.get().inputVersion() == input.version() && !last.get().rangeTo().isBefore(lastDayEnd)) {
          nothingToDo = input.table() + " version " + input.version() + " has not changed since run "
              + last.get().runId();
        }
      }
      if (nothingToDo != null) {
        LOG.info("analyze {}: {}; nothing to do", job.name(), nothingToDo);
        return new RunSummary(job.name(), run.runId(), input.table(), input.version(), null, null, full, Map.of(),
            Duration.ofNanos(System.nanoTime() - started), results, nothingToDo);
      }
      LOG.info("analyze {}: {} run over [{}, {})", job.name(), options.day() != null ? "day " + options.day()
          : full ? "full" : "incremental", from, to);

      Dataset<Row> rows = input.rows().where(col(job.timeColumn()).geq(TimeGrain.timestamp(from))
          .and(col(job.timeColumn()).lt(TimeGrain.timestamp(to))));
      Dataset<Row> history = input.rows().where(col(job.timeColumn()).lt(TimeGrain.timestamp(to)));
      AnalysisContext ctx = new AnalysisContext(spark, job, rows, from, to, full, layout, run, history);
      // Everything is computed and staged first; only then are the tables changed, all or nothing (RunCommit).
      RunCommit commit = new RunCommit(spark, layout, job.name(), run, hook);
      Map<String, Long> written = new LinkedHashMap<>();
      for (Analysis analysis : analyses) {
        Progress.step(spark, job.name(), analysis.name(), "computing");
        AnalysisResult result = analysis.compute(ctx);
        for (ModelOutput model : result.models()) {
          Progress.step(spark, job.name(), analysis.name(), "staging model " + model.name());
          commit.stage(model);
        }
        for (StateUpdate update : result.state()) {
          Progress.step(spark, job.name(), analysis.name(), "staging state " + update.table());
          commit.stage(update);
        }
        for (Map.Entry<String, Dataset<Row>> gold : result.gold().entrySet()) {
          Progress.step(spark, job.name(), analysis.name(), "staging gold/" + gold.getKey());
          long n = commit.stage(gold.getKey(), gold.getValue(), from, to);
          LOG.info("analyze {}: {}: {} rows for gold/{}", job.name(), analysis.name(), n, gold.getKey());
          written.merge(gold.getKey(), n, Long::sum);
        }
      }
      RunSummary summary = new RunSummary(job.name(), run.runId(), input.table(), input.version(), from, to, full,
          written, Duration.ofNanos(System.nanoTime() - started), results);
      commit.publish(summary);
      return summary;
    } finally {
      Progress.done(spark);
    }
  }

  /** The time column must be a TIMESTAMP; each analysis adds the columns it uses. */
  private static List<ColumnRequirement> requirements(JobConfig job, List<Analysis> analyses) {
    List<ColumnRequirement> out = new ArrayList<>();
    out.add(ColumnRequirement.timestamp(job.timeColumn(), "timeColumn"));
    for (Analysis a : analyses) {
      if (a instanceof RequiresColumns r) {
        out.addAll(r.requiredColumns());
      }
    }
    return out;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
