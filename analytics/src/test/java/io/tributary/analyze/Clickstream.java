package io.tributary.analyze;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Silver-like clickstream rows for tests: deterministic per day and seed, with some nulls. */
public final class Clickstream {
  public static final StructType SCHEMA = StructType.fromDDL("event_id STRING, event_time TIMESTAMP, "
      + "event_type STRING, user_id STRING, session_id STRING, country STRING, device STRING, product_id STRING, "
      + "category STRING, price DECIMAL(10,2), quantity INT, event_date DATE, _ingest_time TIMESTAMP, "
      + "_batch_id BIGINT");
  private static final String[] COUNTRIES = {"US", "DE", "FR", "GB", "IN"};
  private static final String[] DEVICES = {"mobile", "desktop", "tablet"};
  private static final String[] CATEGORIES = {"books", "toys", "garden", "electronics", "music"};

  private Clickstream() {}

  /** {@code events} rows spread over the UTC day {@code day}. */
  public static List<Row> day(LocalDate day, int events, long seed) {
    Random r = new Random(seed * 31 + day.toEpochDay());
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      Instant t = start.plusMillis((long) (r.nextDouble() * 86_400_000L));
      double u = r.nextDouble();
      String type = u < 0.7 ? "view" : u < 0.9 ? "cart" : "purchase";
      String user = "u" + r.nextInt(200);
      BigDecimal price = r.nextDouble() < 0.05 ? null
          : BigDecimal.valueOf(100 + r.nextInt(50_000), 2);
      Integer quantity = r.nextDouble() < 0.02 ? null : 1 + r.nextInt(5);
      out.add(RowFactory.create(day + "-" + i, Timestamp.from(t), type, user, user + "-s" + r.nextInt(3),
          r.nextDouble() < 0.03 ? null : COUNTRIES[r.nextInt(COUNTRIES.length)],
          DEVICES[r.nextInt(DEVICES.length)],
          "p" + r.nextInt(300),
          r.nextDouble() < 0.05 ? null : CATEGORIES[Math.min(r.nextInt(6), CATEGORIES.length - 1)],
          price, quantity, Date.valueOf(day), Timestamp.from(Instant.now()), 1L));
    }
    return out;
  }

  /** Rows of consecutive days starting at {@code first}. */
  public static List<Row> days(LocalDate first, int days, int eventsPerDay, long seed) {
    List<Row> out = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      out.addAll(day(first.plusDays(d), eventsPerDay, seed));
    }
    return out;
  }
}
