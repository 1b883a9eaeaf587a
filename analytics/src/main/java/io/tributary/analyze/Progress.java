package io.tributary.analyze;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of an analysis run: one INFO line per step, and the same text as the Spark job description, so the
 * Spark UI shows which analysis and step each job belongs to.
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

  private Progress() {}

  /** Starts a step, e.g. {@code step(spark, "clickstream", "profile", "hour states of 2 days")}. */
  public static void step(SparkSession spark, String job, String analysis, String step) {
    LOG.info("analyze {}: {}: {}", job, analysis, step);
    spark.sparkContext().setJobDescription("analyze " + job + ": " + analysis + ": " + step);
  }

  /** Clears the job description when the run ends. */
  public static void done(SparkSession spark) {
    spark.sparkContext().setJobDescription(null);
  }
}
