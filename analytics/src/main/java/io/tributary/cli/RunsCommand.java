package io.tributary.cli;

import io.tributary.config.TributaryConfig;
import io.tributary.layout.LakeLayout;
import io.tributary.schedule.RunHistory;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary runs}: the run history of analysis jobs ({@code ops/runs}), newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = {"Show the history of analysis runs (the Delta table ops/runs under the lake), newest first: "
        + "one line per attempt with its window, attempt number, status and duration, then what it wrote and "
        + "read, or its error."})
final class RunsCommand extends SparkCommand {
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
  private static final String LINE = "%-16s  %-12s  %-21s %2s  %-13s %6s%n";
  private static final int WIDTH = 78;

  @Option(names = {"-j", "--job"}, paramLabel = "NAME", description = "Only this job's runs.")
  String job;

  @Option(names = "--failed", description = "Only failed attempts.")
  boolean failed;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20",
      description = "At most N attempts (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  protected boolean writesLake() {
    return false;
  }

  @Override
  protected int run(SparkSession spark, TributaryConfig config) {
    List<Row> rows = new RunHistory(spark, new LakeLayout(config.lake().root())).newestFirst(job, failed, limit);
    print(rows, System.out);
    return ExitCodes.OK;
  }

  static void print(List<Row> rows, PrintStream out) {
    if (rows.isEmpty()) {
      out.println("no runs recorded");
      return;
    }
    out.printf(LINE, "STARTED (UTC)", "JOB", "WINDOW", "#", "STATUS", "SECS");
    for (Row r : rows) {
      Timestamp started = r.getAs("started");
      Timestamp ended = r.getAs("ended");
      long secs = Duration.between(started.toInstant(), ended.toInstant()).toSeconds();
      out.printf(LINE, MINUTE.format(started.toInstant()), cut(r.getAs("job"), 12), window(r),
          r.<Integer>getAs("attempt"), r.<String>getAs("status"), secs);
      out.println(cut("  " + detail(r), WIDTH));
    }
  }

  /** A day as {@code 2026-03-04}; a longer range as {@code 2026-03-02..03-08} (last day included). */
  private static String window(Row r) {
    Timestamp start = r.getAs("window_start");
    Timestamp end = r.getAs("window_end");
    if (start == null || end == null) {
      return "-";
    }
    String first = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(start.toInstant());
    Duration length = Duration.between(start.toInstant(), end.toInstant());
    if (length.equals(Duration.ofDays(1))) {
      return first;
    }
    String last = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(end.toInstant().minusSeconds(1));
    return first + ".." + (last.startsWith(first.substring(0, 5)) ? last.substring(5) : last);
  }

  private static String detail(Row r) {
    List<String> parts = new ArrayList<>();
    String error = r.getAs("error");
    if (error != null) {
      parts.add("error: " + error);
    }
    Map<String, Long> written = r.getJavaMap(r.fieldIndex("rows_written"));
    if (written != null && !written.isEmpty()) {
      List<String> tables = new ArrayList<>();
      new java.util.TreeMap<>(written).forEach((t, n) -> tables.add(t + " " + n));
      parts.add("rows: " + String.join(", ", tables));
    }
    Map<String, Long> inputs = r.getJavaMap(r.fieldIndex("input_versions"));
    if (inputs != null) {
      new java.util.TreeMap<>(inputs).forEach((t, v) -> parts.add(t + " v" + v));
    }
    String app = r.getAs("application_id");
    if (app != null) {
      parts.add(app);
    }
    String mode = r.getAs("mode");
    parts.add(0, mode);
    return String.join("; ", parts);
  }

  private static String cut(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 3) + "...";
  }
}
