package io.tributary.bench;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Counts the Spark jobs of each micro-batch, two ways: by the micro-batch id Structured Streaming puts in the
 * local properties of every job its batch thread starts, and by Tributary's job description
 * ({@code ingest <pipeline> batch <id>: <step>}), which also covers jobs started from other threads.
 */
final class JobCounter extends SparkListener {
  /** The local property Structured Streaming sets to the current batch id (StreamExecution.BATCH_ID_KEY). */
  private static final String BATCH_ID = "streaming.sql.batchId";
  private static final String DESCRIPTION = "spark.job.description";

  private final Pattern labelled;
  private final Map<Long, Integer> byStreamingBatch = new TreeMap<>();
  private final Map<Long, Integer> byDescription = new TreeMap<>();

  /** @param pipeline the Tributary pipeline whose job descriptions are counted; null for baselines */
  JobCounter(String pipeline) {
    labelled = pipeline == null ? null : Pattern.compile("^ingest " + Pattern.quote(pipeline) + " batch (\\d+): ");
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart start) {
    Properties props = start.properties();
    if (props == null) {
      return;
    }
    String batch = props.getProperty(BATCH_ID);
    if (batch != null) {
      byStreamingBatch.merge(Long.parseLong(batch), 1, Integer::sum);
    }
    String description = props.getProperty(DESCRIPTION);
    if (labelled != null && description != null) {
      Matcher m = labelled.matcher(description);
      if (m.find()) {
        byDescription.merge(Long.parseLong(m.group(1)), 1, Integer::sum);
      }
    }
  }

  /** Jobs per micro-batch, keyed by batch id, as Structured Streaming attributes them. */
  synchronized Map<Long, Integer> perStreamingBatch() {
    return new TreeMap<>(byStreamingBatch);
  }

  /** Jobs per batch carrying Tributary's "ingest PIPELINE batch N: " description. */
  synchronized Map<Long, Integer> perLabelledBatch() {
    return new TreeMap<>(byDescription);
  }
}
