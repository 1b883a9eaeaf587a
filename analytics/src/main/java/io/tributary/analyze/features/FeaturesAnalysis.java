package io.tributary.analyze.features;

import static org.apache.spark.sql.functions.lit;

import io.tributary.analyze.Analysis;
import io.tributary.analyze.AnalysisContext;
import io.tributary.analyze.AnalysisResult;
import io.tributary.analyze.ColumnRequirement;
import io.tributary.analyze.JobConfig;
import io.tributary.analyze.RequiresColumns;
import io.tributary.analyze.TimeGrain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The feature table {@value #TABLE}: every entity's features ({@link FeatureDefinitions}) as of the end of the
 * run's range, from the whole history before it. Rows carry {@code job}, {@code window = all},
 * {@code window_start}/{@code window_end} (the run's range; {@code as_of = window_end}) and the run columns; a run
 * replaces the job's previous snapshot, and {@code --as-of-version} reproduces an older one.
 */
public final class FeaturesAnalysis implements Analysis, RequiresColumns {
  public static final String TABLE = "features";

  private final FeaturesSpec spec;

  public FeaturesAnalysis(FeaturesSpec spec) {
    this.spec = spec;
  }

  @Override
  public String name() {
    return "features";
  }

  @Override
  public List<ColumnRequirement> requiredColumns() {
    return requirements(spec);
  }

  /** The input columns the feature definitions read (also required by the models that use them). */
  public static List<ColumnRequirement> requirements(FeaturesSpec spec) {
    List<ColumnRequirement> out = new ArrayList<>();
    for (Map.Entry<String, String> e : new FeatureDefinitions(spec, "t").inputColumns().entrySet()) {
      boolean numeric = e.getValue().equals("features.priceColumn") || e.getValue().equals("features.quantityColumn");
      out.add(numeric ? ColumnRequirement.numeric(e.getKey(), e.getValue(), "features")
          : ColumnRequirement.categorical(e.getKey(), e.getValue(), "features"));
    }
    return out;
  }

  @Override
  public AnalysisResult compute(AnalysisContext ctx) {
    Dataset<Row> features = definitions(ctx.job()).asOf(ctx.history(), ctx.to());
    return AnalysisResult.gold(Map.of(TABLE, stamped(features, ctx)));
  }

  /**
   * {@code rows} with {@code job}, {@code window = all} and the run's range: a model's gold rows describe the
   * run (as of its end) and replace the job's previous ones.
   */
  public static Dataset<Row> stamped(Dataset<Row> rows, AnalysisContext ctx) {
    return rows
        .withColumn("job", lit(ctx.job().name()))
        .withColumn("window", lit("all"))
        .withColumn("window_start", TimeGrain.timestamp(ctx.from()))
        .withColumn("window_end", TimeGrain.timestamp(ctx.to()));
  }

  /** The job's feature definitions (its {@code features} section must exist: {@link #required}). */
  public static FeatureDefinitions definitions(JobConfig job) {
    return new FeatureDefinitions(required(job, "features"), job.timeColumn());
  }

  /**
   * The job's {@code features} section, which the section {@code user} builds on.
   *
   * @throws io.tributary.config.ConfigException naming the job when it has none
   */
  public static FeaturesSpec required(JobConfig job, String user) {
    FeaturesSpec f = job.section(FeaturesSpec.class);
    if (f == null) {
      throw job.invalid(user, "needs a 'features' section in the same job (the feature definitions it uses)");
    }
    return f;
  }

  /** Checks that every name in {@code names} (from the key {@code key}) is a numeric feature of the job. */
  public static void checkFeatures(JobConfig job, String key, List<String> names) {
    FeaturesSpec features = required(job, key.substring(0, key.indexOf('.')));
    List<String> known = new FeatureDefinitions(features, job.timeColumn()).numericNames();
    if (names == null || names.isEmpty()) {
      throw job.invalid(key, "must list one or more features of " + known);
    }
    for (String n : names) {
      if (!known.contains(n)) {
        throw job.invalid(key, "names '" + n + "', which is not a feature; features: " + known);
      }
    }
  }
}
