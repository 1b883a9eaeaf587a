package io.tributary.analyze.segmentation;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.stddev_samp;

import io.tributary.analyze.Analysis;
import io.tributary.analyze.AnalysisContext;
import io.tributary.analyze.AnalysisResult;
import io.tributary.analyze.ColumnRequirement;
import io.tributary.analyze.ModelOutput;
import io.tributary.analyze.Progress;
import io.tributary.analyze.RequiresColumns;
import io.tributary.analyze.features.FeatureDefinitions;
import io.tributary.analyze.features.FeaturesAnalysis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * KMeans segments of the entities, as of the end of the run, on standardised features; k fixed or the value of
 * {@code kRange} with the best silhouette. Writes:
 * <pre>
 * gold/segments           entity_id, as_of, segment INT
 * gold/segment_profiles   segment, size BIGINT, share DOUBLE, feature, mean, overall_mean, overall_stddev,
 *                         z DOUBLE ((mean - overall_mean) / overall_stddev), rank INT (1 = the feature that
 *                         distinguishes the segment most, by |z|)
 * gold/segment_selection  k INT, silhouette DOUBLE, chosen BOOLEAN   (one row per k tried)
 * </pre>
 * and saves the fitted pipeline (assembler, scaler, KMeans) as the model {@value #MODEL}.
 */
public final class SegmentationAnalysis implements Analysis, RequiresColumns {
  public static final String MODEL = "segmentation";
  public static final String SEGMENTS = "segments";
  public static final String PROFILES = "segment_profiles";
  public static final String SELECTION = "segment_selection";
  private static final StructType PROFILE_SCHEMA = new StructType()
      .add("segment", DataTypes.IntegerType, false)
      .add("size", DataTypes.LongType, false)
      .add("share", DataTypes.DoubleType, false)
      .add("feature", DataTypes.StringType, false)
      .add("mean", DataTypes.DoubleType, true)
      .add("overall_mean", DataTypes.DoubleType, true)
      .add("overall_stddev", DataTypes.DoubleType, true)
      .add("z", DataTypes.DoubleType, true)
      .add("rank", DataTypes.IntegerType, false);
  private static final StructType SELECTION_SCHEMA = new StructType()
      .add("k", DataTypes.IntegerType, false)
      .add("silhouette", DataTypes.DoubleType, false)
      .add("chosen", DataTypes.BooleanType, false);

  private final SegmentationSpec spec;

  public SegmentationAnalysis(SegmentationSpec spec) {
    this.spec = spec;
  }

  @Override
  public String name() {
    return "segmentation";
  }

  @Override
  public List<ColumnRequirement> requiredColumns() {
    return List.of();
  }

  /** A fitted segmentation and how each k scored. */
  public record Fit(PipelineModel model, int k, Map<Integer, Double> silhouettes) {}

  @Override
  public AnalysisResult compute(AnalysisContext ctx) {
    FeatureDefinitions defs = FeaturesAnalysis.definitions(ctx.job());
    Dataset<Row> features = defs.asOf(ctx.history(), ctx.to()).persist();
    try {
      return compute(ctx, features);
    } finally {
      features.unpersist();
    }
  }

  private AnalysisResult compute(AnalysisContext ctx, Dataset<Row> features) {
    String job = ctx.job().name();
    Progress.step(ctx.spark(), job, name(), "counting entities");
    long n = features.count();
    if (n < spec.minRows()) {
      throw ctx.job().invalid("segmentation.minRows", "needs " + spec.minRows() + " entities with events before "
          + ctx.to() + "; there are " + n);
    }
    int maxK = spec.candidates().get(spec.candidates().size() - 1);
    if (maxK >= n) {
      throw ctx.job().invalid(spec.k() != null ? "segmentation.k" : "segmentation.kRange",
          "asks for " + maxK + " segments of only " + n + " entities");
    }
    Fit fit = fit(ctx, features);
    Dataset<Row> assigned = fit.model().transform(features)
        .select(col(FeatureDefinitions.ENTITY), col(FeatureDefinitions.AS_OF), col("segment"));
    Map<String, Dataset<Row>> gold = new LinkedHashMap<>();
    gold.put(SEGMENTS, FeaturesAnalysis.stamped(assigned, ctx));
    gold.put(PROFILES, FeaturesAnalysis.stamped(profiles(ctx, fit.model().transform(features), n), ctx));
    List<Row> selection = new ArrayList<>();
    fit.silhouettes().forEach((k, s) -> selection.add(RowFactory.create(k, s, k == fit.k())));
    gold.put(SELECTION, FeaturesAnalysis.stamped(ctx.spark().createDataFrame(selection, SELECTION_SCHEMA), ctx));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("algorithm", "kmeans");
    metadata.put("features", spec.features());
    metadata.put("k", fit.k());
    metadata.put("silhouettes", fit.silhouettes());
    metadata.put("seed", spec.seed());
    metadata.put("max_iter", spec.maxIter());
    metadata.put("as_of", ctx.to().toString());
    metadata.put("entities", n);
    return new AnalysisResult(gold, List.of(), List.of(new ModelOutput(MODEL, fit.model(), metadata)));
  }

  /** Fits one pipeline per candidate k and keeps the one with the best silhouette (the first on a tie). */
  Fit fit(AnalysisContext ctx, Dataset<Row> features) {
    Map<Integer, Double> silhouettes = new LinkedHashMap<>();
    PipelineModel best = null;
    int bestK = -1;
    for (int k : spec.candidates()) {
      Progress.step(ctx.spark(), ctx.job().name(), name(), "KMeans with k = " + k);
      PipelineModel model = pipeline(k).fit(features);
      double silhouette = new ClusteringEvaluator().setFeaturesCol("scaled").setPredictionCol("segment")
          .evaluate(model.transform(features));
      silhouettes.put(k, silhouette);
      if (best == null || silhouette > silhouettes.get(bestK)) {
        best = model;
        bestK = k;
      }
    }
    return new Fit(best, bestK, silhouettes);
  }

  private Pipeline pipeline(int k) {
    return new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(spec.features().toArray(String[]::new)).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("scaled").setWithMean(true).setWithStd(true),
        new KMeans().setK(k).setSeed(spec.seed()).setMaxIter(spec.maxIter()).setFeaturesCol("scaled")
            .setPredictionCol("segment")});
  }

  /** Per segment and feature: the mean against the overall mean, and how far apart in overall stddevs. */
  private Dataset<Row> profiles(AnalysisContext ctx, Dataset<Row> assigned, long n) {
    List<String> names = spec.features();
    List<Column> overall = new ArrayList<>();
    for (String f : names) {
      overall.add(avg(f));
      overall.add(stddev_samp(f));
    }
    Row all = assigned.agg(overall.get(0), overall.subList(1, overall.size()).toArray(Column[]::new)).head();
    List<Column> perSegment = new ArrayList<>();
    names.forEach(f -> perSegment.add(avg(f)));
    // k rows of aggregates reach the driver, never entity rows.
    List<Row> segments = assigned.groupBy("segment").agg(count(lit(1)), perSegment.toArray(Column[]::new))
        .orderBy("segment").collectAsList();
    List<Row> out = new ArrayList<>();
    for (Row s : segments) {
      int segment = s.getInt(0);
      long size = s.getLong(1);
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        Double mean = s.isNullAt(i + 2) ? null : s.getDouble(i + 2);
        Double overallMean = all.isNullAt(2 * i) ? null : all.getDouble(2 * i);
        Double sd = all.isNullAt(2 * i + 1) ? null : all.getDouble(2 * i + 1);
        Double z = mean == null || overallMean == null || sd == null || sd == 0 ? null : (mean - overallMean) / sd;
        rows.add(new Object[] {names.get(i), mean, overallMean, sd, z});
      }
      rows.sort(Comparator.comparingDouble(r -> r[4] == null ? 0 : -Math.abs((Double) r[4])));
      for (int rank = 0; rank < rows.size(); rank++) {
        Object[] r = rows.get(rank);
        out.add(RowFactory.create(segment, size, (double) size / n, r[0], r[1], r[2], r[3], r[4], rank + 1));
      }
    }
    return ctx.spark().createDataFrame(out, PROFILE_SCHEMA);
  }
}
