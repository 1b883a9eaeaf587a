package io.tributary.schedule;

import io.tributary.analyze.AnalyzeOptions;
import io.tributary.analyze.AnalyzeRunner;
import io.tributary.analyze.RunSummary;
import io.tributary.config.TributaryConfig;
import io.tributary.land.Faults;
import io.tributary.layout.LakeLayout;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code tributary analyze} as a scheduler runs it: one run (incremental, full, a reproduction or one day) or a
 * backfill of days in order, each day its own all-or-nothing {@link AnalyzeRunner} run, and every attempt
 * recorded in the run history ({@link RunHistory}), failures included.
 *
 * <p>A backfill skips the days whose last attempt in the history succeeded (said so, with the run that did
 * it), so re-running the same command after a failure or a kill resumes at the first day not committed. A day
 * run is committed before its history row is written; a kill between the two only costs a recomputation of
 * that day on resume, which replaces the same rows.
 */
public final class ScheduledAnalyze {
  /** What the command did. */
  public record Outcome(int committed, int skipped, int nothingToDo) {
    /** Nothing was analysed: no new data, no events on the day, or every day already committed. */
    public boolean idle() {
      return committed == 0;
    }
  }

  private final SparkSession spark;
  private final TributaryConfig config;
  private final String job;
  private final RunHistory history;
  private final PrintStream out;

  public ScheduledAnalyze(SparkSession spark, TributaryConfig config, String job, PrintStream out) {
    this.spark = spark;
    this.config = config;
    this.job = job;
    this.history = new RunHistory(spark, new LakeLayout(config.lake().root()));
    this.out = out;
  }

  /** Runs {@code days} (null: one run as {@code options} say) and records each attempt. */
  public Outcome run(AnalyzeOptions options, Days days) {
    if (days == null) {
      String mode = options.pinned() ? "reproduction" : options.full() ? "full" : "incremental";
      return count(attempt(options, mode, null));
    }
    int committed = 0;
    int skipped = 0;
    int idle = 0;
    for (LocalDate day : days.list()) {
      Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant end = start.plus(Duration.ofDays(1));
      if (days.backfill()) {
        Optional<Row> done = history.lastSucceeded(job, start, end);
        if (done.isPresent()) {
          out.printf("analyze %s: %s already committed by run %s at %s; skipped%n", job, day,
              done.get().getString(0), done.get().getTimestamp(1).toInstant());
          skipped++;
          continue;
        }
      }
      RunSummary s = attempt(AnalyzeOptions.day(day), days.backfill() ? "backfill" : "date", day);
      if (s.empty()) {
        idle++;
      } else {
        committed++;
      }
      Faults.at("committed:" + day);
    }
    if (days.backfill()) {
      out.printf("analyze %s: backfill %s..%s: %d day(s) committed, %d skipped (already committed), %d without "
          + "events%n", job, days.first(), days.last(), committed, skipped, idle);
    }
    return new Outcome(committed, skipped, idle);
  }

  private static Outcome count(RunSummary s) {
    return s.empty() ? new Outcome(0, 0, 1) : new Outcome(1, 0, 0);
  }

  /** One analysis run with its history row; a failure is recorded, then rethrown unchanged. */
  private RunSummary attempt(AnalyzeOptions options, String mode, LocalDate day) {
    Instant started = Instant.now();
    Instant windowStart = day == null ? null : day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant windowEnd = day == null ? null : windowStart.plus(Duration.ofDays(1));
    RunSummary summary = null;
    Throwable failure = null;
    try {
      if (day != null) {
        Faults.at("started:" + day);
      }
      summary = AnalyzeRunner.run(spark, config, job, options);
      summary.print(out);
      return summary;
    } catch (RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      try {
        if (summary != null && day == null && !summary.empty()) {
          windowStart = summary.from();
          windowEnd = summary.to();
        }
        history.append(entry(mode, windowStart, windowEnd, started, summary, failure));
      } catch (RuntimeException h) {
        if (failure == null) {
          throw h;
        }
        failure.addSuppressed(h); // the run's own error is the one to report
      }
    }
  }

  private RunHistory.Entry entry(String mode, Instant windowStart, Instant windowEnd, Instant started,
      RunSummary s, Throwable failure) {
    String status = failure != null ? RunHistory.FAILED : s.empty() ? RunHistory.NOTHING_TO_DO
        : RunHistory.SUCCEEDED;
    Map<String, Long> inputs = s == null ? null : Map.of(s.input(), s.inputVersion());
    return new RunHistory.Entry(job, mode, windowStart, windowEnd, s == null ? null : s.runId(), started,
        Instant.now(), status, s == null ? null : s.goldRows(), inputs, failure == null ? null : firstLine(failure),
        applicationId());
  }

  private String applicationId() {
    return spark.sparkContext().master().startsWith("yarn") ? spark.sparkContext().applicationId() : null;
  }

  /** The first non-empty message in the cause chain, else the exception's simple name. */
  static String firstLine(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        Optional<String> line = t.getMessage().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
        if (line.isPresent()) {
          return line.get();
        }
      }
    }
    return e.getClass().getSimpleName();
  }
}
