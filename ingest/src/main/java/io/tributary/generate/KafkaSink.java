package io.tributary.generate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each line to a Kafka topic in arrival order, keyed by user (or sensor) so one key's events stay in
 * one partition; unparseable lines have no key. The producer is idempotent with acks=all, so broker retries
 * add no duplicates beyond the injected ones. Bad records in the ground truth are located by send sequence.
 */
public final class KafkaSink implements RecordSink {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

  private final String bootstrapServers;
  private final String topic;
  private final Map<String, String> producerOverrides;
  private final Path groundTruthFile;

  /**
   * @param producerOverrides extra producer properties; they win over the defaults set here
   */
  public KafkaSink(String bootstrapServers, String topic, Map<String, String> producerOverrides,
                   Path groundTruthFile) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.producerOverrides = Map.copyOf(producerOverrides);
    this.groundTruthFile = groundTruthFile;
  }

  /** The default ground-truth location: {@code <topic>-ground-truth.json} in the working directory. */
  public static Path defaultGroundTruthFile(String topic) {
    return Path.of(topic + "-ground-truth.json").toAbsolutePath();
  }

  Properties producerProperties() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
    props.putAll(producerOverrides);
    return props;
  }

  @Override
  public GroundTruth write(Generation generation) throws IOException {
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
      while (generation.hasNext() && failure.get() == null) {
        GeneratedRecord record = generation.next();
        producer.send(new ProducerRecord<>(topic, record.key(), record.line()), (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          }
        });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IOException("Sending to Kafka topic " + topic + " at " + bootstrapServers + " failed",
          failure.get());
    }
    GroundTruth truth = generation.groundTruth()
        .withOutput(new GroundTruth.Output("kafka", topic, List.of()));
    truth.write(groundTruthFile);
    generation.writeUsers(groundTruthFile);
    LOG.info("Sent {} lines to topic {}; ground truth {}", truth.counts().totalLines(), topic, groundTruthFile);
    return truth;
  }
}
