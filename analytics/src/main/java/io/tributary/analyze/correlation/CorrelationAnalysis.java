package io.tributary.analyze.correlation;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;

import io.tributary.analyze.Analysis;
import io.tributary.analyze.AnalysisContext;
import io.tributary.analyze.AnalysisResult;
import io.tributary.analyze.ColumnRequirement;
import io.tributary.analyze.Progress;
import io.tributary.analyze.RequiresColumns;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.stat.Correlation;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Covariance, Pearson and Spearman matrices of numeric columns over the analysed range, written to the gold
 * table {@value #TABLE} in long format (every ordered pair of columns, the diagonal included):
 * <pre>
 * job           STRING     the job's name
 * window        STRING     all (the analysed range)
 * window_start  TIMESTAMP  start of the analysed range
 * window_end    TIMESTAMP  end of the analysed range
 * method        STRING     pearson | spearman | covariance (sample covariance, divided by n - 1)
 * column_x      STRING
 * column_y      STRING
 * value         DOUBLE     null when n &lt; 2; NaN when a column is constant (its correlations are undefined)
 * n             BIGINT     rows used: those with a finite value in every one of the columns
 * excluded_non_finite BIGINT  rows left out because a column is NaN, +Infinity or -Infinity (and none is null)
 * run_id, run_time, code_version, input_versions   added by the gold writer
 * </pre>
 * Rows with a null, NaN, +Infinity or -Infinity in any of the columns are left out of every matrix, so all three
 * describe the same rows of finite values (an infinity has no finite mean, covariance or rank correlation to
 * contribute to, and would otherwise make every value NaN); {@code n} records how many rows were used and
 * {@code excluded_non_finite} how many were left out for a non-finite value. Each run's matrices describe the
 * range it analysed ({@code window_start}, {@code window_end}), and replace the job's previous ones, so the
 * table holds one current row set per job. Pearson and Spearman come from Spark MLlib's {@link Correlation} on an
 * assembled vector; Pearson is computed on mean-centred values (which does not change a correlation) so data
 * far from zero keeps its precision, and the covariance with the corrected two-pass algorithm.
 */
public final class CorrelationAnalysis implements Analysis, RequiresColumns {
  public static final String TABLE = "correlations";
  private static final StructType SCHEMA = new StructType()
      .add("job", DataTypes.StringType, false)
      .add("window", DataTypes.StringType, false)
      .add("window_start", DataTypes.TimestampType, false)
      .add("window_end", DataTypes.TimestampType, false)
      .add("method", DataTypes.StringType, false)
      .add("column_x", DataTypes.StringType, false)
      .add("column_y", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType, true)
      .add("n", DataTypes.LongType, false)
      .add("excluded_non_finite", DataTypes.LongType, false);

  private final CorrelationSpec spec;

  public CorrelationAnalysis(CorrelationSpec spec) {
    this.spec = spec;
  }

  @Override
  public String name() {
    return "correlation";
  }

  @Override
  public List<ColumnRequirement> requiredColumns() {
    return spec.columns().stream()
        .map(c -> ColumnRequirement.numeric(c, "correlation.columns", "correlation")).toList();
  }

  @Override
  public AnalysisResult compute(AnalysisContext ctx) {
    List<String> names = spec.columns();
    int k = names.size();
    String job = ctx.job().name();
    Column[] values = new Column[k];
    for (int i = 0; i < k; i++) {
      values[i] = col(names.get(i)).cast("double").as("x" + i);
    }
    Dataset<Row> selected = ctx.input().select(values);
    Column anyNull = lit(false);
    Column allFinite = lit(true);
    for (int i = 0; i < k; i++) {
      Column x = col("x" + i);
      anyNull = anyNull.or(x.isNull());
      allFinite = allFinite.and(not(isnan(x))).and(x.notEqual(Double.POSITIVE_INFINITY))
          .and(x.notEqual(Double.NEGATIVE_INFINITY));
    }
    Progress.step(ctx.spark(), job, name(), "non-finite values of " + names);
    long nonFinite = selected.where(not(anyNull).and(not(allFinite))).count();
    Dataset<Row> complete = selected.where(not(anyNull).and(allFinite)).persist();
    try {
      Progress.step(ctx.spark(), job, name(), "means of " + names);
      Column[] firstPass = new Column[k + 1];
      firstPass[0] = count(lit(1));
      for (int i = 0; i < k; i++) {
        firstPass[i + 1] = avg("x" + i);
      }
      Row first = complete.agg(firstPass[0], Arrays.copyOfRange(firstPass, 1, k + 1)).head();
      long n = first.getLong(0);
      Map<String, double[][]> matrices = new LinkedHashMap<>();
      if (n >= 2) {
        Column[] centred = new Column[k];
        for (int i = 0; i < k; i++) {
          centred[i] = col("x" + i).minus(first.getDouble(i + 1)).as("x" + i);
        }
        Dataset<Row> centredRows = complete.select(centred);
        Progress.step(ctx.spark(), job, name(), "covariance of " + names);
        matrices.put(CorrelationSpec.COVARIANCE, covariance(centredRows, k, n));
        Dataset<Row> vectors = new VectorAssembler()
            .setInputCols(IntStream.range(0, k).mapToObj(i -> "x" + i).toArray(String[]::new))
            .setOutputCol("features")
            .transform(centredRows)
            .select("features");
        for (String method : spec.methods()) {
          Progress.step(ctx.spark(), job, name(), method + " correlation of " + names);
          Matrix m = Correlation.corr(vectors, "features", method).head().getAs(0);
          matrices.put(method, toArray(m));
        }
      } else {
        matrices.put(CorrelationSpec.COVARIANCE, null);
        spec.methods().forEach(m -> matrices.put(m, null));
      }
      return AnalysisResult.gold(Map.of(TABLE,
          ctx.spark().createDataFrame(rows(job, ctx.from(), ctx.to(), names, matrices, n, nonFinite), SCHEMA)));
    } finally {
      complete.unpersist();
    }
  }

  /**
   * Sample covariances of already centred columns, with the correction term of the corrected two-pass
   * algorithm (the sums of the centred values are zero up to rounding of the means).
   */
  private static double[][] covariance(Dataset<Row> centred, int k, long n) {
    List<Column> sums = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      sums.add(sum("x" + i));
    }
    for (int i = 0; i < k; i++) {
      for (int j = i; j < k; j++) {
        sums.add(sum(col("x" + i).multiply(col("x" + j))));
      }
    }
    Row r = centred.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).head();
    double[][] cov = new double[k][k];
    int p = k;
    for (int i = 0; i < k; i++) {
      for (int j = i; j < k; j++) {
        double c = (r.getDouble(p++) - r.getDouble(i) * r.getDouble(j) / n) / (n - 1);
        cov[i][j] = c;
        cov[j][i] = c;
      }
    }
    return cov;
  }

  private static double[][] toArray(Matrix m) {
    double[][] out = new double[m.numRows()][m.numCols()];
    for (int i = 0; i < m.numRows(); i++) {
      for (int j = 0; j < m.numCols(); j++) {
        out[i][j] = m.apply(i, j);
      }
    }
    return out;
  }

  private static List<Row> rows(String job, Instant from, Instant to, List<String> names,
      Map<String, double[][]> matrices, long n, long nonFinite) {
    List<Row> out = new ArrayList<>();
    Timestamp start = Timestamp.from(from);
    Timestamp end = Timestamp.from(to);
    matrices.forEach((method, m) -> {
      for (int i = 0; i < names.size(); i++) {
        for (int j = 0; j < names.size(); j++) {
          out.add(RowFactory.create(job, "all", start, end, method, names.get(i), names.get(j),
              m == null ? null : m[i][j], n, nonFinite));
        }
      }
    });
    return out;
  }
}
