package io.tributary.ops;

import static org.apache.spark.sql.functions.col;

import io.tributary.config.PipelineConfig;
import io.tributary.land.DeltaTables;
import io.tributary.layout.LakeLayout;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What {@code tributary status} shows for one pipeline: its last batch, throughput over recent batches,
 * source lag and freshness, and the size of its tables (from Delta's snapshot statistics, see {@link TableStats}).
 */
public record PipelineStatus(
    String pipeline, BatchMetrics lastBatch, long recentBatches, double rowsPerSecond, Map<String, Long> recentRules,
    List<TableStats> tables) {
  private static final int RECENT = 20;

  public static PipelineStatus of(SparkSession spark, LakeLayout layout, PipelineConfig p) {
    BatchMetrics last = null;
    long recent = 0;
    double rate = 0;
    Map<String, Long> rules = new TreeMap<>();
    if (DeltaTables.exists(spark, layout.opsBatches())) {
      List<Row> rows = spark.read().format("delta").load(layout.opsBatches())
          .where(col("pipeline").equalTo(p.name())).orderBy(col("finished_at").desc(), col("batch_id").desc()).limit(RECENT).collectAsList();
      if (!rows.isEmpty()) {
        last = fromRow(rows.get(0));
        long received = 0;
        long millis = 0;
        for (Row r : rows) {
          received += r.getLong(r.fieldIndex("received"));
          millis += r.getLong(r.fieldIndex("duration_ms"));
          fromRow(r).rules().forEach((rule, n) -> rules.merge(rule, n, Long::sum));
        }
        recent = rows.size();
        rate = millis == 0 ? 0 : received * 1000.0 / millis;
      }
    }
    List<TableStats> tables = List.of(TableStats.of(spark, layout.bronze(p)), TableStats.of(spark, layout.silver(p)),
        TableStats.of(spark, layout.quarantine(p)));
    return new PipelineStatus(p.name(), last, recent, rate, rules, tables);
  }

  private static BatchMetrics fromRow(Row r) {
    return new BatchMetrics(r.getString(r.fieldIndex("pipeline")), r.getLong(r.fieldIndex("batch_id")),
        r.getString(r.fieldIndex("checkpoint_id")), r.getTimestamp(r.fieldIndex("started_at")),
        r.getTimestamp(r.fieldIndex("finished_at")), r.getLong(r.fieldIndex("duration_ms")),
        r.getLong(r.fieldIndex("received")), r.getLong(r.fieldIndex("bronze_rows")), r.getLong(r.fieldIndex("silver_rows")),
        r.getLong(r.fieldIndex("quarantined")), r.getLong(r.fieldIndex("duplicates")), r.getLong(r.fieldIndex("replayed")),
        r.getBoolean(r.fieldIndex("reconciled")), r.getTimestamp(r.fieldIndex("max_event_time")), (Long) r.get(r.fieldIndex("freshness_seconds")),
        (Long) r.get(r.fieldIndex("source_lag")),
        // Rows written before ops had the column read it as null.
        r.isNullAt(r.fieldIndex("warnings")) ? 0 : r.getLong(r.fieldIndex("warnings")),
        r.isNullAt(r.fieldIndex("rules")) ? Map.of() : r.getJavaMap(r.fieldIndex("rules")));
  }

  public void print(PrintStream out) {
    out.printf("pipeline %s%n", pipeline);
    if (lastBatch == null) {
      out.println("  no batches yet: run `tributary ingest --pipeline " + pipeline + "`");
    } else {
      out.printf("  last batch   #%d finished %s: received %,d, silver %,d, quarantined %,d, duplicates %,d%n",
          lastBatch.batchId(), lastBatch.finishedAt(), lastBatch.received(), lastBatch.silverRows(),
          lastBatch.quarantined(), lastBatch.duplicates());
      out.printf("  throughput   %,.0f rows/s over the last %d batches%n", rowsPerSecond, recentBatches);
      out.printf("  rules        %s%n", recentRules.isEmpty() ? "no record failed or warned in the last " + recentBatches + " batches"
          : String.join(", ", recentRules.entrySet().stream().map(e -> String.format("%s %,d", e.getKey(), e.getValue())).toList())
              + " (records over the last " + recentBatches + " batches)");
      out.printf("  source lag   %s%n", lastBatch.sourceLag() == null ? "n/a (directory source)" : lastBatch.sourceLag() + " records");
      out.printf("  freshness    %s%n", lastBatch.maxEventTime() == null ? "n/a"
          : "newest event " + lastBatch.maxEventTime() + " (" + lastBatch.freshnessSeconds() + " s before the batch ended)");
    }
    for (TableStats t : tables) {
      out.printf("  %-60s %s%n", t.path(), t.exists()
          ? String.format("%s, %d files, %,d bytes (avg file %,d bytes), version %d", t.rowsText(), t.files(), t.bytes(),
              t.averageFileBytes(), t.version())
          : "not created yet");
    }
  }
}
