package io.tributary.generate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Delivery, shared by every dataset: turns valid events in event-time order into lines in arrival order,
 * injecting bad lines, late events and duplicates, and recording each in the ground truth.
 *
 * <p>The arrival clock is the event time of the next on-time event. A late event is held back until the
 * clock passes its event time plus its lateness; a duplicate is re-sent byte-identical a few seconds to
 * half an hour after the original. Held-back lines still pending at the end are flushed in release order.
 */
final class ArrivalStream implements Iterator<GeneratedRecord> {

  static final long MIN_LATENESS_MS = Duration.ofHours(2).toMillis();
  static final long MAX_LATENESS_MS = Duration.ofHours(48).toMillis();
  /** Late events are released at least this long before the end, so on-time events still follow them. */
  private static final long LATE_MARGIN_MS = Duration.ofHours(1).toMillis();
  private static final double MIN_RESEND_MS = 1_000;
  private static final double MAX_RESEND_MS = Duration.ofMinutes(30).toMillis();

  /** A late event (line not yet rendered) or a duplicate copy (line kept byte-identical). */
  private record Held(long releaseMillis, long order, SourceEvent event, String duplicateLine,
                      long latenessMillis) {
  }

  private final Iterator<SourceEvent> source;
  private final GeneratorSpec spec;
  private final Ids ids;
  private final BadLines badLines;
  private final GroundTruthRecorder truth;
  private final SplittableRandom badRandom;
  private final SplittableRandom lateRandom;
  private final SplittableRandom duplicateRandom;
  private final long endMillis;
  private final PriorityQueue<Held> held = new PriorityQueue<>(
      Comparator.comparingLong(Held::releaseMillis).thenComparingLong(Held::order));
  private final ArrayDeque<GeneratedRecord> ready = new ArrayDeque<>();
  private long sequence;
  private long holdOrder;
  private long badCount;
  private long clock;
  private boolean exhausted;

  ArrivalStream(Iterator<SourceEvent> source, RecordSchema schema, GeneratorSpec spec, Ids ids,
                GroundTruthRecorder truth) {
    this.source = source;
    this.spec = spec;
    this.ids = ids;
    this.badLines = new BadLines(schema);
    this.truth = truth;
    this.badRandom = Randoms.stream(spec.seed(), "bad");
    this.lateRandom = Randoms.stream(spec.seed(), "late");
    this.duplicateRandom = Randoms.stream(spec.seed(), "duplicate");
    this.endMillis = spec.end().toEpochMilli();
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && !exhausted) {
      step();
    }
    return !ready.isEmpty();
  }

  @Override
  public GeneratedRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  private void step() {
    if (!source.hasNext()) {
      while (!held.isEmpty()) {
        release(held.poll());
      }
      exhausted = true;
      return;
    }
    SourceEvent event = source.next();
    clock = event.timeMillis();
    while (!held.isEmpty() && held.peek().releaseMillis() <= clock) {
      release(held.poll());
    }
    if (badRandom.nextDouble() < spec.badRate()) {
      emitBad(event);
    }
    long lateness = plannedLateness(event);
    if (lateness > 0) {
      held.add(new Held(event.timeMillis() + lateness, holdOrder++, event, null, lateness));
    } else {
      emitValid(event, GeneratedRecord.CLEAN, 0);
    }
  }

  private long plannedLateness(SourceEvent event) {
    if (lateRandom.nextDouble() >= spec.lateRate()) {
      return 0;
    }
    long room = endMillis - LATE_MARGIN_MS - event.timeMillis();
    if (room < MIN_LATENESS_MS) {
      return 0;
    }
    long max = Math.min(MAX_LATENESS_MS, room);
    return MIN_LATENESS_MS + (long) (lateRandom.nextDouble() * (max - MIN_LATENESS_MS));
  }

  private void release(Held item) {
    if (item.duplicateLine() == null) {
      emitValid(item.event(), GeneratedRecord.LATE, item.latenessMillis());
    } else {
      SourceEvent event = item.event();
      ready.add(new GeneratedRecord(++sequence, GeneratedRecord.DUPLICATE, item.duplicateLine(), event.id(),
          Instant.ofEpochMilli(event.timeMillis()), event.key()));
      truth.duplicateCopyEmitted();
    }
  }

  private void emitValid(SourceEvent event, String kind, long latenessMillis) {
    String line = Json.line(event.fields());
    Instant time = Instant.ofEpochMilli(event.timeMillis());
    ready.add(new GeneratedRecord(++sequence, kind, line, event.id(), time, event.key()));
    if (GeneratedRecord.LATE.equals(kind)) {
      truth.late(event.id(), time, latenessMillis, sequence);
    } else {
      truth.onTime();
    }
    if (duplicateRandom.nextDouble() < spec.duplicateRate()) {
      int copies = extraCopies();
      truth.duplicatePlanned(event.id(), copies);
      long at = clock;
      for (int i = 0; i < copies; i++) {
        at += resendDelayMillis();
        held.add(new Held(at, holdOrder++, event, line, 0));
      }
    }
  }

  private void emitBad(SourceEvent template) {
    BadLines.BadLine bad = badLines.make(template, ids.badLine(badCount++), badRandom);
    ready.add(new GeneratedRecord(++sequence, GeneratedRecord.BAD, bad.line(), bad.id(), null, bad.key()));
    truth.bad(sequence, bad);
  }

  /** Mostly one extra copy (a producer retry), sometimes two or three. */
  private int extraCopies() {
    double u = duplicateRandom.nextDouble();
    return u < 0.80 ? 1 : u < 0.95 ? 2 : 3;
  }

  /** Log-uniform between one second and half an hour: retries are quick, replays are slower. */
  private long resendDelayMillis() {
    double logMin = Math.log(MIN_RESEND_MS);
    double logMax = Math.log(MAX_RESEND_MS);
    return (long) Math.exp(logMin + duplicateRandom.nextDouble() * (logMax - logMin));
  }
}
