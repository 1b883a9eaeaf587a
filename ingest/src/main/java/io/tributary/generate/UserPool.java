package io.tributary.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The users: a pool sized to the traffic, with heavy-tailed activity, a home country and a planted segment
 * ({@link PlantedSegment}) that sets their usual device, favourite categories, purchase propensity and how often
 * they return. Immutable; who is busy right now is tracked by the traffic simulation.
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
  private final int[] segments;
  private final WeightedSampler activity;
  private final WeightedSampler devices = new WeightedSampler(DEVICE_WEIGHTS);

  UserPool(long seed, int eventsPerDay) {
    SplittableRandom random = Randoms.stream(seed, "users");
    // A stream of its own, so segments do not move countries or activity ranks.
    SplittableRandom segmentRandom = Randoms.stream(seed, "segments");
    int size = Math.max(200, Math.min(2_000_000, eventsPerDay / 2));
    ids = new String[size];
    countries = new String[size];
    segments = new int[size];
    WeightedSampler countryMix = new WeightedSampler(COUNTRY_WEIGHTS);
    WeightedSampler segmentMix = new WeightedSampler(
        PlantedSegment.ALL.stream().mapToDouble(PlantedSegment::weight).toArray());
    for (int u = 0; u < size; u++) {
      ids[u] = String.format("u-%06d", u + 1);
      countries[u] = COUNTRIES[countryMix.sample(random)];
      segments[u] = segmentMix.sample(segmentRandom);
    }
    // Shifted Zipf: a few users are very active, most visit rarely, nobody has sessions back to back all day.
    double[] weights = WeightedSampler.zipfWeights(size, 1.1, 20, random);
    for (int u = 0; u < size; u++) {
      weights[u] *= segment(u).activity();
    }
    activity = new WeightedSampler(weights);
  }

  int size() {
    return ids.length;
  }

  int sample(SplittableRandom random) {
    return activity.sample(random);
  }

  int sessionDevice(int user, SplittableRandom random) {
    return random.nextDouble() < USUAL_DEVICE_SHARE ? PlantedSegment.deviceIndex(segment(user))
        : devices.sample(random);
  }

  PlantedSegment segment(int user) {
    return PlantedSegment.ALL.get(segments[user]);
  }

  String id(int user) {
    return ids[user];
  }

  String country(int user) {
    return countries[user];
  }

  /** Every user's planted segment and propensity, in user order. */
  List<PlantedUser> truth() {
    List<PlantedUser> out = new ArrayList<>(ids.length);
    for (int u = 0; u < ids.length; u++) {
      PlantedSegment s = segment(u);
      out.add(new PlantedUser(ids[u], s.name(), s.checkoutRate(), activity.probability(u)));
    }
    return out;
  }
}
