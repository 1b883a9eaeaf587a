package io.tributary.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

  private static final String TOPIC = "events";
  private static final int PARTITIONS = 3;
  private static final int RECORDS = 100;

  @Test
  void producesAndConsumesKeyedRecordsOnARealBroker() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"), kafka.bootstrapServers());
      kafka.createTopic(TOPIC, PARTITIONS);

      Map<String, String> sent = new TreeMap<>();
      Map<Integer, Long> sentPerPartition = new TreeMap<>();
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka))) {
        for (int i = 0; i < RECORDS; i++) {
          String key = "user-" + i;
          String value = "event-" + i;
          RecordMetadata meta = producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
          sent.put(key, value);
          sentPerPartition.merge(meta.partition(), 1L, Long::sum);
        }
      }
      assertTrue(sentPerPartition.size() > 1, "keys should spread over partitions: " + sentPerPartition);

      List<ConsumerRecord<String, String>> received = consumeAll(kafka, RECORDS);
      Map<String, String> receivedByKey = received.stream()
          .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (a, b) -> {
            throw new AssertionError("duplicate key " + a);
          }, TreeMap::new));
      assertEquals(sent, receivedByKey);

      // The same key always lands on the same partition, so the counts match the end offsets.
      Map<Integer, Long> expectedEnd = new TreeMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        expectedEnd.put(p, sentPerPartition.getOrDefault(p, 0L));
      }
      assertEquals(expectedEnd, kafka.endOffsets(TOPIC));
      Map<Integer, Long> receivedPerPartition = received.stream()
          .collect(Collectors.groupingBy(ConsumerRecord::partition, TreeMap::new, Collectors.counting()));
      assertEquals(sentPerPartition, receivedPerPartition);
    }
  }

  @Test
  void listensOnLoopbackOnly() {
    assumeTrue(ListeningSockets.supported(), "needs Linux /proc");
    Set<InetSocketAddress> before = ListeningSockets.ofThisProcess();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Set<InetSocketAddress> opened = new HashSet<>(ListeningSockets.ofThisProcess());
      opened.removeAll(before);
      int brokerPort = Integer.parseInt(kafka.bootstrapServers().split(":")[1]);
      // The client listener and the controller listener.
      assertEquals(2, opened.size(), "listeners: " + opened);
      assertTrue(opened.stream().anyMatch(a -> a.getPort() == brokerPort), "listeners: " + opened);
      for (InetSocketAddress listener : opened) {
        assertTrue(listener.getAddress().isLoopbackAddress(), "Kafka listens on " + listener);
      }
    }
  }

  private static List<ConsumerRecord<String, String>> consumeAll(EmbeddedKafka kafka, int expected) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-kafka-test");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(TOPIC));
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      assertEquals(expected, records.size(), "records consumed");
      for (TopicPartition tp : consumer.assignment()) {
        assertEquals(kafka.endOffsets(TOPIC).get(tp.partition()), consumer.position(tp), "position of " + tp);
      }
      return records;
    }
  }

  private static Map<String, Object> producerProps(EmbeddedKafka kafka) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.ACKS_CONFIG, "all");
  }
}
