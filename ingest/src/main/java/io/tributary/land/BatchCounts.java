package io.tributary.land;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tributary.config.PipelineConfig;
import io.tributary.parse.EventParser;
import io.tributary.source.RawColumns;
import io.tributary.source.SplitStats;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Every figure the lander needs about a batch, from one aggregation over the persisted batch grouped by input
 * split (a Kafka partition or a file split, so only a few rows reach the driver): records, what each table
 * still needs, the event-date range and newest event time of silver's candidates, and each split's positions.
 *
 * @param records records in the batch (blank lines and CSV headers are not records)
 * @param bronzeCandidates records bronze does not hold yet
 * @param silverCandidates valid records silver does not hold yet (before de-duplication)
 * @param quarantineCandidates invalid records quarantine does not hold yet
 * @param silverDates earliest and latest event date of the silver candidates (null when there are none)
 * @param maxEventTime newest event time among the silver candidates (null when there are none)
 * @param splits per input split: lines, first row and last Kafka offset
 * @param warnings warnings (coercions of lenient fields, rules that warn) among the silver candidates
 * @param rules records per rule (contract rules and the pipeline's) that failed or warned, non-zero only
 */
public record BatchCounts(long records, long bronzeCandidates, long silverCandidates, long quarantineCandidates,
    LocalDate[] silverDates, Timestamp maxEventTime, List<SplitStats> splits, long warnings,
    Map<String, Long> rules) {

  /** Rules the parser itself applies, before the pipeline's own. */
  public static final List<String> CONTRACT_RULES =
      List.of("encoding", "parse", "type", "missing_event_id", "missing_event_time", "csv_header");

  public static BatchCounts of(Dataset<Row> rows, PipelineConfig p, String bronze, String silver, String quarantine) {
    Column forSilver = col(silver);
    List<String> ruleIds = new ArrayList<>(CONTRACT_RULES);
    p.rules().forEach(r -> ruleIds.add(r.id()));
    List<Column> perRule = new ArrayList<>();
    for (String id : ruleIds) {
      Column hit = exists(col(EventParser.ERRORS), e -> e.getField("rule").equalTo(id))
          .or(exists(col(EventParser.WARNINGS), w -> w.getField("rule").equalTo(id)));
      perRule.add(sum(when(col(RawColumns.RECORD).and(hit), 1L).otherwise(0L)));
    }
    List<Column> aggregates = new ArrayList<>(List.of(
        min(RawColumns.ROW),
        max(RawColumns.OFFSET),
        sum(when(col(RawColumns.RECORD), 1L).otherwise(0L)),
        sum(when(col(bronze), 1L).otherwise(0L)),
        sum(when(forSilver, 1L).otherwise(0L)),
        sum(when(col(quarantine), 1L).otherwise(0L)),
        min(when(forSilver, col(PipelineConfig.EVENT_DATE))),
        max(when(forSilver, col(PipelineConfig.EVENT_DATE))),
        max(when(forSilver, col(p.eventTime()))),
        sum(when(forSilver, size(col(EventParser.WARNINGS))).otherwise(0))));
    aggregates.addAll(perRule);
    List<Row> groups = rows.groupBy(RawColumns.SOURCE, RawColumns.PARTITION, RawColumns.FILE_BLOCK)
        .agg(count(lit(1)), aggregates.toArray(Column[]::new)).collectAsList();
    long records = 0;
    long toBronze = 0;
    long toSilver = 0;
    long toQuarantine = 0;
    LocalDate first = null;
    LocalDate last = null;
    Timestamp newest = null;
    long warnings = 0;
    Map<String, Long> rules = new TreeMap<>();
    List<SplitStats> splits = new ArrayList<>();
    for (Row g : groups) {
      splits.add(new SplitStats(g.getString(0), g.isNullAt(1) ? null : g.getInt(1), g.isNullAt(2) ? null : g.getLong(2),
          g.getLong(3), g.getLong(4), g.isNullAt(5) ? null : g.getLong(5)));
      records += g.getLong(6);
      toBronze += g.getLong(7);
      toSilver += g.getLong(8);
      toQuarantine += g.getLong(9);
      if (!g.isNullAt(10)) {
        LocalDate lo = ((Date) g.get(10)).toLocalDate();
        LocalDate hi = ((Date) g.get(11)).toLocalDate();
        first = first == null || lo.isBefore(first) ? lo : first;
        last = last == null || hi.isAfter(last) ? hi : last;
      }
      warnings += g.isNullAt(13) ? 0 : g.getLong(13);
      for (int i = 0; i < ruleIds.size(); i++) {
        long n = g.getLong(14 + i);
        if (n > 0) {
          rules.merge(ruleIds.get(i), n, Long::sum);
        }
      }
      if (!g.isNullAt(12)) {
        Timestamp t = g.getTimestamp(12);
        newest = newest == null || t.after(newest) ? t : newest;
      }
    }
    return new BatchCounts(records, toBronze, toSilver, toQuarantine,
        first == null ? null : new LocalDate[] {first, last}, newest, List.copyOf(splits), warnings,
        java.util.Collections.unmodifiableMap(rules));
  }
}
