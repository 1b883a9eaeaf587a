package io.tributary.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.config.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A run's configuration directory: the project's {@code conf/} (application settings, the clickstream pipeline,
 * logging) with only what the benchmark must change: the landing directory, files per batch and trigger of the
 * pipeline (or a Kafka source in its place), and a job {@value AnalyticsRuns#JOB} made of the shipped job's profile and correlation sections.
 */
final class RunConf {
  private RunConf() {}

  static Path write(Path projectConf, Path dir, Path landing, int maxFilesPerTrigger, String trigger)
      throws IOException {
    return write(projectConf, dir, landing, maxFilesPerTrigger, trigger, null, null, 0);
  }

  /** As above, with a Kafka source instead of the landing directory when {@code bootstrapServers} is given. */
  static Path write(Path projectConf, Path dir, Path landing, int maxFilesPerTrigger, String trigger,
      String bootstrapServers, String topic, long maxOffsetsPerTrigger) throws IOException {
    Files.createDirectories(dir.resolve("pipelines"));
    Files.createDirectories(dir.resolve("jobs"));
    Files.createDirectories(landing);
    Files.copy(projectConf.resolve("tributary.yaml"), dir.resolve("tributary.yaml"), StandardCopyOption.REPLACE_EXISTING);

    ObjectNode pipeline = Yaml.read(projectConf.resolve("pipelines/clickstream.yaml"));
    ObjectNode source = (ObjectNode) pipeline.get("source").get("directory");
    source.put("path", landing.toAbsolutePath().toString());
    source.put("maxFilesPerTrigger", maxFilesPerTrigger);
    if (bootstrapServers != null) {
      ObjectNode kafka = ((ObjectNode) pipeline.get("source")).removeAll().putObject("kafka");
      kafka.put("bootstrapServers", bootstrapServers);
      kafka.putArray("topics").add(topic);
      kafka.put("startingOffsets", "earliest");
      kafka.put("maxOffsetsPerTrigger", maxOffsetsPerTrigger);
    }
    pipeline.putObject("trigger").put("interval", trigger);
    Yaml.MAPPER.writeValue(dir.resolve("pipelines/clickstream.yaml").toFile(), pipeline);

    ObjectNode shipped = Yaml.read(projectConf.resolve("jobs/clickstream.yaml"));
    ObjectNode job = Yaml.MAPPER.createObjectNode();
    job.put("name", AnalyticsRuns.JOB);
    job.set("input", shipped.get("input"));
    job.set("timeColumn", shipped.get("timeColumn"));
    job.set("profile", shipped.get("profile"));
    job.set("correlation", shipped.get("correlation"));
    Yaml.MAPPER.writeValue(dir.resolve("jobs/" + AnalyticsRuns.JOB + ".yaml").toFile(), job);
    return dir;
  }
}
