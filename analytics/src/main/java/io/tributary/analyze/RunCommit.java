package io.tributary.analyze;

import io.delta.tables.DeltaTable;
import io.tributary.gold.GoldWriter;
import io.tributary.gold.RunInfo;
import io.tributary.land.DeltaTables;
import io.tributary.layout.LakeLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.tributary.models.ModelStore;
import io.tributary.models.ModelVersion;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a run's outputs (gold rows, state updates and models) all-or-nothing for readers, in three steps:
 * <ol>
 *   <li>stage: every output is computed and written to a staging area, {@code _state/JOB/_staging/RUN_ID/};
 *       a failure here (bad data, a bug, a kill) has changed no gold or state table;
 *   <li>publish: the run is logged {@code publishing} with each table's Delta version before ({@link RunLog}),
 *       then each table gets its staged rows in one Delta commit (replaceWhere, see {@link GoldWriter}), and
 *       each staged model is renamed to its next version {@code models/JOB/MODEL/vN/}, and the run is logged
 *       {@code committed};
 *   <li>roll back: if publishing fails, every table already changed gets back, in one more commit, the rows the
 *       run replaced (read at the logged version; tables only this job writes are restored to it), the model
 *       versions it published are removed, and the
 *       run is logged {@code rolled_back}. A run killed while publishing is rolled back the same way when the
 *       job next runs ({@link #recover}), before anything else.
 * </ol>
 * So a failed run leaves no rows of its own in any table once rolled back, and its re-run computes from the
 * same stored state as the failed attempt did. Between the first and the last publish commit of a successful
 * run (seconds: the staged rows are copied), one table may already show the new run and another not yet; a
 * reader who needs several tables consistent takes the {@code run_id} of the last {@code committed} run.
 */
final class RunCommit {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommit.class);

  /** Called before each table is published; tests use it to fail a run between two publishes. */
  interface Hook {
    Hook NONE = target -> {};

    void beforePublish(String target);
  }

  /** A staged output: where its rows are, where they go, and which rows of the target they replace. */
  private record Output(String staged, String target, String condition, List<String> partitionBy) {}

  private final SparkSession spark;
  private final LakeLayout layout;
  private final String job;
  private final RunInfo run;
  private final Hook hook;
  private final Map<String, Output> outputs = new LinkedHashMap<>();
  /** Staged models by name, each in {@code _staging/RUN_ID/models/NAME/} (its pipeline in {@code model/}). */
  private final Map<String, ModelOutput> models = new LinkedHashMap<>();

  RunCommit(SparkSession spark, LakeLayout layout, String job, RunInfo run, Hook hook) {
    this.spark = spark;
    this.layout = layout;
    this.job = job;
    this.run = run;
    this.hook = hook;
  }

  private static String stagingRoot(LakeLayout layout, String job) {
    return layout.state(job) + "/_staging";
  }

  private String staging(String kind, String name) {
    return stagingRoot(layout, job) + "/" + run.runId() + "/" + kind + "/" + name;
  }

  /** Computes and stages a state update. */
  void stage(StateUpdate update) {
    String target = layout.state(job) + "/" + update.table();
    String staged = staging("state", update.table());
    update.rows().write().format("delta").mode("overwrite").save(staged);
    outputs.put(target, new Output(staged, target, update.replaceAll() ? null : update.condition(), List.of()));
  }

  /** Saves a fitted model to the staging area; {@link #publish} gives it the next version number. */
  void stage(ModelOutput model) {
    if (models.containsKey(model.name())) {
      throw new IllegalStateException("two analyses of job " + job + " return a model named " + model.name());
    }
    try {
      model.model().write().overwrite().save(staging("models", model.name()) + "/" + ModelStore.MODEL_DIR);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage model " + model.name(), e);
    }
    models.put(model.name(), model);
  }

  /**
   * Computes and stages gold rows of the range {@code [from, to)}, with the run's metadata.
   *
   * @return the number of rows staged
   */
  long stage(String table, Dataset<Row> rows, Instant from, Instant to) {
    String target = layout.gold(table);
    String staged = staging("gold", table);
    // Two analyses writing one table add up.
    String mode = outputs.containsKey(target) ? "append" : "overwrite";
    GoldWriter.withRunColumns(rows, run).write().format("delta").mode(mode).save(staged);
    outputs.put(target, new Output(staged, target, GoldWriter.replaced(job, from, to), GoldWriter.PARTITION_BY));
    return spark.read().format("delta").load(staged).count();
  }

  /** Publishes every staged output and logs the run committed; on failure rolls back and rethrows. */
  void publish(RunSummary summary) {
    List<RunLog.Change> changes = new ArrayList<>();
    for (Output o : outputs.values()) {
      changes.add(new RunLog.Change(o.target(), version(spark, o.target()), o.condition()));
    }
    RunLog.append(spark, layout, summary, run.runTime(), run.codeVersion(), RunLog.PUBLISHING, changes);
    List<String> published = new ArrayList<>();
    try {
      for (Output o : outputs.values()) {
        hook.beforePublish(o.target());
        Progress.step(spark, job, "commit", "publishing " + o.target());
        publish(o);
      }
      for (ModelOutput m : models.values()) {
        hook.beforePublish(ModelStore.dir(layout, job, m.name()));
        Progress.step(spark, job, "commit", "publishing model " + m.name());
        published.add(publish(m));
      }
    } catch (RuntimeException e) {
      LOG.error("analyze {}: publishing run {} failed; rolling back its tables", job, run.runId());
      try {
        published.forEach(dir -> delete(spark, dir));
        rollBack(spark, changes);
        RunLog.append(spark, layout, summary, run.runTime(), run.codeVersion(), RunLog.ROLLED_BACK, changes);
      } catch (RuntimeException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
    RunLog.append(spark, layout, summary, run.runTime(), run.codeVersion(), RunLog.COMMITTED, changes);
    delete(spark, stagingRoot(layout, job) + "/" + run.runId());
  }

  /**
   * Writes the model's metadata into its staged directory and renames that to the next version, one atomic
   * rename, so a version is never seen half written.
   *
   * @return the version's directory
   */
  private String publish(ModelOutput m) {
    String dir = ModelStore.dir(layout, job, m.name());
    int version = ModelStore.nextVersion(spark, layout, job, m.name());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("job", job);
    metadata.put("model", m.name());
    metadata.put("version", version);
    metadata.put("run_id", run.runId());
    metadata.put("run_time", run.runTime().toString());
    metadata.put("code_version", run.codeVersion());
    metadata.put("input_versions", new java.util.TreeMap<>(run.inputVersions()));
    metadata.putAll(m.metadata());
    String staged = staging("models", m.name());
    ModelStore.writeMetadata(spark, staged + "/" + ModelStore.METADATA, metadata);
    Path target = new Path(dir + "/v" + version);
    try {
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.mkdirs(target.getParent());
      if (!fs.rename(new Path(staged), target)) {
        throw new IOException("rename returned false");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish model " + m.name() + " as " + target, e);
    }
    LOG.info("analyze {}: saved model {} version {} at {}", job, m.name(), version, target);
    return target.toString();
  }

  private void publish(Output o) {
    Dataset<Row> rows = spark.read().format("delta").load(o.staged());
    DataFrameWriter<Row> writer = rows.write().format("delta");
    if (!o.partitionBy().isEmpty()) {
      writer = writer.partitionBy(o.partitionBy().toArray(String[]::new));
    }
    if (!DeltaTables.exists(spark, o.target())) {
      writer.mode("append").save(o.target());
    } else if (o.condition() == null) {
      writer.mode("overwrite").option("overwriteSchema", "true").save(o.target());
    } else {
      // mergeSchema: a table written by an older version gains the columns added since.
      writer.mode("overwrite").option("replaceWhere", o.condition()).option("mergeSchema", "true").save(o.target());
    }
  }

  /**
   * Rolls back runs of the job a killed process left {@code publishing}, and removes staged outputs no run
   * will publish. Called at the start of every run of the job.
   */
  static void recover(SparkSession spark, LakeLayout layout, String job) {
    for (RunLog.Pending p : RunLog.pending(spark, layout, job)) {
      LOG.warn("analyze {}: run {} did not finish publishing; rolling back its tables", job, p.runId());
      rollBack(spark, p.changes());
      // Models are published after the tables: a kill in between leaves versions of this run to remove.
      for (String model : modelNames(spark, layout, job)) {
        ModelStore.versions(spark, layout, job, model).stream().filter(v -> v.runId().equals(p.runId()))
            .forEach(v -> delete(spark, v.path()));
      }
      RunLog.markRolledBack(spark, layout, job, p.runId());
    }
    delete(spark, stagingRoot(layout, job));
  }

  private static List<String> modelNames(SparkSession spark, LakeLayout layout, String job) {
    return ModelStore.list(spark, layout).stream().filter(v -> v.job().equals(job)).map(ModelVersion::model)
        .distinct().toList();
  }

  /** Gives every changed table back the rows it had before; a table not changed yet is left as it is. */
  private static void rollBack(SparkSession spark, List<RunLog.Change> changes) {
    for (RunLog.Change c : changes) {
      if (!DeltaTables.exists(spark, c.path()) || version(spark, c.path()) == c.versionBefore()) {
        continue;
      }
      DeltaTable table = DeltaTable.forPath(spark, c.path());
      if (c.versionBefore() < 0) {
        if (c.condition() == null) {
          table.delete();
        } else {
          table.delete(c.condition());
        }
      } else if (c.condition() == null) {
        table.restoreToVersion(c.versionBefore());
      } else {
        // Only the rows the run replaced: other jobs may have committed to a shared gold table since.
        spark.read().format("delta").option("versionAsOf", c.versionBefore()).load(c.path()).where(c.condition())
            .write().format("delta").mode("overwrite").option("replaceWhere", c.condition()).save(c.path());
      }
      LOG.info("rolled back {} to its rows of version {}", c.path(), c.versionBefore());
    }
  }

  /** The table's latest Delta version; -1 when it does not exist. */
  private static long version(SparkSession spark, String path) {
    if (!DeltaTables.exists(spark, path)) {
      return -1;
    }
    return DeltaTable.forPath(spark, path).history(1).head().getAs("version");
  }

  private static void delete(SparkSession spark, String dir) {
    try {
      Path p = new Path(dir);
      p.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
