package io.tributary.cli;

import io.tributary.analyze.AnalyzeOptions;
import io.tributary.config.ConfigException;
import io.tributary.config.TributaryConfig;
import io.tributary.layout.LakeLayout;
import io.tributary.schedule.Days;
import io.tributary.schedule.JobLease;
import io.tributary.schedule.ScheduledAnalyze;
import java.time.Clock;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary analyze}: runs one analysis job over the stored history, or over days of it. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
    description = {"Run an analysis job from conf/jobs over its input table and write the results to gold Delta tables.",
        "By default the run is incremental: it reads only days not analysed yet (plus the last one again) and merges "
            + "them with the stored state. Re-running replaces the same windows, never duplicates them.",
        "--date runs one UTC day; --from/--to backfills days in order, each committed on its own, and a re-run "
            + "resumes at the first day not committed. Two runs of one job never overlap (a lease under the lake)."},
    footer = {"", "Exit codes: 0 done, 1 failed, 2 invalid command line or configuration,",
        "75 another run of the job holds its lock, 99 nothing to do."})
final class AnalyzeCommand extends SparkCommand {
  @Option(names = {"-j", "--job"}, required = true, paramLabel = "NAME", description = "Job name (from conf/jobs).")
  String job;

  @Option(names = "--full", description = "Recompute everything from scratch instead of incrementally.")
  boolean full;

  @Option(names = "--date", paramLabel = "DAY",
      description = "Analyse this UTC day (YYYY-MM-DD, today or yesterday), replacing its results.")
  String date;

  @Option(names = "--from", paramLabel = "DAY", description = "Backfill: the first day (with --to).")
  String from;

  @Option(names = "--to", paramLabel = "DAY", description = "Backfill: the last day, included.")
  String to;

  @Option(names = "--as-of-version", paramLabel = "N",
      description = "Read the input table at this Delta version, to reproduce an earlier run exactly.")
  Long asOfVersion;

  @Option(names = "--as-of-timestamp", paramLabel = "TS",
      description = "Read the input table as it was at this time, e.g. 2026-03-16T12:00:00Z.")
  String asOfTimestamp;

  @Option(names = "--lease-ttl", paramLabel = "DURATION", defaultValue = "10m",
      description = "How long the job's lock outlives a crashed run, e.g. 90s, 10m, 1h (default: ${DEFAULT-VALUE}).")
  String leaseTtl;

  private Days days() {
    return Days.of(date, from, to, Clock.systemUTC());
  }

  private AnalyzeOptions options(Days days) {
    if (days != null && (full || asOfVersion != null || asOfTimestamp != null)) {
      throw new ConfigException("--date and --from/--to cannot be combined with --full, --as-of-version or "
          + "--as-of-timestamp: a day run reads the input's latest version");
    }
    return new AnalyzeOptions(full, asOfVersion, asOfTimestamp);
  }

  @Override
  protected AutoCloseable holdBeforeSpark(TributaryConfig config) {
    options(days()); // a usage error is reported before the lock is taken
    String path = new LakeLayout(config.lake().root()).lease(job);
    JobLease lease = JobLease.acquire(new Configuration(), path, "job " + job, "tributary analyze --job " + job,
        parseDuration(leaseTtl));
    lease.tookOver().ifPresent(h -> System.err.println("note: took over the lock of job " + job + " from "
        + h.describe() + ": that run ended without releasing it"));
    return lease;
  }

  @Override
  protected int run(SparkSession spark, TributaryConfig config) {
    Days days = days();
    ScheduledAnalyze.Outcome outcome = new ScheduledAnalyze(spark, config, job, System.out).run(options(days), days);
    return outcome.idle() ? ExitCodes.NOTHING_TO_DO : ExitCodes.OK;
  }

  /** {@code 90s}, {@code 10m}, {@code 1h}, or a number of seconds. */
  static Duration parseDuration(String s) {
    String v = s.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      char unit = v.charAt(v.length() - 1);
      if (Character.isDigit(unit)) {
        return positive(Duration.ofSeconds(Long.parseLong(v)), s);
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return positive(switch (unit) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException();
      }, s);
    } catch (RuntimeException e) {
      throw new ConfigException("invalid --lease-ttl '" + s + "': use e.g. 90s, 10m or 1h");
    }
  }

  private static Duration positive(Duration d, String s) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(s);
    }
    return d;
  }
}
