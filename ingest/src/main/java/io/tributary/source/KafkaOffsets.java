package io.tributary.source;

import io.tributary.config.KafkaSourceConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Asks the brokers (with the pipeline's own client settings, so TLS/SASL apply) which partitions a source
 * covers and what their latest offsets are. Keys are {@code topic:partition}, as in {@code CommitMarker}.
 */
public final class KafkaOffsets implements AutoCloseable {
  private final Admin admin;
  private final KafkaSourceConfig config;

  public KafkaOffsets(KafkaSourceConfig config) {
    this.config = config;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    config.options().forEach((k, v) -> props.put(k.substring("kafka.".length()), v));
    this.admin = Admin.create(props);
  }

  /** Latest (end) offset of every partition of the source's topics. */
  public Map<String, Long> latest() {
    try {
      List<String> topics = topics();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
        d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<String, Long> out = new HashMap<>();
      admin.listOffsets(request).all().get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> out.put(tp.topic() + ":" + tp.partition(), info.offset()));
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading Kafka offsets", e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read offsets from Kafka at " + config.bootstrapServers() + ": " + e.getMessage(), e);
    }
  }

  private List<String> topics() throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    if (config.topicPattern() == null) {
      return config.topics();
    }
    Pattern pattern = Pattern.compile(config.topicPattern());
    return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().filter(t -> pattern.matcher(t).matches()).sorted().toList();
  }

  /** Spark's JSON form of starting offsets: {"topic": {"0": 42}}; -2 means earliest. */
  public static String toStartingOffsetsJson(Map<String, Long> positions) {
    Map<String, Map<String, Long>> byTopic = new java.util.TreeMap<>();
    positions.forEach((tp, off) -> {
      int i = tp.lastIndexOf(':');
      byTopic.computeIfAbsent(tp.substring(0, i), t -> new java.util.TreeMap<>()).put(tp.substring(i + 1), off);
    });
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(byTopic);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(5));
  }
}
