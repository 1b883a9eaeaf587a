package io.tributary.land;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Loads a table's transaction state for its next idempotent append, in the background, right after a commit.
 *
 * <p>Every append with {@code txnAppId}/{@code txnVersion} asks the table's newest snapshot which batch the
 * writer last committed. Delta 4.4 answers from the reconstructed table state, not from the checksum file, so
 * the first question to each new snapshot rebuilds that state from the log (three small Spark jobs, about a
 * second each on two cores), and the four appends of a batch used to do it at write time. Asked right after
 * our own commit, on a thread per table, it runs while the stream records its progress and plans the next
 * batch, and the snapshot caches the answer for the append that follows.
 *
 * <p>Only a cache is warmed: when another writer commits in between (a maintenance run), the append loads the
 * newer snapshot itself, as it would without this class. {@link #close} waits for the preparations still
 * running, so none is cut off by a stopping application.
 */
final class CommitPreparer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommitPreparer.class);

  private final SparkSession spark;
  private final ExecutorService threads;

  /** @param tables how many tables are prepared: each gets a thread, so none waits for another's state */
  CommitPreparer(SparkSession spark, String pipeline, int tables) {
    this.spark = spark;
    ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(tables, r -> {
      Thread t = new Thread(r, "prepare-" + pipeline);
      t.setDaemon(true);
      return t;
    });
    // Started here, outside any Spark execution, so their jobs inherit no execution id from the stream.
    pool.prestartAllCoreThreads();
    this.threads = pool;
  }

  /** Loads the transaction state of the table's newest snapshot, in the background; failures are only logged. */
  Future<?> prepare(String path, String jobDescription) {
    return threads.submit(() -> {
      try {
        spark.sparkContext().setJobDescription(jobDescription);
        if (DeltaTables.exists(spark, path)) {
          DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty()).transactions();
        }
      } catch (RuntimeException e) {
        // The append will load the state itself and report any real problem with the table.
        LOG.debug("could not prepare {} for its next commit", path, e);
      }
    });
  }

  /** Stops taking work and waits (a few seconds at most) for the preparations still running. */
  @Override
  public void close() {
    threads.shutdown();
    try {
      if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
