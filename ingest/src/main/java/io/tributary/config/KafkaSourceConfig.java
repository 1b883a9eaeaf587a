package io.tributary.config;

import java.util.List;
import java.util.Map;

/**
 * A Kafka source.
 *
 * @param bootstrapServers {@code host:port[,host:port]}
 * @param topics topics to read; or use {@code topicPattern}
 * @param topicPattern a Java regex of topics to subscribe to
 * @param startingOffsets {@code earliest} or {@code latest}, used only when neither the checkpoint nor the
 *     lake records a position
 * @param maxOffsetsPerTrigger cap on records per micro-batch (null: no cap)
 * @param options any other Kafka consumer option, with the {@code kafka.} prefix Spark expects, e.g.
 *     {@code kafka.security.protocol: SASL_SSL} (values of secret-looking keys are masked when printed)
 */
public record KafkaSourceConfig(
    String bootstrapServers,
    List<String> topics,
    String topicPattern,
    String startingOffsets,
    Long maxOffsetsPerTrigger,
    Map<String, String> options) {

  public KafkaSourceConfig {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new ConfigException("source.kafka.bootstrapServers must be set, e.g. 127.0.0.1:9092");
    }
    topics = topics == null ? List.of() : List.copyOf(topics);
    if (topics.isEmpty() == (topicPattern == null)) {
      throw new ConfigException("source.kafka needs exactly one of 'topics' or 'topicPattern'");
    }
    startingOffsets = startingOffsets == null ? "earliest" : startingOffsets;
    if (!startingOffsets.equals("earliest") && !startingOffsets.equals("latest")) {
      throw new ConfigException("source.kafka.startingOffsets must be earliest or latest, not '" + startingOffsets + "'");
    }
    if (maxOffsetsPerTrigger != null && maxOffsetsPerTrigger <= 0) {
      throw new ConfigException("source.kafka.maxOffsetsPerTrigger must be positive");
    }
    options = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(options == null ? Map.of() : options));
    for (String key : options.keySet()) {
      if (!key.startsWith("kafka.")) {
        throw new ConfigException("source.kafka.options key '" + key + "' must start with 'kafka.' (e.g. kafka.security.protocol)");
      }
    }
  }
}
