package io.tributary.cli;

import static org.apache.spark.sql.functions.col;

import io.tributary.analyze.RunSummary;
import io.tributary.config.PipelineConfig;
import io.tributary.generate.GroundTruth;
import io.tributary.land.DeltaTables;
import io.tributary.layout.LakeLayout;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The demo's closing summary: what landed, whether it reconciles with what was generated, a few headlines. */
final class DemoReport {
  private final SparkSession spark;
  private final LakeLayout layout;
  private final PipelineConfig pipeline;
  private final RunSummary run;
  private final GroundTruth truth;

  DemoReport(SparkSession spark, LakeLayout layout, PipelineConfig pipeline, RunSummary run, GroundTruth truth) {
    this.spark = spark;
    this.layout = layout;
    this.pipeline = pipeline;
    this.run = run;
    this.truth = truth;
  }

  void print(PrintStream out) {
    Dataset<Row> silver = spark.read().format("delta").load(layout.silver(pipeline));
    Row ops = spark.read().format("delta").load(layout.opsBatches()).where(col("pipeline").equalTo(pipeline.name()))
        .selectExpr("sum(received)", "sum(silver_rows)", "sum(quarantined)", "sum(duplicates)", "sum(replayed)", "count(*)",
            "coalesce(bool_and(reconciled), true)")
        .first();
    long received = ops.getLong(0);
    long silverRows = ops.getLong(1);
    long quarantined = ops.getLong(2);
    long duplicates = ops.getLong(3);
    long replayed = ops.getLong(4);

    out.println();
    out.println("Tables under " + qualified(layout.root()) + ":");
    row(out, "bronze/" + pipeline.table("bronze"), count(layout.bronze(pipeline)), "every record as received");
    row(out, "silver/" + pipeline.table("silver"), silver.count(), "valid, de-duplicated events");
    row(out, "quarantine/" + pipeline.table("quarantine"), count(layout.quarantine(pipeline)), "rejected records, with reasons");
    row(out, "ops/batches", ops.getLong(5), "one row per ingest batch");
    run.goldRows().forEach((table, rows) -> row(out, "gold/" + table, rows, "written by this analysis run, not the table total"));
    if (run.empty()) {
      out.println("  gold/*: unchanged, the analysis had nothing new to do"
          + (run.nothingToDo() == null ? "" : " (" + run.nothingToDo() + ")"));
    }

    out.println();
    // Each batch checked its counts against the rows Delta says it committed (ops.reconciled); the sum alone
    // would hold by construction.
    boolean reconciles = ops.getBoolean(6) && received == silverRows + quarantined + duplicates + replayed;
    out.printf("Reconciliation: received %,d = silver %,d + quarantined %,d + duplicates %,d%s  %s%n", received, silverRows,
        quarantined, duplicates, replayed > 0 ? " + replayed " + replayed : "", reconciles ? "OK" : "MISMATCH");
    if (truth != null) {
      GroundTruth.Counts c = truth.counts();
      out.printf("Against the generator's ground truth: %,d valid events generated, %,d in silver; %,d bad records "
          + "injected, %,d quarantined; %,d duplicate copies injected, %,d dropped%n", c.uniqueValidEvents(), silverRows,
          c.badRecords(), quarantined, c.duplicateCopies(), duplicates);
    }
    List<Row> reasons = spark.read().format("delta").load(layout.quarantine(pipeline))
        .selectExpr("errors[0].rule AS rule").groupBy("rule").count().orderBy(col("count").desc()).collectAsList();
    out.println("Quarantine reasons: " + String.join(", ", reasons.stream().map(r -> r.getString(0) + " " + r.getLong(1)).toList()));

    out.println();
    out.println("Headlines:");
    List<Row> types = silver.groupBy("event_type").count().orderBy(col("count").desc()).collectAsList();
    out.println("  events by type: " + String.join(", ", types.stream().map(r -> r.getString(0) + " " + String.format("%,d", r.getLong(1))).toList()));
    Row revenue = silver.where("event_type = 'purchase'").selectExpr("sum(price * quantity)", "count(*)").first();
    out.printf("  revenue: %,.2f from %,d purchases%n", revenue.isNullAt(0) ? 0.0 : revenue.getDecimal(0).doubleValue(), revenue.getLong(1));
    List<Row> countries = silver.groupBy("country").count().orderBy(col("count").desc()).limit(3).collectAsList();
    long total = Math.max(1, silverRows);
    out.println("  top countries: " + String.join(", ", countries.stream()
        .map(r -> String.format("%s %.1f%%", r.getString(0), 100.0 * r.getLong(1) / total)).toList()));
    headlineFromGold(out);

    out.println();
    out.println("Next:");
    out.println("  scripts/tributary status                      pipelines, lag, table sizes");
    out.println("  scripts/tributary analyze --job " + DemoCommand.JOB + " --help   re-run or reproduce the analysis");
    out.println("  any Delta reader: spark.read.format(\"delta\").load(\"" + qualified(layout.gold("profiles")) + "\")");
  }

  private void headlineFromGold(PrintStream out) {
    String profiles = layout.gold("profiles");
    if (DeltaTables.exists(spark, profiles)) {
      List<Row> price = spark.read().format("delta").load(profiles)
          .where("job = '" + DemoCommand.JOB + "' AND column = 'price' AND window = 'all' AND slice_key IS NULL")
          .orderBy(col("window_start").asc(), col("window_end").desc())  // the widest range: the full history
          .selectExpr("mean", "stddev", "min", "max").collectAsList();
      if (!price.isEmpty()) {
        Row p = price.get(0);
        out.printf("  price: mean %.2f, stddev %.2f, range %.2f .. %.2f (gold/profiles)%n", p.getDouble(0), p.getDouble(1),
            p.getDouble(2), p.getDouble(3));
      }
    }
    String funnel = layout.gold("funnel");
    if (DeltaTables.exists(spark, funnel)) {
      List<Row> steps = spark.read().format("delta").load(funnel)
          .where("job = '" + DemoCommand.JOB + "' AND window = 'day'")
          .groupBy("step", "step_name").agg(org.apache.spark.sql.functions.sum("units")).orderBy("step").collectAsList();
      if (steps.size() > 1 && steps.get(0).getLong(2) > 0) {
        StringBuilder line = new StringBuilder("  funnel (sessions): ");
        for (int i = 0; i < steps.size(); i++) {
          Row r = steps.get(i);
          line.append(i == 0 ? "" : " -> ").append(r.getString(1)).append(' ').append(String.format("%,d", r.getLong(2)));
          if (i > 0) {
            line.append(String.format(" (%.1f%%)", 100.0 * r.getLong(2) / steps.get(i - 1).getLong(2)));
          }
        }
        out.println(line + " (gold/funnel)");
      }
    }
    String anomalies = layout.gold("anomalies");
    if (DeltaTables.exists(spark, anomalies)) {
      List<Row> flagged = spark.read().format("delta").load(anomalies)
          .where("job = '" + DemoCommand.JOB + "' AND is_anomaly AND method = 'seasonal'")
          .select("window_start").distinct().collectAsList();
      java.util.Set<java.time.Instant> hours = new java.util.HashSet<>();
      flagged.forEach(r -> hours.add(r.getTimestamp(0).toInstant()));
      if (truth == null) {
        out.printf("  anomalies: %d hours flagged by the seasonal detector (gold/anomalies)%n", hours.size());
      } else {
        long found = truth.anomalies().stream().filter(a -> hours.contains(a.windowStart())).count();
        long injected = truth.anomalies().size();
        long other = hours.stream().filter(h -> truth.anomalies().stream().noneMatch(a -> a.windowStart().equals(h))).count();
        out.printf("  anomalies: the seasonal detector found %d of the %d injected anomalous hours, and flagged %d other "
            + "hours (gold/anomalies)%n", found, injected, other);
      }
    }
  }

  private String qualified(String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
    } catch (java.io.IOException e) {
      return path;
    }
  }

  private long count(String path) {
    return DeltaTables.exists(spark, path) ? spark.read().format("delta").load(path).count() : 0;
  }

  private static void row(PrintStream out, String table, long rows, String what) {
    out.printf("  %-28s %,12d rows   %s%n", table, rows, what);
  }
}
