package io.tributary.layout;

import io.tributary.config.PipelineConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that decides where data lives under the lake root. Every table is a path-based Delta
 * table, so notebooks and other engines can open it without a metastore:
 *
 * <pre>
 * ROOT/bronze/PIPELINE        raw records as received, partitioned by ingest date
 * ROOT/silver/PIPELINE        parsed, validated, de-duplicated events, partitioned by event date
 * ROOT/quarantine/PIPELINE    records that failed parsing or a rule, with the reasons
 * ROOT/ops/batches            one row per ingest micro-batch of every pipeline
 * ROOT/ops/runs               one row per analysis run attempt (tributary runs)
 * ROOT/gold/TABLE             analysis results
 * ROOT/_state/JOB             mergeable analysis state for incremental runs
 * ROOT/_checkpoints/PIPELINE  Structured Streaming checkpoints
 * ROOT/_locks/NAME.lease      the lease of whoever runs NAME (an analysis job) now
 * ROOT/_reproductions/JOB-vN/{gold,_state}/...   results of runs pinned to an older input version
 * </pre>
 *
 * @param root the lake root
 * @param results where gold tables and analysis state live: the root, except for reproductions
 */
public record LakeLayout(String root, String results) {
  public LakeLayout {
    root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    results = results == null ? root : results;
  }

  public LakeLayout(String root) {
    this(root, null);
  }

  /**
   * The same lake, with gold and state of a run pinned to input version {@code version} kept apart, so
   * reproducing an old run never overwrites current results or the state incremental runs build on.
   */
  public LakeLayout forReproduction(String job, long version) {
    return new LakeLayout(root, root + "/_reproductions/" + job + "-v" + version);
  }

  public String bronze(PipelineConfig p) {
    return root + "/bronze/" + p.table("bronze");
  }

  public String silver(PipelineConfig p) {
    return root + "/silver/" + p.table("silver");
  }

  public String quarantine(PipelineConfig p) {
    return root + "/quarantine/" + p.table("quarantine");
  }

  public String silver(String table) {
    return root + "/silver/" + table;
  }

  public String opsBatches() {
    return root + "/ops/batches";
  }

  /** The run history of analysis jobs: one row per attempt. */
  public String opsRuns() {
    return root + "/ops/runs";
  }

  /** The lease file that keeps two runs of {@code name} from overlapping. */
  public String lease(String name) {
    return root + "/_locks/" + name + ".lease";
  }

  public String gold(String table) {
    return results + "/gold/" + table;
  }

  public String state(String job) {
    return results + "/_state/" + job;
  }

  /**
   * The directories whose sub-directories are lake tables, by layer name (bronze, silver, quarantine, ops, gold),
   * for readers that open every table, such as {@code tributary connect}. Decides no location of its own.
   */
  public Map<String, String> tableLayers() {
    Map<String, String> layers = new LinkedHashMap<>();
    layers.put("bronze", root + "/bronze");
    layers.put("silver", root + "/silver");
    layers.put("quarantine", root + "/quarantine");
    layers.put("ops", root + "/ops");
    layers.put("gold", results + "/gold");
    return Collections.unmodifiableMap(layers);
  }

  public String checkpoint(PipelineConfig p) {
    return root + "/_checkpoints/" + p.name();
  }
}
