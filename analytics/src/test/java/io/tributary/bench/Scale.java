package io.tributary.bench;

import java.util.Locale;

/**
 * How big a benchmark run is. Event counts are the generator's mean valid events (it adds about 0.2% bad lines,
 * 0.5% duplicates and 1% late events, as in the demo).
 *
 * @param name small, medium or large
 * @param rounds interleaved rounds of every measured comparison (--rounds overrides)
 * @param throughputDays days of events in the throughput data set
 * @param throughputEventsPerDay events per day in it
 * @param throughputFiles files it is cut into
 * @param filesPerBatch the pipeline's maxFilesPerTrigger for the throughput runs
 * @param historyDays days of history already in silver for the scale check and the analytics
 * @param historyEventsPerDay events per day of that history
 * @param batchEvents events in the one batch of the scale check
 * @param freshnessSeconds how long the freshness run writes
 * @param freshnessWarmupSeconds writes left out of the freshness figures at its start
 * @param ingestHeap -Xmx of the ingest and freshness JVMs
 */
record Scale(String name, int rounds, int throughputDays, int throughputEventsPerDay, int throughputFiles,
    int filesPerBatch, int historyDays, int historyEventsPerDay, int batchEvents, int freshnessSeconds,
    int freshnessWarmupSeconds, String ingestHeap) {

  /** The analysis JVMs' heap: the driver cap. */
  static final String ANALYSIS_HEAP = "1g";

  static Scale of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      // A smoke test of every step (one round), not a measurement; its time is mostly JVM and Spark start-up.
      case "small" -> new Scale("small", 1, 5, 6_000, 6, 3, 5, 6_000, 2_000, 15, 5, "2g");
      // The README's table: ~1M events, 4 batches of ~250k; 30 days of 100k events (3M) of history.
      case "medium" -> new Scale("medium", 3, 10, 100_000, 20, 5, 30, 100_000, 10_000, 60, 10, "4g");
      // The analytics targets: 30 days of 1M events (30M), and 5M events of throughput data.
      case "large" -> new Scale("large", 3, 10, 500_000, 50, 5, 30, 1_000_000, 10_000, 60, 10, "6g");
      default -> throw new IllegalArgumentException("--scale must be small, medium or large, not '" + name + "'");
    };
  }

  long throughputEvents() {
    return (long) throughputDays * throughputEventsPerDay;
  }

  long historyEvents() {
    return (long) historyDays * historyEventsPerDay;
  }
}
