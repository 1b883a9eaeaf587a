package io.tributary.generate;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What to generate: an immutable, validated description of one synthetic dataset.
 *
 * <p>Everything random is derived from {@code seed}, so two runs with equal specs produce byte-identical output.
 * Rates are fractions of the unique valid events: {@code badRate} extra malformed lines, {@code duplicateRate}
 * events re-sent one or more times, {@code lateRate} events that arrive 2-48 hours after their event time.
 * {@code anomalies} is a count of anomalous hours (clickstream only); they need a clean first week as baseline,
 * so any anomalies require at least 8 days.
 *
 * @param seed          root of every random stream
 * @param start         first event-time hour (UTC, must be a whole hour)
 * @param days          length of the event-time range
 * @param eventsPerDay  mean number of valid events per day over a week
 * @param badRate       bad lines per valid event, in [0, 0.5]
 * @param duplicateRate share of valid events re-sent, in [0, 0.5]
 * @param lateRate      share of valid events delivered late, in [0, 0.5]
 * @param anomalies     number of anomalous hours to inject
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GeneratorSpec(
    long seed,
    Instant start,
    int days,
    int eventsPerDay,
    double badRate,
    double duplicateRate,
    double lateRate,
    int anomalies) {

  public static final long DEFAULT_SEED = 42L;
  public static final Instant DEFAULT_START = Instant.parse("2026-03-02T00:00:00Z");
  public static final int DEFAULT_DAYS = 14;
  /** 14 days x 10,200 gives about 145k valid events, about 150k with the default spikes. */
  public static final int DEFAULT_EVENTS_PER_DAY = 10_200;
  public static final double DEFAULT_BAD_RATE = 0.002;
  public static final double DEFAULT_DUPLICATE_RATE = 0.005;
  public static final double DEFAULT_LATE_RATE = 0.01;
  public static final int DEFAULT_ANOMALIES = 6;

  /** Days of clean history an anomaly detector needs before the first anomaly (a weekly baseline). */
  public static final int BASELINE_DAYS = 7;

  public GeneratorSpec {
    Objects.requireNonNull(start, "start");
    if (!start.truncatedTo(ChronoUnit.HOURS).equals(start)) {
      throw new IllegalArgumentException("start must be a whole UTC hour, got " + start);
    }
    require(days >= 1, "days must be >= 1, got " + days);
    require(eventsPerDay >= 1, "eventsPerDay must be >= 1, got " + eventsPerDay);
    requireRate("badRate", badRate);
    requireRate("duplicateRate", duplicateRate);
    requireRate("lateRate", lateRate);
    require(anomalies >= 0, "anomalies must be >= 0, got " + anomalies);
    require(anomalies == 0 || days > BASELINE_DAYS,
        "anomalies need more than " + BASELINE_DAYS + " days (a clean weekly baseline first), got " + days);
  }

  /** The demo defaults: 14 days from 2026-03-02, ~150k events, 0.2% bad, 0.5% duplicates, 1% late, 6 anomalies. */
  public static GeneratorSpec defaults() {
    return new GeneratorSpec(DEFAULT_SEED, DEFAULT_START, DEFAULT_DAYS, DEFAULT_EVENTS_PER_DAY,
        DEFAULT_BAD_RATE, DEFAULT_DUPLICATE_RATE, DEFAULT_LATE_RATE, DEFAULT_ANOMALIES);
  }

  /** End of the event-time range (exclusive). */
  public Instant end() {
    return start.plus(Duration.ofDays(days));
  }

  public int hours() {
    return days * 24;
  }

  /** A builder starting from this spec; validation happens once, in {@link Builder#build()}. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Same spec without bad lines, duplicates, late events or anomalies. */
  public GeneratorSpec clean() {
    return new GeneratorSpec(seed, start, days, eventsPerDay, 0, 0, 0, 0);
  }

  public GeneratorSpec withSeed(long value) {
    return new GeneratorSpec(value, start, days, eventsPerDay, badRate, duplicateRate, lateRate, anomalies);
  }

  public GeneratorSpec withStart(Instant value) {
    return new GeneratorSpec(seed, value, days, eventsPerDay, badRate, duplicateRate, lateRate, anomalies);
  }

  public GeneratorSpec withDays(int value) {
    return new GeneratorSpec(seed, start, value, eventsPerDay, badRate, duplicateRate, lateRate, anomalies);
  }

  public GeneratorSpec withEventsPerDay(int value) {
    return new GeneratorSpec(seed, start, days, value, badRate, duplicateRate, lateRate, anomalies);
  }

  public GeneratorSpec withBadRate(double value) {
    return new GeneratorSpec(seed, start, days, eventsPerDay, value, duplicateRate, lateRate, anomalies);
  }

  public GeneratorSpec withDuplicateRate(double value) {
    return new GeneratorSpec(seed, start, days, eventsPerDay, badRate, value, lateRate, anomalies);
  }

  public GeneratorSpec withLateRate(double value) {
    return new GeneratorSpec(seed, start, days, eventsPerDay, badRate, duplicateRate, value, anomalies);
  }

  public GeneratorSpec withAnomalies(int value) {
    return new GeneratorSpec(seed, start, days, eventsPerDay, badRate, duplicateRate, lateRate, value);
  }

  private static void requireRate(String name, double rate) {
    require(rate >= 0 && rate <= 0.5, name + " must be in [0, 0.5], got " + rate);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * Changes several settings at once without order mattering (each wither validates on its own, so
   * {@code defaults().withDays(3)} fails while the default anomalies are still set).
   */
  public static final class Builder {
    private long seed;
    private Instant start;
    private int days;
    private int eventsPerDay;
    private double badRate;
    private double duplicateRate;
    private double lateRate;
    private int anomalies;

    private Builder(GeneratorSpec from) {
      seed = from.seed;
      start = from.start;
      days = from.days;
      eventsPerDay = from.eventsPerDay;
      badRate = from.badRate;
      duplicateRate = from.duplicateRate;
      lateRate = from.lateRate;
      anomalies = from.anomalies;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder start(Instant value) {
      start = value;
      return this;
    }

    public Builder days(int value) {
      days = value;
      return this;
    }

    public Builder eventsPerDay(int value) {
      eventsPerDay = value;
      return this;
    }

    public Builder badRate(double value) {
      badRate = value;
      return this;
    }

    public Builder duplicateRate(double value) {
      duplicateRate = value;
      return this;
    }

    public Builder lateRate(double value) {
      lateRate = value;
      return this;
    }

    public Builder anomalies(int value) {
      anomalies = value;
      return this;
    }

    public GeneratorSpec build() {
      return new GeneratorSpec(seed, start, days, eventsPerDay, badRate, duplicateRate, lateRate, anomalies);
    }
  }
}
