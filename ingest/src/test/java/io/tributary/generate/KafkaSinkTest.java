package io.tributary.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Sending is covered by the integration tests with a real broker; here only the producer settings. */
class KafkaSinkTest {

  @Test
  void producerIsIdempotentWithAcksAllAndOverridesWin() {
    RecordSink sink = new KafkaSink("localhost:9092", "clickstream", Map.of("linger.ms", "50"),
        Path.of("gt.json"));
    Properties props = ((KafkaSink) sink).producerProperties();

    assertEquals("localhost:9092", props.get("bootstrap.servers"));
    assertEquals("all", props.get("acks"));
    assertEquals("true", props.get("enable.idempotence"));
    assertEquals("50", props.get("linger.ms"));
    assertEquals(Path.of("clickstream-ground-truth.json").toAbsolutePath(),
        KafkaSink.defaultGroundTruthFile("clickstream"));
  }
}
