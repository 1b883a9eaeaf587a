package io.tributary.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A second, different dataset: readings from 40 sensors on 5 sites, each reporting at a jittered interval
 * sized so the fleet sends about {@code eventsPerDay} readings a day. Temperature follows the time of day,
 * humidity moves against it, batteries drain and get replaced. Bad lines, duplicates and late readings come
 * from the same delivery code as the clickstream; anomalies are not injected here.
 */
public final class SensorTelemetryGenerator implements EventGenerator {

  public static final String DATASET = "sensors";

  private static final String[] SITES =
      {"plant-berlin", "plant-lyon", "warehouse-porto", "warehouse-gdansk", "office-dublin"};
  private static final double[] SITE_TEMPERATURE = {21.0, 22.5, 18.0, 16.5, 20.0};
  private static final int SENSORS = 40;
  private static final long DAY_MS = Duration.ofDays(1).toMillis();

  private final GeneratorSpec spec;

  public SensorTelemetryGenerator(GeneratorSpec spec) {
    this.spec = spec;
  }

  @Override
  public String dataset() {
    return DATASET;
  }

  @Override
  public GeneratorSpec spec() {
    return spec;
  }

  @Override
  public Generation generate() {
    Ids ids = new Ids(spec.seed(), "r-");
    GroundTruthRecorder truth = new GroundTruthRecorder(DATASET, spec, List.of());
    return new Generation(new ArrivalStream(new Readings(spec, ids), RecordSchema.SENSORS, spec, ids, truth),
        truth::build);
  }

  /** One sensor's state between readings. */
  private static final class Sensor {
    final String id;
    final int site;
    final double offset;
    double battery;
    long nextMillis;

    Sensor(String id, int site, double offset, double battery, long nextMillis) {
      this.id = id;
      this.site = site;
      this.offset = offset;
      this.battery = battery;
      this.nextMillis = nextMillis;
    }
  }

  /** Readings of the whole fleet in time order: always the sensor due next. */
  private static final class Readings implements Iterator<SourceEvent> {
    private final Ids ids;
    private final long endMillis;
    private final double meanIntervalMs;
    private final SplittableRandom random;
    private final PriorityQueue<Sensor> due = new PriorityQueue<>(
        Comparator.comparingLong((Sensor s) -> s.nextMillis).thenComparing(s -> s.id));
    private long count;

    Readings(GeneratorSpec spec, Ids ids) {
      this.ids = ids;
      this.endMillis = spec.end().toEpochMilli();
      this.meanIntervalMs = (double) DAY_MS * SENSORS / spec.eventsPerDay();
      this.random = Randoms.stream(spec.seed(), "sensors");
      long start = spec.start().toEpochMilli();
      for (int s = 0; s < SENSORS; s++) {
        long first = start + (long) (random.nextDouble() * meanIntervalMs);
        due.add(new Sensor(String.format("sensor-%03d", s + 1), s % SITES.length,
            random.nextDouble() * 2 - 1, 40 + random.nextDouble() * 60, first));
      }
    }

    @Override
    public boolean hasNext() {
      return due.peek().nextMillis < endMillis;
    }

    @Override
    public SourceEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Sensor sensor = due.poll();
      SourceEvent reading = read(sensor, sensor.nextMillis);
      sensor.nextMillis += (long) (meanIntervalMs * (0.9 + 0.2 * random.nextDouble()));
      due.add(sensor);
      return reading;
    }

    private SourceEvent read(Sensor sensor, long time) {
      double hourOfDay = (time % DAY_MS) / 3_600_000.0;
      double daily = 4 * Math.sin(2 * Math.PI * (hourOfDay - 9) / 24); // warmest mid-afternoon UTC
      double temperature = SITE_TEMPERATURE[sensor.site] + sensor.offset + daily + 0.3 * Randoms.gaussian(random);
      double humidity = Math.max(5, Math.min(100, 55 - 2.5 * daily + 1.5 * Randoms.gaussian(random)));
      sensor.battery -= 0.005 + 0.01 * random.nextDouble();
      if (sensor.battery < 10) {
        sensor.battery = 100; // replaced
      }
      String id = ids.event(count++);
      Map<String, Object> fields = new LinkedHashMap<>(12);
      fields.put("reading_id", id);
      fields.put("ts", Json.timestamp(time));
      fields.put("sensor_id", sensor.id);
      fields.put("site", SITES[sensor.site]);
      fields.put("temperature", decimal(temperature, 2));
      fields.put("humidity", decimal(humidity, 1));
      fields.put("battery", decimal(sensor.battery, 1));
      return new SourceEvent(fields, id, time, sensor.id);
    }

    private static BigDecimal decimal(double value, int scale) {
      return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP);
    }
  }
}
