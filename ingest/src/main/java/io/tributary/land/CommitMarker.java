package io.tributary.land;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a Tributary commit records about itself in the Delta commit's {@code userMetadata}: which pipeline
 * and run wrote it, and, for Kafka, the next offset per topic-partition the table now holds. This is what
 * lets a pipeline whose checkpoint was lost resume exactly where each table left off.
 *
 * @param pipeline the pipeline name
 * @param checkpointId identity of the checkpoint directory that produced the commit
 * @param batchId micro-batch id within that checkpoint
 * @param kafka "topic:partition" to the next offset not yet in the table (empty for file sources)
 */
public record CommitMarker(String pipeline, String checkpointId, long batchId, Map<String, Long> kafka) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TAG = "tributary";

  public CommitMarker {
    kafka = kafka == null ? Map.of() : Map.copyOf(new TreeMap<>(kafka));
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(Map.of(TAG, this));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a commit's userMetadata; empty for commits Tributary did not write (e.g. OPTIMIZE). */
  public static Optional<CommitMarker> fromJson(String userMetadata) {
    if (userMetadata == null || !userMetadata.contains("\"" + TAG + "\"")) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.treeToValue(JSON.readTree(userMetadata).get(TAG), CommitMarker.class));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
