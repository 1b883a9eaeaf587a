package io.tributary.analyze;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.analyze.features.FeatureDefinitions;
import io.tributary.analyze.features.FeaturesAnalysis;
import io.tributary.analyze.propensity.PropensityAnalysis;
import io.tributary.analyze.segmentation.SegmentationAnalysis;
import io.tributary.config.TributaryConfig;
import io.tributary.generate.ClickstreamGenerator;
import io.tributary.generate.GeneratorSpec;
import io.tributary.models.ModelStore;
import io.tributary.models.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped ML job ({@code conf/jobs/ml.yaml}) over generated clickstream with planted segments and purchase
 * propensity: 21 days, ~3,000 events a day, 1,500 users. One full run in {@link #setUp}; the tests read its gold
 * tables and saved model, and compare what the models found with the generator's ground truth. Runs of the
 * same job that reproduce, fail or lack data are in {@link MlRunsTest}, on small data.
 */
class MlAnalysesTest {
  /** Adjusted Rand index the segments must reach against the planted ones (1 = identical, 0 = chance). */
  static final double MIN_ARI = 0.6;
  /** Validation AUC the chosen propensity model must reach (0.5 = chance). */
  static final double MIN_AUC = 0.70;
  static final StructType SILVER = StructType.fromDDL("event_id STRING, event_time TIMESTAMP, event_type STRING, "
      + "user_id STRING, session_id STRING, country STRING, device STRING, product_id STRING, category STRING, "
      + "price DECIMAL(10,2), quantity INT");
  static final GeneratorSpec SPEC = GeneratorSpec.defaults().toBuilder().days(21).eventsPerDay(3_000).anomalies(0)
      .badRate(0).duplicateRate(0).lateRate(0).build();

  @TempDir static Path dir;
  static TestLake lake;
  static TributaryConfig config;
  static ClickstreamGenerator generator;
  static RunSummary first;

  @BeforeAll
  static void setUp() throws Exception {
    lake = new TestLake(dir);
    config = lake.config();
    generator = new ClickstreamGenerator(SPEC);
    List<String> lines = new ArrayList<>();
    generator.generate().forEachRemaining(r -> lines.add(r.line()));
    SparkSession spark = TestLake.spark();
    spark.read().schema(SILVER).json(spark.createDataset(lines, Encoders.STRING()))
        .write().format("delta").save(lake.root + "/silver/clickstream");
    Files.copy(Path.of("../conf/jobs/ml.yaml"), lake.jobs.resolve("ml.yaml"));
    first = AnalyzeRunner.run(spark, config, "ml", AnalyzeOptions.fullRecompute());
  }

  @Test
  void segmentsRecoverThePlantedSegments() {
    Map<String, String> planted = new HashMap<>();
    generator.users().forEach(u -> planted.put(u.userId(), u.segment()));
    // One row per user of the test data (1,500): collecting them is the test's business, not the product's.
    List<Row> found = lake.gold(SegmentationAnalysis.SEGMENTS).where(col("job").equalTo("ml"))
        .select("entity_id", "segment").collectAsList();
    List<String> truth = new ArrayList<>();
    List<String> predicted = new ArrayList<>();
    for (Row r : found) {
      truth.add(planted.get(r.getString(0)));
      predicted.add(String.valueOf(r.getInt(1)));
    }
    double ari = adjustedRandIndex(truth, predicted);
    List<Row> selection = lake.gold(SegmentationAnalysis.SELECTION).orderBy("k").collectAsList();
    int k = selection.stream().filter(r -> r.getBoolean(r.fieldIndex("chosen"))).findFirst().orElseThrow()
        .getInt(0);
    System.out.printf("segmentation: k=%d chosen by silhouette %s; adjusted Rand index vs planted = %.3f "
        + "(threshold %.2f, %d users)%n", k, selection.stream().map(r -> r.getInt(0) + ":" +
        String.format("%.3f", r.getDouble(1))).toList(), ari, MIN_ARI, found.size());
    assertTrue(ari >= MIN_ARI, "ARI " + ari);

    // Profiles: sizes add up, and a segment is told apart by a feature the planted segments differ in.
    List<Row> profiles = lake.gold(SegmentationAnalysis.PROFILES).where(col("rank").equalTo(1)).collectAsList();
    assertEquals(k, profiles.size());
    assertEquals(found.size(), profiles.stream().mapToLong(r -> r.getLong(r.fieldIndex("size"))).sum());
    profiles.forEach(r -> assertTrue(Math.abs(r.getDouble(r.fieldIndex("z"))) > 1, r.toString()));
  }

  @Test
  void propensityBeatsTheThresholdOnAHeldOutLaterPeriod() {
    Dataset<Row> metrics = lake.gold(PropensityAnalysis.METRICS);
    List<Row> aucs = metrics.where(col("metric").equalTo("auc")).select("algorithm", "chosen", "value")
        .collectAsList();
    Row chosen = aucs.stream().filter(r -> r.getBoolean(1)).findFirst().orElseThrow();
    System.out.printf("propensity: validation AUC %s; chosen %s with AUC %.3f (threshold %.2f)%n",
        aucs.stream().map(r -> r.getString(0) + "=" + String.format("%.3f", r.getDouble(2))).toList(),
        chosen.getString(0), chosen.getDouble(2), MIN_AUC);
    assertEquals(2, aucs.size());
    assertTrue(aucs.stream().allMatch(r -> r.getDouble(2) <= chosen.getDouble(2)), "the best AUC is chosen");
    assertTrue(chosen.getDouble(2) >= MIN_AUC, "AUC " + chosen.getDouble(2));

    // Recall falls as the threshold rises; calibration buckets cover every validation entity.
    List<Row> recall = metrics.where(col("metric").equalTo("recall")).orderBy("at").collectAsList();
    assertEquals(5, recall.size());
    for (int i = 1; i < recall.size(); i++) {
      assertTrue(recall.get(i).getDouble(4) <= recall.get(i - 1).getDouble(4));
    }
    long validation = metrics.where(col("metric").equalTo("validation_positive_rate")).head().getLong(5);
    long calibrated = metrics.where(col("metric").equalTo("calibration_mean_score")).collectAsList().stream()
        .mapToLong(r -> r.getLong(5)).sum();
    assertEquals(validation, calibrated);
    // Every user with history gets a score.
    assertEquals(lake.gold(FeaturesAnalysis.TABLE).count(), lake.gold(PropensityAnalysis.SCORES).count());
  }

  @Test
  void theSavedModelScoresExactlyAsTheRunDidAndRecordsWhatMadeIt() {
    ModelVersion saved = ModelStore.versions(TestLake.spark(), lake.layout, "ml", PropensityAnalysis.MODEL).stream()
        .filter(v -> v.runId().equals(first.runId())).findFirst().orElseThrow();
    Map<String, Object> meta = saved.metadata();
    assertEquals(first.runId(), meta.get("run_id"));
    assertEquals(Map.of("silver/clickstream", 0), meta.get("input_versions"));
    assertEquals(42, meta.get("seed"));
    @SuppressWarnings("unchecked")
    Map<String, Object> window = (Map<String, Object>) meta.get("training_window");
    assertEquals(SPEC.end().minus(java.time.Duration.ofDays(6)).toString(), window.get("features_before"));

    PipelineModel model = ModelStore.load(TestLake.spark(), lake.layout, "ml", PropensityAnalysis.MODEL,
        saved.version());
    JobConfig job = JobLoader.find(lake.jobs, "ml");
    Dataset<Row> history = TestLake.spark().read().format("delta").load(lake.root + "/silver/clickstream");
    Dataset<Row> rescored = PropensityAnalysis.score(model, FeaturesAnalysis.definitions(job).asOf(history,
        SPEC.end()));
    Dataset<Row> stored = lake.gold(PropensityAnalysis.SCORES).where(col("run_id").equalTo(first.runId()));
    Row diff = stored.as("s").join(rescored.as("r"), "entity_id")
        .selectExpr("count(*)", "max(abs(s.score - r.score))").head();
    assertEquals(stored.count(), diff.getLong(0));
    assertEquals(rescored.count(), diff.getLong(0));
    assertEquals(0.0, diff.getDouble(1), 1e-12);
  }

  @Test
  void tributaryModelsListsTheSavedVersions() throws Exception {
    Files.copy(Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "conf", "tributary.yaml"),
        dir.resolve("tributary.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String listed = cli("models", "--config", dir.resolve("tributary.yaml").toString(), "--lake",
        lake.root.toString(), "--job", "ml");
    List<String> lines = listed.lines().toList();
    assertEquals(5, lines.size(), listed);
    assertTrue(lines.get(0).matches("JOB\\s+MODEL\\s+VER\\s+TRAINED \\(UTC\\)\\s+ALGORITHM\\s+METRIC\\s+RUN"), listed);
    String trained = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d";
    assertTrue(lines.get(1).matches("ml\\s+propensity\\s+v1\\s+" + trained + "\\s+logistic\\s+auc=0\\.741\\s+"
        + first.runId()), listed);
    assertTrue(lines.get(2).trim().endsWith("/models/ml/propensity/v1"), listed);
    assertTrue(lines.get(3).matches("ml\\s+segmentation\\s+v1\\s+" + trained + "\\s+kmeans\\s+k=4\\s+"
        + first.runId()), listed);
    assertEquals("no saved models", cli("models", "--config", dir.resolve("tributary.yaml").toString(), "--lake",
        lake.root.toString(), "--job", "nosuch").trim());
  }

  private static String cli(String... args) {
    java.io.PrintStream out = System.out;
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(o, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertEquals(0, io.tributary.cli.Tributary.execute(args));
    } finally {
      System.setOut(out);
    }
    return o.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void featuresUseOnlyEventsBeforeTheirCutoff() {
    JobConfig job = JobLoader.find(lake.jobs, "ml");
    FeatureDefinitions defs = FeaturesAnalysis.definitions(job);
    Dataset<Row> history = TestLake.spark().read().format("delta").load(lake.root + "/silver/clickstream");
    Instant cutoff = SPEC.start().plus(java.time.Duration.ofDays(10));
    Dataset<Row> withFuture = defs.asOf(history, cutoff);
    Dataset<Row> pastOnly = defs.asOf(history.where(col("event_time").lt(Timestamp.from(cutoff))), cutoff);
    // The events after the cutoff change the features as of the end, but not those as of the cutoff.
    assertEquals(0, withFuture.exceptAll(pastOnly).count() + pastOnly.exceptAll(withFuture).count());
    assertTrue(defs.asOf(history, SPEC.end()).drop("as_of").exceptAll(withFuture.drop("as_of")).count() > 0);
    Row busiest = withFuture.orderBy(col("events").desc()).head();
    long direct = history.where(col("user_id").equalTo(busiest.getString(0))
        .and(col("event_time").lt(Timestamp.from(cutoff)))).count();
    assertEquals(direct, (long) busiest.getDouble(busiest.fieldIndex("events")));
    assertEquals(0, withFuture.where(col("recency_days").lt(0).or(col("tenure_days").lt(col("recency_days"))))
        .count());
  }

  /** Hubert and Arabie's adjusted Rand index of two labelings of the same items. */
  static double adjustedRandIndex(List<String> a, List<String> b) {
    Map<String, Map<String, Long>> table = new HashMap<>();
    Map<String, Long> rows = new HashMap<>();
    Map<String, Long> cols = new HashMap<>();
    for (int i = 0; i < a.size(); i++) {
      table.computeIfAbsent(a.get(i), x -> new HashMap<>()).merge(b.get(i), 1L, Long::sum);
      rows.merge(a.get(i), 1L, Long::sum);
      cols.merge(b.get(i), 1L, Long::sum);
    }
    double index = table.values().stream().flatMap(m -> m.values().stream()).mapToDouble(MlAnalysesTest::pairs)
        .sum();
    double sumRows = rows.values().stream().mapToDouble(MlAnalysesTest::pairs).sum();
    double sumCols = cols.values().stream().mapToDouble(MlAnalysesTest::pairs).sum();
    double expected = sumRows * sumCols / pairs(a.size());
    double max = (sumRows + sumCols) / 2;
    return (index - expected) / (max - expected);
  }

  private static double pairs(long n) {
    return n * (n - 1) / 2.0;
  }
}
