package io.tributary.analyze;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.analyze.propensity.PropensityAnalysis;
import io.tributary.analyze.propensity.PropensitySpec;
import io.tributary.analyze.segmentation.SegmentationAnalysis;
import io.tributary.config.ConfigException;
import io.tributary.models.ModelStore;
import io.tributary.models.ModelVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs of ML jobs on small random data (no planted structure: these tests are about the runs, not the models):
 * reproducing metrics, saving model versions all or nothing, and one-line configuration errors.
 */
class MlRunsTest {
  static final String HEAD = "name: small\ninput: silver/clickstream\ntimeColumn: event_time\n";
  static final String FEATURES = "features:\n  categories: [books, toys, electronics]\n  devices: [mobile, desktop]\n";
  static final String JOB = HEAD + FEATURES + """
      segmentation:
        features: [share_books, share_toys, device_mobile, log_events]
        k: 3
      propensity:
        features: [recency_days, log_sessions, log_events, share_books, device_mobile]
        horizonDays: 2
        algorithms: [logistic]
        minRows: 20
        maxIter: 10
      """;

  static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  static final Instant END = Instant.parse("2026-03-10T00:00:00Z");

  @TempDir static Path dir;
  static TestLake lake;

  @BeforeAll
  static void setUp() {
    lake = new TestLake(dir);
    lake.append("silver/clickstream", Clickstream.days(LocalDate.of(2026, 3, 2), 8, 60, 3), Clickstream.SCHEMA);
    lake.writeJob("small", JOB);
  }

  @Test
  void theSameSeedAndInputVersionReproduceTheMetricsAndScores() {
    JobConfig job = JobLoader.find(lake.jobs, "small");
    Dataset<Row> input = TestLake.spark().read().format("delta").option("versionAsOf", 0)
        .load(lake.root + "/silver/clickstream");
    AnalysisContext ctx = lake.context(job, input, START, END, true);
    PropensityAnalysis analysis = job.section(PropensitySpec.class).create();
    AnalysisResult first = analysis.compute(ctx);
    AnalysisResult again = analysis.compute(ctx);
    List<Row> metrics = metrics(first);
    assertEquals(List.of("auc", "pr_auc"), metrics.stream().map(r -> r.getString(0)).toList().subList(0, 2));
    List<Row> repeated = metrics(again);
    assertEquals(metrics.size(), repeated.size());
    for (int i = 0; i < metrics.size(); i++) {
      assertEquals(metrics.get(i).getString(0), repeated.get(i).getString(0));
      assertEquals(metrics.get(i).get(1), repeated.get(i).get(1));
      // Equal up to the order in which Spark adds up partial sums.
      Double a = (Double) metrics.get(i).get(2);
      Double b = (Double) repeated.get(i).get(2);
      assertEquals(a == null, b == null, metrics.get(i).toString());
      if (a != null) {
        assertEquals(a, b, 1e-12, metrics.get(i).toString());
      }
    }
    Dataset<Row> s1 = first.get(PropensityAnalysis.SCORES).select("entity_id", "score");
    Dataset<Row> s2 = again.get(PropensityAnalysis.SCORES).select("entity_id", "score");
    assertEquals(0, s1.exceptAll(s2).count() + s2.exceptAll(s1).count());
    assertTrue(s1.count() > 100);
  }

  @Test
  void aRunThatFailsWhilePublishingLeavesNoModelVersionAndNoRows() {
    SparkSession spark = TestLake.spark();
    lake.writeJob("light", HEAD.replace("name: small", "name: light") + FEATURES
        + "segmentation:\n  features: [share_books, device_mobile]\n  k: 2\n");
    RunCommit.Hook failAtTheModel = target -> {
      if (target.endsWith("/models/light/" + SegmentationAnalysis.MODEL)) {
        throw new IllegalStateException("disk full");
      }
    };
    assertThrows(IllegalStateException.class, () -> AnalyzeRunner.run(spark, lake.config(), "light",
        AnalyzeOptions.fullRecompute(), failAtTheModel));
    assertTrue(ModelStore.versions(spark, lake.layout, "light", SegmentationAnalysis.MODEL).isEmpty());
    assertEquals(0, lake.gold(SegmentationAnalysis.SEGMENTS).where(col("job").equalTo("light")).count());
    assertEquals(0, lake.gold("features").where(col("job").equalTo("light")).count());

  }


  /** A process killed mid-publish: not an exception the runner catches and rolls back. */
  static final class Killed extends Error {}

  @Test
  void aModelVersionOfARunKilledWhilePublishingIsRemovedBeforeTheNextRun() {
    SparkSession spark = TestLake.spark();
    lake.writeJob("killed", JOB.replace("name: small", "name: killed"));
    RunCommit.Hook killAtPropensityModel = target -> {
      if (target.endsWith("/models/killed/" + PropensityAnalysis.MODEL)) {
        throw new Killed();
      }
    };
    assertThrows(Killed.class, () -> AnalyzeRunner.run(spark, lake.config(), "killed",
        AnalyzeOptions.fullRecompute(), killAtPropensityModel));
    // The segmentation model was renamed into place before the kill; nothing removed it.
    assertEquals(1, ModelStore.versions(spark, lake.layout, "killed", SegmentationAnalysis.MODEL).size());

    RunCommit.recover(spark, lake.layout, "killed"); // what the next run of the job does first
    assertTrue(ModelStore.list(spark, lake.layout).stream().noneMatch(v -> v.job().equals("killed")));
    assertEquals(0, lake.gold(SegmentationAnalysis.SEGMENTS).where(col("job").equalTo("killed")).count());
  }

  @Test
  void tooFewEntitiesToTrainFailWithTheJobAndKey() {
    lake.writeJob("few", HEAD.replace("name: small", "name: few") + FEATURES
        + "propensity:\n  features: [recency_days]\n  horizonDays: 2\n  minRows: 500\n");
    String msg = assertThrows(ConfigException.class,
        () -> AnalyzeRunner.run(TestLake.spark(), lake.config(), "few", AnalyzeOptions.fullRecompute()))
        .getMessage();
    assertTrue(msg.startsWith("job few: 'propensity.minRows' needs 500 entities with events before the training "
        + "cutoff 2026-03-06T00:00:00Z"), msg);
    assertTrue(!msg.contains("\n"), msg);
    assertTrue(ModelStore.versions(TestLake.spark(), lake.layout, "few", PropensityAnalysis.MODEL).isEmpty());
  }

  @Test
  void badConfigurationNamesTheJobAndTheKeyInOneLine() throws IOException {
    assertEquals("job bad: 'segmentation.features' names 'share_garden', which is not a feature; features: "
        + "[events, sessions, active_days, views, carts, purchases, recency_days, tenure_days, monetary, "
        + "share_books, share_toys, share_electronics, device_mobile, device_desktop, avg_basket, conversion, "
        + "log_events, log_sessions, log_monetary]",
        error(HEAD + FEATURES + "segmentation:\n  features: [share_books, share_garden]\n  k: 3\n"));
    assertEquals("job bad: 'segmentation.k' must be between 2 and 50, got 1",
        error(HEAD + FEATURES + "segmentation:\n  features: [share_books]\n  k: 1\n"));
    assertEquals("job bad: 'segmentation.kRange' must be [min, max] with 2 <= min <= max <= 50, got [5, 3]",
        error(HEAD + FEATURES + "segmentation:\n  features: [share_books]\n  kRange: [5, 3]\n"));
    assertEquals("job bad: 'propensity' needs a 'features' section in the same job (the feature definitions it "
        + "uses)", error(HEAD + "propensity:\n  features: [recency_days]\n"));
    assertEquals("job bad: 'propensity.features' must list one or more features of [events, sessions, "
        + "active_days, views, carts, purchases, recency_days, tenure_days, monetary, share_books, share_toys, "
        + "share_electronics, device_mobile, device_desktop, avg_basket, conversion, log_events, log_sessions, "
        + "log_monetary]", error(HEAD + FEATURES + "propensity:\n  horizonDays: 3\n"));
  }

  @Test
  void tooFewEntitiesToSegmentFailWithTheJobAndKey() {
    lake.writeJob("many", HEAD.replace("name: small", "name: many") + FEATURES
        + "segmentation:\n  features: [share_books]\n  k: 3\n  minRows: 100000\n");
    String msg = assertThrows(ConfigException.class,
        () -> AnalyzeRunner.run(TestLake.spark(), lake.config(), "many", AnalyzeOptions.fullRecompute()))
        .getMessage();
    assertTrue(msg.matches("job many: 'segmentation.minRows' needs 100000 entities with events before "
        + "2026-03-10T00:00:00Z; there are \\d+ \\(in .*many.yaml\\)"), msg);
  }

  /** The error of loading a job file named bad, without its file name (which is a temp path). */
  private static String error(String yaml) throws IOException {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, yaml.replace("name: small", "name: bad"));
    String msg = assertThrows(ConfigException.class, () -> JobLoader.load(f)).getMessage();
    assertTrue(!msg.contains("\n"), msg);
    return msg.replace(" (in " + f + ")", "");
  }

  private static List<Row> metrics(AnalysisResult result) {
    return result.get(PropensityAnalysis.METRICS).select("metric", "at", "value").collectAsList();
  }
}
