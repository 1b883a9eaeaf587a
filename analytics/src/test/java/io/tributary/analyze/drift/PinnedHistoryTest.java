package io.tributary.analyze.drift;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.analyze.AnalysisContext;
import io.tributary.analyze.JobConfig;
import io.tributary.analyze.anomaly.AnomalyAnalysis;
import io.tributary.analyze.anomaly.AnomalySpec;
import io.tributary.gold.RunInfo;
import io.tributary.layout.LakeLayout;
import io.tributary.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Baselines before the range and metric history come from the input table at the run's pinned Delta version,
 * not its latest one. Version 0 has 10 events per hour on day 0 and 12 per hour on day 1; version 1 adds 20 per
 * hour to day 0. The run analyses day 1 pinned at version 0.
 */
class PinnedHistoryTest {
  static final Instant DAY0 = Instant.parse("2026-03-01T00:00:00Z");
  static final Instant FROM = DAY0.plusSeconds(86400);
  static final Instant TO = DAY0.plusSeconds(2 * 86400);
  static final StructType SCHEMA = StructType.fromDDL("t TIMESTAMP, event_type STRING, amount DOUBLE");

  @TempDir
  Path lake;

  @Test
  void baselinesAndHistoryAreReadAtThePinnedVersion() {
    SparkSession spark = TestSpark.get();
    String path = lake.resolve("silver/clicks").toString();
    rows(spark, 0, 10, 0).unionByName(rows(spark, 1, 12, 5)).write().format("delta").save(path);
    rows(spark, 0, 20, 100).write().format("delta").mode("append").save(path);

    JobConfig job = JobConfig.of("demo", "silver/clicks", "t", DriftSpec.of(List.of("amount"), "day"),
        AnomalySpec.defaults());
    Dataset<Row> input = spark.read().format("delta").option("versionAsOf", 0).load(path)
        .where(col("t").geq(Timestamp.from(FROM)).and(col("t").lt(Timestamp.from(TO))));
    RunInfo run = new RunInfo("r1", Instant.now(), "test", Map.of("silver/clicks", 0L));
    AnalysisContext ctx = new AnalysisContext(spark, job, input, FROM, TO, false, new LakeLayout(lake.toString()), run);

    Row ks = new DriftAnalysis(job.section(DriftSpec.class)).compute(ctx).get(DriftAnalysis.TABLE)
        .where("test = 'ks'").collectAsList().get(0);
    assertEquals(24 * 12L, ks.getLong(ks.fieldIndex("n_window")));
    assertEquals(24 * 10L, ks.getLong(ks.fieldIndex("n_baseline")), "day 0 as of version 0");
    // Amounts on day 0 are 0..9 each hour, on day 1 5..16: ECDFs differ most at 9, by 1 - 5/12.
    assertEquals(1 - 5 / 12.0, ks.getDouble(ks.fieldIndex("statistic")), 1e-12);

    Dataset<Row> anomalies = new AnomalyAnalysis(job.section(AnomalySpec.class)).compute(ctx).get(AnomalyAnalysis.TABLE);
    Row first = anomalies.where("series = '*' AND method = 'robust_z'").orderBy("window_start").first();
    assertEquals(FROM, first.getTimestamp(first.fieldIndex("window_start")).toInstant());
    assertEquals(12.0, first.getDouble(first.fieldIndex("value")));
    assertEquals(10.0, first.getDouble(first.fieldIndex("expected")), "median of day 0's hours as of version 0");
    assertEquals(24 * 2 * 2L, anomalies.count(), "day 1's hours x (view, *) x methods");

    // A range reaching past the newest event: the empty hours after it are not scored (they are no drop).
    Instant later = TO.plusSeconds(86400);
    AnalysisContext longer = new AnalysisContext(spark, job, input, FROM, later, false, new LakeLayout(lake.toString()), run);
    Row last = new AnomalyAnalysis(job.section(AnomalySpec.class)).compute(longer).get(AnomalyAnalysis.TABLE)
        .selectExpr("max(window_start)", "count(*)").first();
    assertEquals(TO.minusSeconds(3600), last.getTimestamp(0).toInstant());
    assertEquals(24 * 2 * 2L, last.getLong(1));
  }

  /** {@code perHour} view events in every hour of day {@code day}, amounts {@code offset, offset + 1, ...}. */
  static Dataset<Row> rows(SparkSession spark, int day, int perHour, int offset) {
    List<Row> rows = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      for (int i = 0; i < perHour; i++) {
        Instant t = DAY0.plusSeconds(86400L * day + 3600L * h + 60L * i);
        rows.add(RowFactory.create(Timestamp.from(t), "view", (double) (offset + i)));
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
