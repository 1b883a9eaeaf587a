package io.tributary.generate;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Valid clickstream events in event-time order, simulated hour by hour.
 *
 * <p>Each hour, sessions start as a Poisson process at the hour's seasonal rate, each from a user whose last
 * session ended more than 30 minutes earlier. Their events wait in a heap until their hour is complete, so
 * memory holds only the sessions in flight. Anomalous hours thin events (drop) or add events to the same
 * sessions (spike), which multiplies the hourly count by the factor in expectation.
 */
final class ClickstreamEvents implements Iterator<SourceEvent> {

  private static final long HOUR_MS = Duration.ofHours(1).toMillis();
  private static final long SESSION_TIMEOUT_MS = Duration.ofMinutes(30).toMillis();
  /** Spike events follow their template within this long. */
  private static final long SPIKE_JITTER_MS = 30_000;
  /** Give up on a session after this many busy users were drawn (only the busiest users saturate). */
  private static final int USER_DRAWS = 8;

  private final long startMillis;
  private final int hours;
  private final Ids ids;
  private final Catalogue catalogue;
  private final UserPool users;
  private final SessionModel sessions;
  private final Anomaly[] anomalyByHour;
  private final double[] multipliers;
  private final double sessionsPerHour;
  private final SplittableRandom traffic;
  private final SplittableRandom anomalyRandom;
  private final long[] lastSessionEnd;
  private final PriorityQueue<SessionModel.Click> inFlight = new PriorityQueue<>(
      Comparator.comparingLong(SessionModel.Click::timeMillis).thenComparingLong(SessionModel.Click::order));
  private final ArrayDeque<SessionModel.Click> ready = new ArrayDeque<>();
  private int nextHour;
  private long sessionCount;
  private long eventCount;

  ClickstreamEvents(GeneratorSpec spec, List<Anomaly> anomalies, Ids ids) {
    this.startMillis = spec.start().toEpochMilli();
    this.hours = spec.hours();
    this.ids = ids;
    this.catalogue = new Catalogue(spec.seed());
    this.users = new UserPool(spec.seed(), spec.eventsPerDay());
    this.sessions = new SessionModel(catalogue);
    this.anomalyByHour = new Anomaly[hours];
    for (Anomaly anomaly : anomalies) {
      anomalyByHour[(int) ((anomaly.windowStart().toEpochMilli() - startMillis) / HOUR_MS)] = anomaly;
    }
    this.multipliers = TrafficProfile.hourlyMultipliers(spec);
    this.sessionsPerHour = spec.eventsPerDay() / 24.0 / SessionModel.meanEventsPerSession();
    this.traffic = Randoms.stream(spec.seed(), "traffic");
    this.anomalyRandom = Randoms.stream(spec.seed(), "anomaly-traffic");
    this.lastSessionEnd = new long[users.size()];
    Arrays.fill(lastSessionEnd, Long.MIN_VALUE / 2);
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && nextHour < hours) {
      simulateHour(nextHour++);
    }
    return !ready.isEmpty();
  }

  @Override
  public SourceEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return toEvent(ready.poll());
  }

  private void simulateHour(int hour) {
    long hourStart = startMillis + hour * HOUR_MS;
    long hourEnd = hourStart + HOUR_MS;
    double meanGapMs = HOUR_MS / (sessionsPerHour * multipliers[hour]);
    for (double t = hourStart + Randoms.exponential(traffic, meanGapMs); t < hourEnd;
         t += Randoms.exponential(traffic, meanGapMs)) {
      startSession((long) t);
    }
    // Every event before hourEnd is known now: later sessions start at or after it.
    while (!inFlight.isEmpty() && inFlight.peek().timeMillis() < hourEnd) {
      ready.add(inFlight.poll());
    }
    if (hour == hours - 1) {
      inFlight.clear(); // sessions running past the end are cut off
    }
  }

  private void startSession(long start) {
    int user = -1;
    for (int draw = 0; draw < USER_DRAWS && user < 0; draw++) {
      int candidate = users.sample(traffic);
      if (start >= lastSessionEnd[candidate] + SESSION_TIMEOUT_MS) {
        user = candidate;
      }
    }
    if (user < 0) {
      return;
    }
    String sessionId = ids.session(sessionCount++);
    int device = users.sessionDevice(user, traffic);
    List<SessionModel.Click> clicks = sessions.simulate(start, user, users.segment(user), sessionId, device, traffic);
    long end = clicks.get(clicks.size() - 1).timeMillis();
    lastSessionEnd[user] = end;
    clicks.forEach(click -> admit(click, end));
  }

  /**
   * Queues a click, applying the anomaly of its hour if one affects its type. Spike events stay between the
   * click and the end of its session (and hour), so sessions keep their span and timeout gaps.
   */
  private void admit(SessionModel.Click click, long sessionEnd) {
    int hour = (int) ((click.timeMillis() - startMillis) / HOUR_MS);
    Anomaly anomaly = hour < hours ? anomalyByHour[hour] : null;
    if (anomaly == null || !affects(anomaly, click.type())) {
      inFlight.add(click);
    } else if (Anomaly.DROP.equals(anomaly.kind())) {
      if (anomalyRandom.nextDouble() < anomaly.factor()) {
        inFlight.add(click);
      }
    } else {
      inFlight.add(click);
      double extra = anomaly.factor() - 1;
      int copies = (int) extra + (anomalyRandom.nextDouble() < extra - Math.floor(extra) ? 1 : 0);
      long latest = Math.min(sessionEnd, startMillis + (hour + 1) * HOUR_MS - 1);
      for (int i = 0; i < copies; i++) {
        long time = Math.min(latest, click.timeMillis() + anomalyRandom.nextLong(SPIKE_JITTER_MS));
        inFlight.add(sessions.extra(click, time, anomalyRandom));
      }
    }
  }

  private static boolean affects(Anomaly anomaly, String type) {
    return Anomaly.ALL_TYPES.equals(anomaly.eventType()) || anomaly.eventType().equals(type);
  }

  private SourceEvent toEvent(SessionModel.Click click) {
    String id = ids.event(eventCount++);
    String user = users.id(click.user());
    Map<String, Object> fields = new LinkedHashMap<>(16);
    fields.put("event_id", id);
    fields.put("event_time", Json.timestamp(click.timeMillis()));
    fields.put("event_type", click.type());
    fields.put("user_id", user);
    fields.put("session_id", click.sessionId());
    fields.put("country", users.country(click.user()));
    fields.put("device", UserPool.DEVICES[click.device()]);
    fields.put("product_id", catalogue.productId(click.product()));
    fields.put("category", catalogue.category(click.product()));
    fields.put("price", catalogue.price(click.product()));
    fields.put("quantity", click.quantity());
    return new SourceEvent(fields, id, click.timeMillis(), user);
  }
}
