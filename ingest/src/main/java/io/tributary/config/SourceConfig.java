package io.tributary.config;

/** Where a pipeline's records come from: exactly one of a Kafka source or a landing directory. */
public record SourceConfig(KafkaSourceConfig kafka, DirectorySourceConfig directory) {
  public SourceConfig {
    if ((kafka == null) == (directory == null)) {
      throw new ConfigException("source needs exactly one of 'kafka' or 'directory'");
    }
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isKafkaSource() {
    return kafka != null;
  }
}
