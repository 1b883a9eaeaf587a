package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.StageInfo;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** Jobs are attributed to micro-batches by Spark's batch-id property and by Tributary's job description. */
class JobCounterTest {
  private static int nextJob;

  private static SparkListenerJobStart job(String batchId, String description) {
    Properties p = new Properties();
    if (batchId != null) {
      p.setProperty("streaming.sql.batchId", batchId);
    }
    if (description != null) {
      p.setProperty("spark.job.description", description);
    }
    return new SparkListenerJobStart(nextJob++, 0L,
        CollectionConverters.asScala(List.<StageInfo>of()).toSeq(), p);
  }

  @Test
  void countsJobsPerBatchBothWays() {
    JobCounter counter = new JobCounter("clickstream");
    counter.onJobStart(job("0", "ingest clickstream batch 0: parse"));
    counter.onJobStart(job("0", "ingest clickstream batch 0: write silver"));
    counter.onJobStart(job("0", "delta: compute snapshot"));              // Delta's own job, unlabelled
    counter.onJobStart(job(null, "ingest clickstream batch 0: ops row"));  // from another thread
    counter.onJobStart(job("1", "ingest clickstream batch 1: parse"));
    counter.onJobStart(job(null, "ingest other batch 1: parse"));          // another pipeline
    counter.onJobStart(job(null, "analyze job: profile"));

    assertEquals(Map.of(0L, 3, 1L, 1), counter.perStreamingBatch());
    assertEquals(Map.of(0L, 3, 1L, 1), counter.perLabelledBatch());
  }

  @Test
  void baselinesAreCountedByBatchIdOnly() {
    JobCounter counter = new JobCounter(null);
    counter.onJobStart(job("4", null));
    counter.onJobStart(job("4", null));
    counter.onJobStart(job("5", "ingest clickstream batch 5: parse"));
    assertEquals(Map.of(4L, 2, 5L, 1), counter.perStreamingBatch());
    assertEquals(Map.of(), counter.perLabelledBatch());
  }

  @Test
  void quantilesInterpolateBetweenOrderStatistics() {
    assertEquals(2.5, Stats.median(List.of(4, 1, 3, 2)));
    assertEquals(3.0, Stats.median(List.of(5, 1, 3)));
    assertEquals(9.64, Stats.quantile(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.96), 1e-9);
    assertEquals(Double.NaN, Stats.median(List.of()));
  }
}
