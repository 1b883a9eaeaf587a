package io.tributary.analyze;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.util.MLWritable;

/**
 * A fitted model an analysis returns for the runner to save as the next version {@code models/JOB/NAME/vN/}
 * ({@link io.tributary.models.ModelStore}), with its metadata; the runner adds the version, run id, code
 * version and input Delta versions.
 *
 * @param name the model's name under the job, e.g. {@code propensity}
 * @param model the fitted model (a {@code PipelineModel}), saved with MLlib's writer
 * @param metadata what produced it: training window, parameters, seed, metrics (JSON-serialisable values)
 */
public record ModelOutput(String name, MLWritable model, Map<String, Object> metadata) {
  public ModelOutput {
    if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("model name must be lower-case letters, digits and _, not " + name);
    }
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }
}
