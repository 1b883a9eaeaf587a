package io.tributary.land;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.CommitInfo;
import scala.Option;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What Tributary reads back from Delta's log after its idempotent appends ({@link DeltaTables#append}), without running Spark jobs:
 * the transaction state (which batch a writer last committed: Delta's own {@code SetTransaction}), and single
 * commits' {@code commitInfo} (the rows a commit added, and the {@link CommitMarker} it carries).
 */
public final class DeltaCommits {
  /** How many of a table's newest commits are searched for a marker (maintenance commits sit between ours). */
  private static final int SEARCH_DEPTH = 200;

  private DeltaCommits() {}

  /** A commit of ours: its table version and the rows it added ({@code numOutputRows}). */
  public record Commit(long version, long rows, CommitMarker marker) {}

  /** The newest batch id writer {@code appId} committed to the table (Delta's transaction state), or -1. */
  public static long committedVersion(SparkSession spark, String path, String appId) {
    if (!DeltaTables.exists(spark, path)) {
      return -1;
    }
    Option<Object> v = snapshot(spark, path).transactions().get(appId);
    return v.isDefined() ? (Long) v.get() : -1;
  }

  /** The newest commit Tributary wrote to the table, if any: it records the source positions the table holds. */
  public static Optional<Commit> lastMarked(SparkSession spark, String path) {
    return DeltaTables.exists(spark, path) ? find(spark, path, m -> true) : Optional.empty();
  }

  /** The commit that landed batch {@code batchId} of checkpoint {@code checkpointId}, if it is among the newest. */
  public static Optional<Commit> commitOf(SparkSession spark, String path, String checkpointId, long batchId) {
    return find(spark, path, m -> m.checkpointId().equals(checkpointId) && m.batchId() == batchId);
  }

  private static Optional<Commit> find(SparkSession spark, String path, java.util.function.Predicate<CommitMarker> wanted) {
    return newest(spark, path, (version, info) -> CommitMarker.fromJson(info.userMetadata().get()).filter(wanted)
        .map(m -> new Commit(version, info.operationMetrics().isDefined()
            && info.operationMetrics().get().contains("numOutputRows")
            ? Long.parseLong(info.operationMetrics().get().apply("numOutputRows")) : 0, m)));
  }

  /**
   * The first non-empty answer of {@code read} over the table's newest commits that carry userMetadata, newest
   * first (at most {@value #SEARCH_DEPTH} commits back).
   */
  public static <T> Optional<T> newest(SparkSession spark, String path,
      java.util.function.BiFunction<Long, CommitInfo, Optional<T>> read) {
    DeltaLog log = DeltaLog.forTable(spark, path);
    long latest = snapshot(spark, path).version();
    long lowest = Math.max(0, latest - SEARCH_DEPTH);
    // Newest first, a few commits at a time: ours is almost always the newest.
    for (long end = latest; end >= lowest; end -= 8) {
      long start = Math.max(lowest, end - 7);
      List<Tuple2<Object, scala.collection.immutable.Seq<Action>>> commits =
          CollectionConverters.asJava(log.getChanges(start, end, Option.empty(), false).toList());
      for (int i = commits.size() - 1; i >= 0; i--) {
        for (Action a : CollectionConverters.asJava(commits.get(i)._2())) {
          if (a instanceof CommitInfo info && info.userMetadata().isDefined()) {
            Optional<T> found = read.apply((Long) commits.get(i)._1(), info);
            if (found.isPresent()) {
              return found;
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Snapshot snapshot(SparkSession spark, String path) {
    return DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty());
  }
}
