package io.tributary.spark;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Logs what a long piece of work is doing every {@link #SECONDS} seconds while it runs ("clickstream batch 3:
 * de-duplicate (20 s so far)"), so a large first batch or a whole analysis never leaves the console silent for
 * minutes. The caller names the current step with {@link #step}; a short piece of work prints nothing extra.
 */
public final class ProgressTicker implements AutoCloseable {
  /** How often a line is logged while the work runs. */
  public static final int SECONDS = 10;

  // One daemon thread for every ticker of the JVM: lines are rare and cheap.
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "progress");
    t.setDaemon(true);
    return t;
  });

  private final long started = System.nanoTime();
  private final ScheduledFuture<?> lines;
  private volatile String step;

  ProgressTicker(Consumer<String> out, String what, String firstStep, long periodMillis) {
    this.step = firstStep;
    this.lines = TIMER.scheduleAtFixedRate(() -> out.accept(what + ": " + step + " ("
            + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s so far)"),
        periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Starts logging {@code what} and its current step to {@code log} until {@link #close}. */
  public static ProgressTicker start(Logger log, String what, String firstStep) {
    return new ProgressTicker(log::info, what, firstStep, TimeUnit.SECONDS.toMillis(SECONDS));
  }

  /** The step the next line names. */
  public void step(String step) {
    this.step = step;
  }

  @Override
  public void close() {
    lines.cancel(false);
  }
}
