package io.tributary.analyze;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an analysis run did.
 *
 * @param job the job's name
 * @param runId the run's id, recorded with every gold row it wrote
 * @param input the input table, relative to the lake root
 * @param inputVersion the Delta version of the input that was read
 * @param from inclusive start of the analysed range; null when the input had nothing to analyse
 * @param to exclusive end of the analysed range; null when the input had nothing to analyse
 * @param full whether every window was recomputed from the data
 * @param goldRows rows written per gold table, in the order written
 * @param duration wall-clock time of the run
 * @param results where a run pinned to an earlier input version wrote its gold and state (a reproduction area
 *     under the lake, {@code _reproductions/JOB-vN}); null for a run that updated the current results
 * @param nothingToDo why a run that analysed nothing had nothing to do (no events on its day, the input
 *     unchanged since the last committed run); null otherwise
 */
public record RunSummary(String job, String runId, String input, long inputVersion, Instant from, Instant to,
    boolean full, Map<String, Long> goldRows, Duration duration, String results, String nothingToDo) {

  public RunSummary {
    goldRows = Collections.unmodifiableMap(new LinkedHashMap<>(goldRows));
  }

  public RunSummary(String job, String runId, String input, long inputVersion, Instant from, Instant to,
      boolean full, Map<String, Long> goldRows, Duration duration, String results) {
    this(job, runId, input, inputVersion, from, to, full, goldRows, duration, results, null);
  }

  /** Whether there was nothing to analyse (an empty input, or see {@link #nothingToDo}). */
  public boolean empty() {
    return from == null;
  }

  /** A few lines for people: the range, the input version, rows per gold table and the time taken. */
  public void print(PrintStream out) {
    if (empty() && nothingToDo != null) {
      out.printf("analyze %s: %s; nothing to do%n", job, nothingToDo);
    } else if (empty()) {
      out.printf("analyze %s: %s version %d has no rows; nothing to analyse%n", job, input, inputVersion);
    } else {
      out.printf("analyze %s: %s run %s over [%s, %s) of %s version %d%n", job, full ? "full" : "incremental",
          runId, from, to, input, inputVersion);
      int width = goldRows.keySet().stream().mapToInt(String::length).max().orElse(0);
      goldRows.forEach((table, rows) -> out.printf("  gold/%-" + width + "s %,12d rows%n", table, rows));
      if (results != null) {
        out.printf("  a reproduction of version %d: results written under %s (gold/ and _state/), not to the "
            + "current gold tables%n", inputVersion, results);
      }
    }
    out.printf("  took %.1f s%n", duration.toMillis() / 1000.0);
  }
}
