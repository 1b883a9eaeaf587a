package io.tributary.models;

import java.util.Map;

/**
 * One saved model version, as listed by {@code tributary models}.
 *
 * @param job the analysis job that trained it
 * @param model the model's name under the job
 * @param version N of {@code vN}
 * @param path the version's directory; the fitted pipeline is in its {@code model/} subdirectory
 * @param metadata the contents of its {@code metadata.json}
 */
public record ModelVersion(String job, String model, int version, String path, Map<String, Object> metadata) {
  public ModelVersion {
    metadata = Map.copyOf(metadata);
  }

  public String runId() {
    return String.valueOf(metadata.get("run_id"));
  }

  public String modelPath() {
    return path + "/" + ModelStore.MODEL_DIR;
  }
}
