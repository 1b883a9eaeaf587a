package io.tributary.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.land.Faults;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.BatchMetrics;
import io.tributary.testing.EmbeddedKafka;
import io.tributary.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
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
 * Against a real KRaft broker: a run killed after bronze committed a batch, its newest offsets file then cut
 * mid-line; the restart moves the checkpoint aside, resumes from the offsets the lake's commits record, and the
 * lake reconciles to the event (every id in silver once or in quarantine with its rule, bronze holding each
 * Kafka record once, ops totals equal to each table).
 */
class KafkaCheckpointCorruptionTest {
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

  @Test
  void aTruncatedOffsetsFileAfterAKillInTheMiddleOfABatchResumesFromTheLake() throws Exception {
    String topic = "orders";
    kafka.createTopic(topic, 2);
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    PipelineConfig p = pipeline(topic);

    produce(topic, 0, 20);
    assertTrue(runOnce(layout, p).size() >= 2, "a few batches");
    produce(topic, 20, 30);
    System.setProperty(Faults.PROPERTY, "committed:bronze");
    try {
      assertThrows(Exception.class, () -> runOnce(layout, p));
    } finally {
      System.clearProperty(Faults.PROPERTY);
    }
    Path offsets = newest(Path.of(layout.checkpoint(p), "offsets"));
    byte[] bytes = Files.readAllBytes(offsets);
    Files.write(offsets, Arrays.copyOf(bytes, bytes.length - 5));
    Files.deleteIfExists(offsets.resolveSibling("." + offsets.getFileName() + ".crc"));
    produce(topic, 30, 35);

    List<BatchMetrics> after = runOnce(layout, p);
    assertTrue(after.stream().allMatch(BatchMetrics::reconciled), after.toString());
    try (Stream<Path> siblings = Files.list(Path.of(layout.checkpoint(p)).getParent())) {
      assertEquals(1, siblings.filter(s -> s.getFileName().toString().startsWith(topic + ".corrupt-")).count());
    }

    Map<String, String> silver = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.silver(p)).select("order_id", "price").collectAsList()) {
      assertTrue(silver.put(r.getString(0), r.getDecimal(1).toPlainString()) == null, "twice in silver: " + r);
    }
    Map<String, String> quarantine = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.quarantine(p)).selectExpr("event_id", "errors[0].rule")
        .collectAsList()) {
      assertTrue(quarantine.put(r.getString(0), r.getString(1)) == null, "twice in quarantine: " + r);
    }
    Map<String, String> expectedSilver = new TreeMap<>();
    Map<String, String> expectedQuarantine = new TreeMap<>();
    for (int i = 0; i < 35; i++) {
      if (i % 7 == 3) {
        expectedQuarantine.put("o" + i, "price_non_negative");
      } else {
        expectedSilver.put("o" + i, i + ".50");
      }
    }
    assertEquals(expectedSilver, silver);
    assertEquals(expectedQuarantine, quarantine);
    Row bronze = spark.read().format("delta").load(layout.bronze(p))
        .selectExpr("count(*)", "count(distinct source_partition, source_offset)").first();
    assertEquals(List.of(35L, 35L), List.of(bronze.getLong(0), bronze.getLong(1)), "each Kafka record once in bronze");
    Row ops = spark.read().format("delta").load(layout.opsBatches()).where("pipeline = '" + topic + "'")
        .selectExpr("sum(bronze_rows)", "sum(silver_rows)", "sum(quarantined)").first();
    assertEquals(List.of(35L, (long) silver.size(), (long) quarantine.size()),
        List.of(ops.getLong(0), ops.getLong(1), ops.getLong(2)), "ops totals per table (bronze, silver, quarantine)");
  }

  private PipelineConfig pipeline(String topic) throws Exception {
    Path file = tmp.resolve(topic + ".yaml");
    Files.writeString(file, """
        name: %s
        source:
          kafka:
            bootstrapServers: %s
            topics: [%s]
            startingOffsets: earliest
            maxOffsetsPerTrigger: 8
        schema: order_id STRING, at TIMESTAMP, price DECIMAL(10,2)
        eventId: order_id
        eventTime: at
        rules:
          - id: price_non_negative
            expr: price >= 0
        """.formatted(topic, kafka.bootstrapServers(), topic));
    return PipelineLoader.load(file);
  }

  /** Orders o{from}..o{to - 1}; every seventh (i % 7 == 3) has a negative price. */
  private static void produce(String topic, int from, int to) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        String order = "{\"order_id\":\"o%d\",\"at\":\"2026-03-02T10:%02d:00Z\",\"price\":%s}"
            .formatted(i, i % 60, i % 7 == 3 ? "-1" : i + ".50");
        producer.send(new ProducerRecord<>(topic, "k" + i, order));
      }
      producer.flush();
    }
  }

  private List<BatchMetrics> runOnce(LakeLayout layout, PipelineConfig p) throws Exception {
    List<BatchMetrics> batches = new ArrayList<>();
    StreamingQuery q = new IngestRunner(spark, layout, batches::add).start(p, true);
    q.awaitTermination();
    return batches;
  }

  private static Path newest(Path log) throws Exception {
    try (Stream<Path> files = Files.list(log)) {
      return files.filter(f -> f.getFileName().toString().matches("\\d+"))
          .max((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()), Long.parseLong(b.getFileName().toString())))
          .orElseThrow();
    }
  }
}
