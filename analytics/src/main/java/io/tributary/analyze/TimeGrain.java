package io.tributary.analyze;

import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_micros;

import io.tributary.config.ConfigException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The time windows results are reported per: {@code hour}, {@code day}, {@code week} or {@code all} (the whole
 * analysed range). Windows are aligned in UTC, whatever the session time zone: hours and days on their
 * boundaries, weeks on Mondays (ISO weeks).
 *
 * <p>A window that sticks out of the analysed range {@code [from, to)} is clipped to it, so
 * {@code window_start} and {@code window_end} always say exactly which interval the numbers cover, and every
 * result row's {@code window_start} lies in the range (what the gold writer replaces on a re-run). Runs whose
 * range is aligned to the largest window get whole windows only.
 */
public enum TimeGrain {
  HOUR(Duration.ofHours(1)),
  DAY(Duration.ofDays(1)),
  WEEK(Duration.ofDays(7)),
  ALL(null);

  /** 1970-01-01 was a Thursday: shifting epoch time by three days puts week boundaries on Mondays. */
  private static final long WEEK_SHIFT_MICROS = Duration.ofDays(3).toNanos() / 1000;

  /** Columns of {@link #table}: the window columns every result row starts with (after {@code job}). */
  public static final StructType WINDOW_SCHEMA = new StructType()
      .add("window", DataTypes.StringType, false)
      .add("window_start", DataTypes.TimestampType, false)
      .add("window_end", DataTypes.TimestampType, false);

  private final Duration size;

  TimeGrain(Duration size) {
    this.size = size;
  }

  /** The name used in configuration and in the {@code window} column. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param configKey the configuration key the value came from, named in the error
   * @param allowed the grains valid there
   */
  public static TimeGrain parse(String value, String configKey, TimeGrain... allowed) {
    for (TimeGrain g : allowed) {
      if (g.key().equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
        return g;
      }
    }
    throw new ConfigException("invalid value '" + value + "' for '" + configKey + "': use one of "
        + Arrays.stream(allowed).map(TimeGrain::key).toList());
  }

  /** Length of a whole window; not defined for {@link #ALL}. */
  public Duration size() {
    if (size == null) {
      throw new IllegalStateException("the 'all' window has no fixed size");
    }
    return size;
  }

  private long sizeMicros() {
    return size().toNanos() / 1000;
  }

  private long shiftMicros() {
    return this == WEEK ? WEEK_SHIFT_MICROS : 0;
  }

  /** Start of the aligned window containing {@code t}. */
  public Instant floor(Instant t) {
    long micros = Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1000;
    long start = micros - Math.floorMod(micros + shiftMicros(), sizeMicros());
    return Instant.ofEpochSecond(Math.floorDiv(start, 1_000_000L), Math.floorMod(start, 1_000_000L) * 1000);
  }

  /** Start of the aligned window containing each value of the TIMESTAMP column {@code ts}. */
  public Column naturalStart(Column ts) {
    Column micros = unix_micros(ts);
    return timestamp_micros(micros.minus(pmod(micros.plus(shiftMicros()), lit(sizeMicros()))));
  }

  /**
   * One window of a range.
   *
   * @param start the reported start, clipped to the range
   * @param end the reported end, clipped to the range
   * @param naturalStart the aligned start before clipping (the range start for {@link #ALL})
   */
  public record Span(Instant start, Instant end, Instant naturalStart) {}

  /** The windows of this grain overlapping {@code [from, to)}, clipped to it, in time order. */
  public List<Span> spans(Instant from, Instant to) {
    List<Span> out = new ArrayList<>();
    if (!from.isBefore(to)) {
      return out;
    }
    if (this == ALL) {
      out.add(new Span(from, to, from));
      return out;
    }
    for (Instant s = floor(from); s.isBefore(to); s = s.plus(size)) {
      Instant e = s.plus(size);
      out.add(new Span(s.isBefore(from) ? from : s, e.isAfter(to) ? to : e, s));
    }
    return out;
  }

  /** The windows of {@link #spans} as rows of {@link #WINDOW_SCHEMA}, e.g. to report empty windows too. */
  public Dataset<Row> table(SparkSession spark, Instant from, Instant to) {
    List<Row> rows = spans(from, to).stream()
        .map(s -> RowFactory.create(key(), Timestamp.from(s.start()), Timestamp.from(s.end())))
        .toList();
    return spark.createDataFrame(rows, WINDOW_SCHEMA);
  }

  /**
   * Adds {@code window}, {@code window_start} and {@code window_end}: the clipped window of this grain that
   * contains {@code ts}, which must lie in {@code [from, to)}.
   */
  public Dataset<Row> tag(Dataset<Row> rows, Column ts, Instant from, Instant to) {
    Column lo = lit(Timestamp.from(from));
    Column hi = lit(Timestamp.from(to));
    Column start;
    Column end;
    if (this == ALL) {
      start = lo;
      end = hi;
    } else {
      Column natural = naturalStart(ts);
      start = greatest(natural, lo);
      end = least(timestamp_micros(unix_micros(natural).plus(sizeMicros())), hi);
    }
    return rows.withColumn("window", lit(key()))
        .withColumn("window_start", start)
        .withColumn("window_end", end);
  }

  /** Seconds between two TIMESTAMP columns, with microsecond precision. */
  public static Column seconds(Column start, Column end) {
    return unix_micros(end).minus(unix_micros(start)).divide(1_000_000.0);
  }

  /** A TIMESTAMP literal. */
  public static Column timestamp(Instant t) {
    return lit(Timestamp.from(t));
  }
}
