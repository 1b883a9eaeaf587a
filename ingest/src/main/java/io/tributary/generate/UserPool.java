package io.tributary.generate;

import java.util.SplittableRandom;

/**
 * The users: a pool sized to the traffic, with heavy-tailed activity, a home country and a usual device.
 * Immutable; who is busy right now is tracked by the traffic simulation.
 */
final class UserPool {

  static final String[] DEVICES = {"mobile", "desktop", "tablet"};
  private static final double[] DEVICE_WEIGHTS = {55, 35, 10};
  private static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "IN", "BR", "JP", "CA", "ES", "AU"};
  private static final double[] COUNTRY_WEIGHTS = {30, 12, 11, 9, 9, 8, 7, 6, 5, 3};
  /** Share of a user's sessions on their usual device. */
  private static final double USUAL_DEVICE_SHARE = 0.85;

  private final String[] ids;
  private final String[] countries;
  private final int[] usualDevice;
  private final WeightedSampler activity;
  private final WeightedSampler devices = new WeightedSampler(DEVICE_WEIGHTS);

  UserPool(long seed, int eventsPerDay) {
    SplittableRandom random = Randoms.stream(seed, "users");
    int size = Math.max(200, Math.min(2_000_000, eventsPerDay / 2));
    ids = new String[size];
    countries = new String[size];
    usualDevice = new int[size];
    WeightedSampler countryMix = new WeightedSampler(COUNTRY_WEIGHTS);
    for (int u = 0; u < size; u++) {
      ids[u] = String.format("u-%06d", u + 1);
      countries[u] = COUNTRIES[countryMix.sample(random)];
      usualDevice[u] = devices.sample(random);
    }
    // Shifted Zipf: a few users are very active, most visit rarely, nobody has sessions back to back all day.
    activity = WeightedSampler.zipf(size, 1.1, 20, random);
  }

  int size() {
    return ids.length;
  }

  int sample(SplittableRandom random) {
    return activity.sample(random);
  }

  int sessionDevice(int user, SplittableRandom random) {
    return random.nextDouble() < USUAL_DEVICE_SHARE ? usualDevice[user] : devices.sample(random);
  }

  String id(int user) {
    return ids[user];
  }

  String country(int user) {
    return countries[user];
  }
}
