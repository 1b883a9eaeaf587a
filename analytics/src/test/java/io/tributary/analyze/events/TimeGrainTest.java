package io.tributary.analyze.events;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.analyze.TimeGrain;
import io.tributary.config.ConfigException;
import io.tributary.testing.TestSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Window alignment and clipping, shared by the event metrics, drift and anomaly analyses. */
class TimeGrainTest {
  @Test
  void windowsAlignInUtcAndWeeksStartOnMonday() {
    Instant t = Instant.parse("2026-03-05T13:47:12.345Z"); // a Thursday
    assertEquals(Instant.parse("2026-03-05T13:00:00Z"), TimeGrain.HOUR.floor(t));
    assertEquals(Instant.parse("2026-03-05T00:00:00Z"), TimeGrain.DAY.floor(t));
    assertEquals(Instant.parse("2026-03-02T00:00:00Z"), TimeGrain.WEEK.floor(t));
    assertEquals(Instant.parse("2026-03-02T00:00:00Z"), TimeGrain.WEEK.floor(Instant.parse("2026-03-02T00:00:00Z")));
    assertEquals(Instant.parse("2026-02-23T00:00:00Z"), TimeGrain.WEEK.floor(Instant.parse("2026-03-01T23:59:59Z")));

    // The Spark column agrees with the driver-side floor.
    var spark = TestSpark.get();
    var df = spark.createDataFrame(List.of(RowFactory.create(Timestamp.from(t))), StructType.fromDDL("t TIMESTAMP"));
    Row r = df.select(TimeGrain.HOUR.naturalStart(col("t")), TimeGrain.DAY.naturalStart(col("t")),
        TimeGrain.WEEK.naturalStart(col("t"))).first();
    assertEquals(TimeGrain.HOUR.floor(t), r.getTimestamp(0).toInstant());
    assertEquals(TimeGrain.DAY.floor(t), r.getTimestamp(1).toInstant());
    assertEquals(TimeGrain.WEEK.floor(t), r.getTimestamp(2).toInstant());
  }

  @Test
  void spansAreClippedToTheRange() {
    Instant from = Instant.parse("2026-03-04T00:00:00Z");
    Instant to = Instant.parse("2026-03-10T12:00:00Z");
    List<TimeGrain.Span> weeks = TimeGrain.WEEK.spans(from, to);
    assertEquals(List.of(
        new TimeGrain.Span(from, Instant.parse("2026-03-09T00:00:00Z"), Instant.parse("2026-03-02T00:00:00Z")),
        new TimeGrain.Span(Instant.parse("2026-03-09T00:00:00Z"), to, Instant.parse("2026-03-09T00:00:00Z"))), weeks);
    assertEquals(7, TimeGrain.DAY.spans(from, to).size());
    assertEquals(List.of(new TimeGrain.Span(from, to, from)), TimeGrain.ALL.spans(from, to));
    assertEquals(List.of(), TimeGrain.HOUR.spans(to, to));
    assertThrows(ConfigException.class, () -> TimeGrain.parse("all", "drift.window", TimeGrain.HOUR, TimeGrain.DAY));
  }
}
