package io.tributary.analyze.anomaly;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.generate.Anomaly;
import io.tributary.generate.ClickstreamGenerator;
import io.tributary.generate.GeneratedRecord;
import io.tributary.generate.GeneratorSpec;
import io.tributary.testing.TestSpark;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Scores the detector against the anomalies the demo generator injected (default spec: 14 days, ~150k events,
 * 6 anomalous hours).
 *
 * <p>Scoring: an injected anomaly of type X (or {@code *}) at hour H is found when the point (H, X) is flagged.
 * A flagged point (H, S) is explained by an anomaly at H when S is its type, or the anomaly is for all types
 * (a {@code *} spike raises every type), or S is {@code *} (a one-type anomaly moves the total too); explained
 * flags are neither true nor false positives of their own. Every other flag is a false positive. So
 * {@code precision = tp / (tp + fp)} and {@code recall = tp / (tp + fn)} with tp the anomalies found.
 */
class GroundTruthEvaluationTest {
  static final StructType SILVER = StructType.fromDDL("event_id STRING, event_time TIMESTAMP, event_type STRING, "
      + "user_id STRING, session_id STRING, country STRING, device STRING, product_id STRING, category STRING, "
      + "price DECIMAL(10,2), quantity INT");

  record Score(int tp, int fp, int fn) {
    double precision() {
      return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
    }

    double recall() {
      return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
    }

    String line(String what) {
      return String.format("%s: precision=%.2f recall=%.2f (tp=%d, fp=%d, fn=%d)", what, precision(), recall(), tp,
          fp, fn);
    }
  }

  @Test
  void seasonalDetectorFindsTheInjectedAnomalies() {
    SparkSession spark = TestSpark.get();
    GeneratorSpec spec = GeneratorSpec.defaults();
    ClickstreamGenerator generator = new ClickstreamGenerator(spec);
    List<String> lines = new ArrayList<>();
    generator.generate().forEachRemaining(r -> {
      if (r.isFirstValidCopy()) {
        lines.add(r.line());
      }
    });
    List<Anomaly> truth = generator.anomalies();
    Dataset<Row> events = spark.read().schema(SILVER).json(spark.createDataset(lines, Encoders.STRING())).cache();
    List<Row> flagged;
    try {
      flagged = new AnomalyAnalysis(AnomalySpec.defaults())
          .detect(events, "clickstream", "event_time", spec.start(), spec.end())
          .where(col("is_anomaly"))
          .select("method", "window_start", "series", "value", "expected", "score")
          .collectAsList();
    } finally {
      events.unpersist();
    }

    Score seasonal = score(flagged, AnomalySpec.SEASONAL, truth);
    Score robust = score(flagged, AnomalySpec.ROBUST_Z, truth);
    System.out.println("injected: " + truth);
    flagged.stream().filter(r -> r.getString(0).equals(AnomalySpec.SEASONAL)).forEach(r -> System.out.println("  " + r));
    System.out.println(seasonal.line("anomaly detection"));
    System.out.println(robust.line("anomaly detection (robust_z, for comparison)"));
    assertTrue(seasonal.precision() >= 0.9, seasonal.line("seasonal"));
    assertTrue(seasonal.recall() >= 0.9, seasonal.line("seasonal"));
  }

  static Score score(List<Row> flagged, String method, List<Anomaly> truth) {
    Set<String> points = new HashSet<>();
    int fp = 0;
    for (Row r : flagged) {
      if (!r.getString(0).equals(method)) {
        continue;
      }
      Instant hour = r.getTimestamp(1).toInstant();
      String series = r.getString(2);
      points.add(hour + " " + series);
      boolean explained = truth.stream().anyMatch(a -> a.windowStart().equals(hour)
          && (a.eventType().equals(series) || a.eventType().equals(Anomaly.ALL_TYPES) || series.equals(Anomaly.ALL_TYPES)));
      if (!explained) {
        fp++;
      }
    }
    int tp = (int) truth.stream().filter(a -> points.contains(a.windowStart() + " " + a.eventType())).count();
    return new Score(tp, fp, truth.size() - tp);
  }
}
