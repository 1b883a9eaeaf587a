package io.tributary.ingest;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits on running ingest queries and stops them cleanly on SIGTERM: the batch in progress is allowed to
 * finish and commit before its query stops, so a stop never leaves half a batch for the restart to redo.
 */
public final class StreamSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSupervisor.class);
  /** Runs before Spark's own shutdown hook (which stops the SparkContext) and Hadoop's FileSystem hook. */
  private static final int HOOK_PRIORITY = 100;
  private static final long MAX_BATCH_WAIT_MS = TimeUnit.MINUTES.toMillis(5);

  private StreamSupervisor() {}

  /**
   * Blocks until every query ends. When one fails, the others are stopped after their current batch and the
   * failure is rethrown, so a dead pipeline never hides behind a live one.
   */
  public static void await(List<StreamingQuery> queries) throws StreamingQueryException {
    Runnable graceful = () -> queries.forEach(StreamSupervisor::stopAfterBatch);
    ShutdownHookManager.get().addShutdownHook(graceful, HOOK_PRIORITY, MAX_BATCH_WAIT_MS + 10_000, TimeUnit.MILLISECONDS);
    try {
      while (queries.stream().anyMatch(StreamingQuery::isActive)) {
        for (StreamingQuery q : queries) {
          if (q.exception().isDefined()) {
            LOG.error("{} failed; stopping the other pipelines", q.name());
            queries.stream().filter(o -> o != q).forEach(StreamSupervisor::stopAfterBatch);
            throw q.exception().get();
          }
        }
        queries.stream().filter(StreamingQuery::isActive).findFirst().ifPresent(q -> awaitQuietly(q, 1000));
      }
      for (StreamingQuery q : queries) {
        if (q.exception().isDefined()) {
          throw q.exception().get();
        }
      }
    } finally {
      if (!ShutdownHookManager.get().isShutdownInProgress()) {
        ShutdownHookManager.get().removeShutdownHook(graceful);
      }
    }
  }

  private static void awaitQuietly(StreamingQuery q, long millis) {
    try {
      q.awaitTermination(millis);
    } catch (StreamingQueryException e) {
      // reported by the loop through q.exception()
    }
  }

  /**
   * Waits for the batch in progress to commit, then stops the query. A batch that starts in between is
   * interrupted uncommitted, and the next run replays it idempotently.
   */
  public static void stopAfterBatch(StreamingQuery q) {
    if (!q.isActive()) {
      return;
    }
    LOG.info("stopping {} after its current batch", q.name());
    long running = q.lastProgress() == null ? -1 : q.lastProgress().batchId();
    long deadline = System.currentTimeMillis() + MAX_BATCH_WAIT_MS;
    try {
      while (q.isActive() && q.status().isTriggerActive() && System.currentTimeMillis() < deadline
          && (q.lastProgress() == null ? -1 : q.lastProgress().batchId()) == running) {
        Thread.sleep(50);
      }
      q.stop();
      LOG.info("{} stopped cleanly", q.name());
    } catch (Exception e) {
      LOG.warn("{} did not stop cleanly: {}", q.name(), e.toString());
    }
  }
}
