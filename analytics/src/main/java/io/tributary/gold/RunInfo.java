package io.tributary.gold;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Identity of one analysis run, written with every gold row so any number can be traced to the code and
 * the exact input table versions that produced it (and reproduced with {@code --as-of-version}).
 *
 * @param runId random id of the run
 * @param runTime when the run started
 * @param codeVersion the Tributary version (and git commit when known)
 * @param inputVersions Delta version of every input table read, by path relative to the lake root
 */
public record RunInfo(String runId, Instant runTime, String codeVersion, Map<String, Long> inputVersions) {
  public RunInfo {
    inputVersions = Map.copyOf(inputVersions);
  }

  public static RunInfo start(Map<String, Long> inputVersions) {
    return new RunInfo(UUID.randomUUID().toString(), Instant.now(), io.tributary.spark.BuildInfo.codeVersion(), inputVersions);
  }
}
