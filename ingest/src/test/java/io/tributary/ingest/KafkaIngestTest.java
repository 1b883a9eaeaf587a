package io.tributary.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.BatchMetrics;
import io.tributary.testing.EmbeddedKafka;
import io.tributary.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka -> Delta against a real KRaft broker: content row by row, a stop in the middle of the stream and a
 * restart, and a deleted checkpoint that must neither duplicate nor lose events.
 */
class KafkaIngestTest {
  private static EmbeddedKafka kafka;
  private final SparkSession spark = TestSpark.get();

  @TempDir Path tmp;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  private PipelineConfig pipeline(String topic, Long maxOffsets) throws Exception {
    Path file = tmp.resolve(topic + ".yaml");
    Files.writeString(file, """
        name: %s
        source:
          kafka:
            bootstrapServers: %s
            topics: [%s]
            startingOffsets: earliest
            %s
        schema: event_id STRING, event_time TIMESTAMP, event_type STRING, user_id STRING, price DECIMAL(10,2)
        eventId: event_id
        eventTime: event_time
        trigger:
          interval: 1 second
        rules:
          - id: price_non_negative
            expr: price >= 0
        """.formatted(topic, kafka.bootstrapServers(), topic, maxOffsets == null ? "" : "maxOffsetsPerTrigger: " + maxOffsets));
    return PipelineLoader.load(file);
  }

  private static String event(int i) {
    return "{\"event_id\":\"e%d\",\"event_time\":\"2026-03-0%dT%02d:00:00Z\",\"event_type\":\"view\",\"user_id\":\"u%d\",\"price\":%d.25}"
        .formatted(i, 2 + i % 3, i % 24, i % 7, i);
  }

  private static void produce(String topic, List<String> values) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> p = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < values.size(); i++) {
        p.send(new ProducerRecord<>(topic, "k" + i, values.get(i)));
      }
      p.flush();
    }
  }

  private List<BatchMetrics> runOnce(LakeLayout layout, PipelineConfig p) throws Exception {
    List<BatchMetrics> batches = new ArrayList<>();
    StreamingQuery q = new IngestRunner(spark, layout, batches::add).start(p, true);
    q.awaitTermination();
    return batches;
  }

  /** Silver as event id -> price, failing on any duplicate id. */
  private Map<String, String> silver(LakeLayout layout, PipelineConfig p) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.silver(p)).select("event_id", "price").collectAsList()) {
      assertTrue(out.put(r.getString(0), r.getDecimal(1).toPlainString()) == null, "duplicate in silver: " + r);
    }
    return out;
  }

  private static Map<String, String> expected(int from, int to) {
    Map<String, String> out = new TreeMap<>();
    for (int i = from; i < to; i++) {
      out.put("e" + i, i + ".25");
    }
    return out;
  }

  @Test
  void landsEveryEventOnceAcrossStopRestartAndLostCheckpoint() throws Exception {
    String topic = "clicks";
    kafka.createTopic(topic, 3);
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    PipelineConfig p = pipeline(topic, 40L);

    List<String> first = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      first.add(event(i));
    }
    first.add("{\"event_id\":\"bad1\",\"event_time\":");             // malformed
    first.add("{\"event_id\":\"neg\",\"event_time\":\"2026-03-02T00:00:00Z\",\"price\":-1}");  // rule
    first.add(event(5));                                                // duplicate
    produce(topic, first);

    // Continuous run stopped after its first batch: a stop in the middle of the stream.
    List<BatchMetrics> seen = new ArrayList<>();
    StreamingQuery q = new IngestRunner(spark, layout, seen::add).start(p, false);
    long deadline = System.currentTimeMillis() + 120_000;
    while (seen.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    StreamSupervisor.stopAfterBatch(q);
    long landedBeforeStop = seen.stream().mapToLong(BatchMetrics::received).sum();
    assertTrue(landedBeforeStop > 0 && landedBeforeStop < 103, "stopped mid-stream after " + landedBeforeStop);

    List<BatchMetrics> rest = runOnce(layout, p);
    assertEquals(103, landedBeforeStop + rest.stream().mapToLong(BatchMetrics::received).sum());
    assertEquals(expected(0, 100), silver(layout, p));
    List<Row> quarantine = spark.read().format("delta").load(layout.quarantine(p))
        .selectExpr("event_id", "errors[0].rule").orderBy("event_id").collectAsList();
    assertEquals("[[null,parse], [neg,price_non_negative]]", quarantine.toString());
    assertEquals(103, spark.read().format("delta").load(layout.bronze(p)).count());
    assertEquals(kafka.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum(),
        spark.read().format("delta").load(layout.bronze(p)).selectExpr("count(distinct source_partition, source_offset)").first().getLong(0));
    BatchMetrics last = rest.get(rest.size() - 1);
    assertEquals(0L, last.sourceLag(), "caught up");

    // Lose the checkpoint, then produce more: the lake's commit markers tell where each table stopped.
    FileUtils.deleteDirectory(Path.of(layout.checkpoint(p)).toFile());
    List<String> second = new ArrayList<>();
    for (int i = 100; i < 130; i++) {
      second.add(event(i));
    }
    produce(topic, second);
    List<BatchMetrics> afterLoss = runOnce(layout, p);
    assertEquals(30, afterLoss.stream().mapToLong(BatchMetrics::received).sum(), "only the new records are read");
    assertEquals(expected(0, 130), silver(layout, p));
    assertEquals(133, spark.read().format("delta").load(layout.bronze(p)).count());

    Row ops = spark.read().format("delta").load(layout.opsBatches()).where("pipeline = '" + topic + "'")
        .selectExpr("sum(received)", "sum(silver_rows)", "sum(quarantined)", "sum(duplicates)").first();
    assertEquals(133L, ops.getLong(0));
    assertEquals(ops.getLong(0), ops.getLong(1) + ops.getLong(2) + ops.getLong(3));
    assertEquals(130L, ops.getLong(1));
  }
}
