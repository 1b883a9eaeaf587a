package io.tributary.analyze.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.analyze.JobConfig;
import io.tributary.analyze.TestLake;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorrelationAnalysisTest {
  private static final StructType SCHEMA = StructType.fromDDL("t TIMESTAMP, x DOUBLE, y INT, z DECIMAL(20,6)");
  private static final List<String> COLUMNS = List.of("x", "y", "z");
  private static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-03-04T00:00:00Z");

  @TempDir
  Path dir;

  private List<Row> correlations(List<Row> data) {
    TestLake lake = new TestLake(dir);
    CorrelationSpec spec = new CorrelationSpec(COLUMNS, null);
    JobConfig job = JobConfig.of("corr", "silver/test", "t", spec);
    var ctx = lake.context(job, TestLake.spark().createDataFrame(data, SCHEMA), FROM, TO, true);
    return new CorrelationAnalysis(spec).compute(ctx).get(CorrelationAnalysis.TABLE).collectAsList();
  }

  /**
   * x and y are related, z is far from zero relative to its spread (1e6 + x/100): the matrices must match
   * Commons Math on the rows without nulls.
   */
  @Test
  void matricesMatchCommonsMathOnCompleteRows() {
    Random r = new Random(3);
    List<Row> data = new ArrayList<>();
    List<double[]> complete = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      double x = r.nextGaussian() * 10;
      Integer y = r.nextDouble() < 0.05 ? null : (int) Math.round(x / 3 + r.nextGaussian() * 2);
      BigDecimal z = r.nextDouble() < 0.05 ? null
          : new BigDecimal("1000000").add(BigDecimal.valueOf(x / 100 + r.nextGaussian() / 1000).setScale(6,
              java.math.RoundingMode.HALF_UP));
      Double xv = r.nextDouble() < 0.05 ? null : x;
      data.add(RowFactory.create(Timestamp.from(FROM.plusSeconds(i * 100L)), xv, y, z));
      if (xv != null && y != null && z != null) {
        complete.add(new double[] {xv, y, z.doubleValue()});
      }
    }
    double[][] m = complete.toArray(double[][]::new);
    Map<String, RealMatrix> expected = new HashMap<>();
    expected.put("pearson", new PearsonsCorrelation().computeCorrelationMatrix(m));
    expected.put("spearman", new SpearmansCorrelation().computeCorrelationMatrix(m));
    expected.put("covariance", new Covariance(m).getCovarianceMatrix());

    List<Row> gold = correlations(data);

    assertEquals(27, gold.size(), "3 methods x 3 x 3 pairs");
    for (Row row : gold) {
      assertEquals("corr", row.getAs("job"));
      assertEquals("all", row.getAs("window"));
      assertEquals(FROM, ((Timestamp) row.getAs("window_start")).toInstant());
      assertEquals(TO, ((Timestamp) row.getAs("window_end")).toInstant());
      assertEquals((long) complete.size(), (long) row.getAs("n"), "rows with a null are left out");
      int i = COLUMNS.indexOf(row.<String>getAs("column_x"));
      int j = COLUMNS.indexOf(row.<String>getAs("column_y"));
      double want = expected.get(row.<String>getAs("method")).getEntry(i, j);
      double got = row.getAs("value");
      assertTrue(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)),
          row.getAs("method") + " " + row.getAs("column_x") + "," + row.getAs("column_y") + ": " + got + " vs " + want);
    }
  }

  @Test
  void fewerThanTwoCompleteRowsGiveNullValues() {
    List<Row> data = List.of(
        RowFactory.create(Timestamp.from(FROM), 1.0, 2, new BigDecimal("3.000000")),
        RowFactory.create(Timestamp.from(FROM.plusSeconds(1)), null, 2, new BigDecimal("3.000000")));

    List<Row> gold = correlations(data);

    assertEquals(27, gold.size());
    for (Row row : gold) {
      assertNull(row.getAs("value"));
      assertEquals(1L, (long) row.getAs("n"));
    }
  }

  /**
   * A row with +Infinity, -Infinity or NaN in a column is left out of every matrix and counted: the matrices equal
   * those of the data without these rows (to rounding; they used to fail the run), and excluded_non_finite says 3.
   */
  @Test
  void nonFiniteValuesAreLeftOutAndCounted() {
    Random r = new Random(5);
    List<Row> finite = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double x = r.nextGaussian();
      finite.add(RowFactory.create(Timestamp.from(FROM.plusSeconds(i * 60L)), x, (int) Math.round(x * 5),
          new BigDecimal(String.format("%.6f", x + r.nextGaussian()))));
    }
    List<Row> withInfinities = new ArrayList<>(finite);
    withInfinities.add(RowFactory.create(Timestamp.from(FROM.plusSeconds(1)), Double.POSITIVE_INFINITY, 1,
        new BigDecimal("1.000000")));
    withInfinities.add(RowFactory.create(Timestamp.from(FROM.plusSeconds(2)), Double.NEGATIVE_INFINITY, 2,
        new BigDecimal("2.000000")));
    withInfinities.add(RowFactory.create(Timestamp.from(FROM.plusSeconds(3)), Double.NaN, 3,
        new BigDecimal("3.000000")));

    Map<String, Row> expected = byKey(correlations(finite));
    List<Row> gold = correlations(withInfinities);

    assertEquals(27, gold.size());
    for (Row row : gold) {
      Row want = expected.get(key(row));
      assertEquals(300L, (long) row.getAs("n"), key(row));
      assertEquals(3L, (long) row.getAs("excluded_non_finite"), key(row));
      assertEquals(0L, (long) want.getAs("excluded_non_finite"));
      double w = want.getAs("value");
      assertEquals(w, (double) row.getAs("value"), 1e-12 * Math.max(1, Math.abs(w)), key(row));
    }
  }

  private static String key(Row r) {
    return r.getAs("method") + "/" + r.getAs("column_x") + "/" + r.getAs("column_y");
  }

  private static Map<String, Row> byKey(List<Row> rows) {
    Map<String, Row> out = new HashMap<>();
    rows.forEach(r -> out.put(key(r), r));
    return out;
  }
}
