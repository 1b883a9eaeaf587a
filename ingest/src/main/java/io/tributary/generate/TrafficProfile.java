package io.tributary.generate;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;

/**
 * How busy each hour is: daily seasonality (quiet at night UTC, peak in the evening), weekends 30% busier,
 * and a little day-level and hour-level noise. Multipliers average 1 over a week.
 */
final class TrafficProfile {

  /** Relative traffic by UTC hour of day. */
  private static final double[] HOUR_OF_DAY = {
      0.55, 0.40, 0.30, 0.25, 0.25, 0.30, 0.45, 0.65, 0.85, 1.00, 1.05, 1.10,
      1.15, 1.10, 1.10, 1.15, 1.25, 1.45, 1.70, 1.85, 1.90, 1.70, 1.30, 0.85};
  private static final double WEEKEND = 1.3;
  /** Relative traffic from which an hour counts as busy: 17-21 UTC. */
  private static final double BUSY_HOUR = 1.45;
  private static final double WEEK_MEAN = mean(HOUR_OF_DAY) * (5 + 2 * WEEKEND) / 7;
  /** Noise small enough that an anomaly (x3 or more, x0.2 or less) stays far outside it. */
  private static final double DAY_NOISE_SIGMA = 0.02;
  private static final double HOUR_NOISE_SIGMA = 0.02;

  private TrafficProfile() {
  }

  /** Expected traffic of the hour starting at {@code hourStart}, relative to the weekly mean. */
  static double seasonal(Instant hourStart) {
    ZonedDateTime utc = hourStart.atZone(ZoneOffset.UTC);
    DayOfWeek day = utc.getDayOfWeek();
    boolean weekend = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
    return HOUR_OF_DAY[utc.getHour()] * (weekend ? WEEKEND : 1.0) / WEEK_MEAN;
  }

  /** Seasonal multiplier with noise for every hour of the spec. */
  static double[] hourlyMultipliers(GeneratorSpec spec) {
    SplittableRandom random = Randoms.stream(spec.seed(), "traffic-noise");
    double[] multipliers = new double[spec.hours()];
    double dayNoise = 1;
    for (int h = 0; h < multipliers.length; h++) {
      if (h % 24 == 0) {
        dayNoise = Randoms.logNormal(random, DAY_NOISE_SIGMA);
      }
      Instant hourStart = spec.start().plusSeconds(3600L * h);
      multipliers[h] = seasonal(hourStart) * dayNoise * Randoms.logNormal(random, HOUR_NOISE_SIGMA);
    }
    return multipliers;
  }

  /** True for the five busiest hours of the day (17-21 UTC), where an anomaly stands far above counting noise. */
  static boolean isBusyHour(Instant hourStart) {
    return HOUR_OF_DAY[hourStart.atZone(ZoneOffset.UTC).getHour()] >= BUSY_HOUR;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum / values.length;
  }
}
