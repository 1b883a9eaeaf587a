package io.tributary.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.tributary.land.DeltaTables;
import io.tributary.land.QuarantineReplay;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a pipeline's quarantine holds, grouped by rule and by reason: the reason is the message with its values
 * (quoted text, numbers) blanked, so a thousand {@code field price: '12.5' is a string ...} are one group, shown
 * with its first and last arrival and two of its records as examples. Replayed records are counted apart.
 */
public record QuarantineSummary(String pipeline, long records, Map<String, Long> replayed, List<Group> groups) {
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  /** One rule and reason: how many records, when they arrived, and the first and last as examples. */
  public record Group(String rule, String reason, long records, Timestamp first, Timestamp last, List<String> examples) {}

  public static QuarantineSummary of(SparkSession spark, String path, String pipeline, String where) {
    if (!DeltaTables.exists(spark, path)) {
      return new QuarantineSummary(pipeline, 0, Map.of(), List.of());
    }
    Dataset<Row> q = spark.read().format("delta").load(path);
    if (where != null && !where.isBlank()) {
      q = q.where(expr(where));
    }
    boolean hasReplay = List.of(q.columns()).contains(QuarantineReplay.STATUS);
    Map<String, Long> replayed = new TreeMap<>();
    long records = 0;
    for (Row r : q.groupBy(hasReplay ? col(QuarantineReplay.STATUS) : expr("CAST(NULL AS STRING)")).count().collectAsList()) {
      records += r.getLong(1);
      if (!r.isNullAt(0)) {
        replayed.put(r.getString(0), r.getLong(1));
      }
    }
    // Records landed by a replay are no longer in quarantine's work list; failed replays still are.
    Dataset<Row> open = hasReplay ? q.where(col(QuarantineReplay.STATUS).isNull().or(col(QuarantineReplay.STATUS).equalTo("failed"))) : q;
    List<Group> groups = new ArrayList<>();
    for (Row r : open.selectExpr("ingest_time", "element_at(split(source, '/'), -1) AS file", "source_offset",
            "explode(errors) AS e")
        .selectExpr("e.rule AS rule", "regexp_replace(regexp_replace(e.message, '\\'[^\\']*\\'', '\\'…\\''), "
            + "'-?[0-9]+(\\\\.[0-9]+)?', 'N') AS reason", "ingest_time",
            "concat(file, ':', source_offset, '  ', substr(e.message, 1, 100)) AS example",
            "struct(ingest_time, file, source_offset) AS arrival")
        .groupBy("rule", "reason")
        .agg(expr("count(1)"), expr("min(ingest_time)"), expr("max(ingest_time)"),
            expr("min_by(example, arrival)"), expr("max_by(example, arrival)"))
        .orderBy(col("count(1)").desc(), col("rule"), col("reason"))
        .collectAsList()) {
      List<String> examples = r.getString(5).equals(r.getString(6)) ? List.of(r.getString(5)) : List.of(r.getString(5), r.getString(6));
      groups.add(new Group(r.getString(0), r.getString(1), r.getLong(2), r.getTimestamp(3), r.getTimestamp(4), examples));
    }
    return new QuarantineSummary(pipeline, records, replayed, groups);
  }

  public void print(PrintStream out) {
    out.printf("quarantine of %s: %,d records%s%n", pipeline, records, replayed.isEmpty() ? ""
        : " (replayed: " + String.join(", ", replayed.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()) + ")");
    if (groups.isEmpty()) {
      out.println("  nothing waits in quarantine");
      return;
    }
    out.printf("  %-20s %9s  %-16s  %-16s  %s%n", "RULE", "RECORDS", "FIRST (UTC)", "LAST (UTC)", "REASON");
    for (Group g : groups) {
      out.printf("  %-20s %,9d  %-16s  %-16s  %s%n", g.rule(), g.records(), MINUTE.format(g.first().toInstant()),
          MINUTE.format(g.last().toInstant()), g.reason());
      for (String e : g.examples()) {
        out.println("      e.g. " + e);
      }
    }
  }
}
