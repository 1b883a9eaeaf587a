package io.tributary.analyze.propensity;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tributary.analyze.Analysis;
import io.tributary.analyze.AnalysisContext;
import io.tributary.analyze.AnalysisResult;
import io.tributary.analyze.ColumnRequirement;
import io.tributary.analyze.ModelOutput;
import io.tributary.analyze.Progress;
import io.tributary.analyze.RequiresColumns;
import io.tributary.analyze.TimeGrain;
import io.tributary.analyze.features.FeatureDefinitions;
import io.tributary.analyze.features.FeaturesAnalysis;
import io.tributary.analyze.features.FeaturesSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Purchase propensity ({@link PropensitySpec}), split by time. Writes:
 * <pre>
 * gold/propensity_scores   entity_id, as_of, score DOUBLE (probability of a labelType event in the next
 *                          horizonDays), for every entity with events before the end of the run
 * gold/propensity_metrics  algorithm, chosen BOOLEAN, metric, at DOUBLE, value DOUBLE, n BIGINT: per candidate
 *                          auc and pr_auc on the validation period; for the chosen one also precision and recall
 *                          at each threshold (at = threshold), calibration_mean_score / calibration_positive_rate
 *                          per score bucket (at = bucket's lower bound, n = entities in it), and the
 *                          train_/validation_positive_rate
 * </pre>
 * and saves the chosen fitted pipeline as the model {@value #MODEL}; its run id links it to the scores.
 */
public final class PropensityAnalysis implements Analysis, RequiresColumns {
  public static final String MODEL = "propensity";
  public static final String SCORES = "propensity_scores";
  public static final String METRICS = "propensity_metrics";
  private static final StructType METRICS_SCHEMA = new StructType()
      .add("algorithm", DataTypes.StringType, false)
      .add("chosen", DataTypes.BooleanType, false)
      .add("metric", DataTypes.StringType, false)
      .add("at", DataTypes.DoubleType, true)
      .add("value", DataTypes.DoubleType, true)
      .add("n", DataTypes.LongType, false);

  private final PropensitySpec spec;

  public PropensityAnalysis(PropensitySpec spec) {
    this.spec = spec;
  }

  @Override
  public String name() {
    return "propensity";
  }

  @Override
  public List<ColumnRequirement> requiredColumns() {
    return List.of();
  }

  /** One candidate fitted on the training period and scored on the validation period. */
  record Candidate(String algorithm, PipelineModel model, double auc, double prAuc) {}

  /** The cutoffs of a run ending at {@code end}: training, validation, and scoring (the end itself). */
  record Cutoffs(Instant train, Instant validation, Instant end) {}

  Cutoffs cutoffs(Instant end) {
    Duration h = Duration.ofDays(spec.horizonDays());
    return new Cutoffs(end.minus(h).minus(h), end.minus(h), end);
  }

  @Override
  public AnalysisResult compute(AnalysisContext ctx) {
    FeaturesSpec fs = FeaturesAnalysis.required(ctx.job(), "propensity");
    FeatureDefinitions defs = FeaturesAnalysis.definitions(ctx.job());
    Cutoffs c = cutoffs(ctx.to());
    Dataset<Row> train = labelled(ctx, fs, defs, c.train(), c.validation()).persist();
    Dataset<Row> valid = labelled(ctx, fs, defs, c.validation(), c.end()).persist();
    try {
      long[] trainCounts = checkRows(ctx, train, "training", c.train());
      long[] validCounts = checkRows(ctx, valid, "validation", c.validation());
      List<Candidate> candidates = new ArrayList<>();
      for (String algorithm : spec.algorithms()) {
        Progress.step(ctx.spark(), ctx.job().name(), name(), "fitting " + algorithm);
        PipelineModel model = pipeline(algorithm).fit(train);
        Dataset<Row> predicted = model.transform(valid);
        BinaryClassificationEvaluator eval = new BinaryClassificationEvaluator().setLabelCol("label")
            .setRawPredictionCol("rawPrediction");
        candidates.add(new Candidate(algorithm, model, eval.setMetricName("areaUnderROC").evaluate(predicted),
            eval.setMetricName("areaUnderPR").evaluate(predicted)));
      }
      Candidate chosen = candidates.get(0);
      for (Candidate cand : candidates) {
        if (cand.auc() > chosen.auc()) {
          chosen = cand;
        }
      }
      Progress.step(ctx.spark(), ctx.job().name(), name(), "metrics of " + chosen.algorithm());
      List<Row> metrics = new ArrayList<>();
      for (Candidate cand : candidates) {
        boolean isChosen = cand == chosen;
        metrics.add(RowFactory.create(cand.algorithm(), isChosen, "auc", null, cand.auc(), validCounts[0]));
        metrics.add(RowFactory.create(cand.algorithm(), isChosen, "pr_auc", null, cand.prAuc(), validCounts[0]));
      }
      metrics.add(RowFactory.create(chosen.algorithm(), true, "train_positive_rate", null,
          (double) trainCounts[1] / trainCounts[0], trainCounts[0]));
      metrics.add(RowFactory.create(chosen.algorithm(), true, "validation_positive_rate", null,
          (double) validCounts[1] / validCounts[0], validCounts[0]));
      Dataset<Row> validScores = score(chosen.model(), valid).select(col("score"), col("label"));
      metrics.addAll(thresholdMetrics(validScores, chosen.algorithm()));
      metrics.addAll(calibration(validScores, chosen.algorithm()));

      Dataset<Row> scores = score(chosen.model(), defs.asOf(ctx.history(), c.end()));
      Map<String, Dataset<Row>> gold = new LinkedHashMap<>();
      gold.put(SCORES, FeaturesAnalysis.stamped(scores, ctx));
      gold.put(METRICS, FeaturesAnalysis.stamped(ctx.spark().createDataFrame(metrics, METRICS_SCHEMA), ctx));
      return new AnalysisResult(gold, List.of(),
          List.of(new ModelOutput(MODEL, chosen.model(), metadata(c, chosen, candidates, trainCounts, validCounts))));
    } finally {
      train.unpersist();
      valid.unpersist();
    }
  }

  /**
   * Scores with a fitted propensity pipeline: {@code entity_id}, {@code as_of} and {@code score}, the
   * probability of the positive class. The saved model scores the same way.
   */
  public static Dataset<Row> score(PipelineModel model, Dataset<Row> features) {
    List<Column> keep = new ArrayList<>(List.of(col(FeatureDefinitions.ENTITY), col(FeatureDefinitions.AS_OF),
        functions.vector_to_array(col("probability"), "float64").getItem(1).as("score")));
    if (List.of(features.columns()).contains("label")) {
      keep.add(col("label"));
    }
    return model.transform(features).select(keep.toArray(Column[]::new));
  }

  /** Features as of {@code cutoff} with {@code label} 1.0 when the entity has a labelType event in [cutoff, until). */
  private Dataset<Row> labelled(AnalysisContext ctx, FeaturesSpec fs, FeatureDefinitions defs, Instant cutoff,
      Instant until) {
    String time = ctx.job().timeColumn();
    Dataset<Row> positives = ctx.history()
        .where(col(time).geq(TimeGrain.timestamp(cutoff)).and(col(time).lt(TimeGrain.timestamp(until)))
            .and(col(fs.typeColumn()).equalTo(spec.labelType())))
        .select(col(fs.entity()).cast("string").as("positive")).distinct();
    Dataset<Row> features = defs.asOf(ctx.history(), cutoff);
    return features.join(positives, features.col(FeatureDefinitions.ENTITY).equalTo(positives.col("positive")),
            "left")
        .withColumn("label", when(col("positive").isNotNull(), 1.0).otherwise(0.0))
        .drop("positive")
        .sortWithinPartitions(FeatureDefinitions.ENTITY);
  }

  /** Rows and positives of a period; fails with the job and key when a model cannot learn from it. */
  private long[] checkRows(AnalysisContext ctx, Dataset<Row> rows, String period, Instant cutoff) {
    Row r = rows.agg(count(lit(1)), sum(col("label"))).head();
    long n = r.getLong(0);
    long positives = r.isNullAt(1) ? 0 : (long) r.getDouble(1);
    if (n < spec.minRows()) {
      throw ctx.job().invalid("propensity.minRows", "needs " + spec.minRows() + " entities with events before the "
          + period + " cutoff " + cutoff + " (end - " + (period.equals("training") ? 2 : 1) + " x horizonDays "
          + spec.horizonDays() + "); there are " + n);
    }
    if (positives == 0 || positives == n) {
      throw ctx.job().invalid("propensity.horizonDays", "gives the " + period + " period (from " + cutoff
          + ") only one class: " + positives + " of " + n + " entities have a '" + spec.labelType() + "'");
    }
    return new long[] {n, positives};
  }

  private Pipeline pipeline(String algorithm) {
    VectorAssembler assembler = new VectorAssembler().setInputCols(spec.features().toArray(String[]::new))
        .setOutputCol("features");
    PipelineStage classifier = PropensitySpec.GBT.equals(algorithm)
        ? new GBTClassifier().setMaxIter(spec.maxIter()).setMaxDepth(spec.maxDepth()).setSeed(spec.seed())
        : new LogisticRegression().setMaxIter(spec.maxIter()).setRegParam(spec.regParam());
    return new Pipeline().setStages(new PipelineStage[] {assembler, classifier});
  }

  private List<Row> thresholdMetrics(Dataset<Row> scored, String algorithm) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(sum(col("label")));
    for (double t : spec.thresholds()) {
      aggs.add(sum(when(col("score").geq(t), 1L).otherwise(0L)));
      aggs.add(sum(when(col("score").geq(t).and(col("label").equalTo(1.0)), 1L).otherwise(0L)));
    }
    Row r = scored.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).head();
    double positives = r.getDouble(0);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < spec.thresholds().size(); i++) {
      double t = spec.thresholds().get(i);
      long flagged = r.getLong(1 + 2 * i);
      long hits = r.getLong(2 + 2 * i);
      out.add(RowFactory.create(algorithm, true, "precision", t, flagged == 0 ? null : (double) hits / flagged,
          flagged));
      out.add(RowFactory.create(algorithm, true, "recall", t, positives == 0 ? null : hits / positives,
          (long) positives));
    }
    return out;
  }

  /** Mean score against the observed positive rate per equal-width score bucket (k rows reach the driver). */
  private List<Row> calibration(Dataset<Row> scored, String algorithm) {
    int buckets = spec.calibrationBuckets();
    List<Row> rows = scored
        .withColumn("bucket", least(floor(col("score").multiply(buckets)), lit(buckets - 1)).cast("int"))
        .groupBy("bucket").agg(count(lit(1)), avg("score"), avg("label")).orderBy("bucket").collectAsList();
    List<Row> out = new ArrayList<>();
    for (Row b : rows) {
      double lower = (double) b.getInt(0) / buckets;
      out.add(RowFactory.create(algorithm, true, "calibration_mean_score", lower, b.getDouble(2), b.getLong(1)));
      out.add(RowFactory.create(algorithm, true, "calibration_positive_rate", lower, b.getDouble(3), b.getLong(1)));
    }
    return out;
  }

  private Map<String, Object> metadata(Cutoffs c, Candidate chosen, List<Candidate> candidates, long[] train,
      long[] valid) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("algorithm", chosen.algorithm());
    m.put("features", spec.features());
    m.put("label", "a '" + spec.labelType() + "' event in the " + spec.horizonDays() + " days after the cutoff");
    m.put("training_window", window(c.train(), c.validation(), train));
    m.put("validation_window", window(c.validation(), c.end(), valid));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("max_iter", spec.maxIter());
    if (PropensitySpec.GBT.equals(chosen.algorithm())) {
      params.put("max_depth", spec.maxDepth());
    } else {
      params.put("reg_param", spec.regParam());
    }
    m.put("params", params);
    m.put("seed", spec.seed());
    Map<String, Object> metrics = new LinkedHashMap<>();
    for (Candidate cand : candidates) {
      metrics.put(cand.algorithm(), ordered("auc", cand.auc(), "pr_auc", cand.prAuc()));
    }
    Map<String, Object> chosenMetrics = ordered("auc", chosen.auc(), "pr_auc", chosen.prAuc());
    chosenMetrics.put("candidates", metrics);
    m.put("metrics", chosenMetrics);
    return m;
  }

  /** A period: features before {@code cutoff}, labels from {@code [cutoff, until)}, its rows and positives. */
  private static Map<String, Object> window(Instant cutoff, Instant until, long[] counts) {
    Map<String, Object> w = ordered("features_before", cutoff.toString(), "labels_from", cutoff.toString());
    w.put("labels_to", until.toString());
    w.put("rows", counts[0]);
    w.put("positives", counts[1]);
    return w;
  }

  /** Metadata keys in a stable order, so metadata.json reads the same from run to run. */
  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(k1, v1);
    out.put(k2, v2);
    return out;
  }
}
