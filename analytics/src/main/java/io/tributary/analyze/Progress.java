package io.tributary.analyze;

import io.tributary.spark.ProgressTicker;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of an analysis run: one INFO line per step, the same text as the Spark job description (so the Spark
 * UI shows which analysis and step each job belongs to), and a line every {@link ProgressTicker#SECONDS} seconds
 * of a long step.
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
  /** The running job's progress lines; one analysis run at a time per JVM. */
  private static ProgressTicker ticker;

  private Progress() {}

  /** Starts a step, e.g. {@code step(spark, "clickstream", "profile", "hour states of 2 days")}. */
  public static synchronized void step(SparkSession spark, String job, String analysis, String step) {
    LOG.info("analyze {}: {}: {}", job, analysis, step);
    spark.sparkContext().setJobDescription("analyze " + job + ": " + analysis + ": " + step);
    if (ticker == null) {
      ticker = ProgressTicker.start(LOG, "analyze " + job, analysis + ": " + step);
    }
    ticker.step(analysis + ": " + step);
  }

  /** Stops the progress lines and clears the job description when the run ends. */
  public static synchronized void done(SparkSession spark) {
    if (ticker != null) {
      ticker.close();
      ticker = null;
    }
    spark.sparkContext().setJobDescription(null);
  }
}
