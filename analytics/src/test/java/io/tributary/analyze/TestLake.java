package io.tributary.analyze;

import io.tributary.config.ConfigLoader;
import io.tributary.config.TributaryConfig;
import io.tributary.gold.RunInfo;
import io.tributary.layout.LakeLayout;
import io.tributary.testing.TestSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** A lake and a jobs directory in a temporary directory, with helpers to fill and read them. */
public final class TestLake {
  public final Path root;
  public final Path jobs;
  public final LakeLayout layout;

  public TestLake(Path dir) {
    root = dir.resolve("lake");
    jobs = dir.resolve("jobs");
    layout = new LakeLayout(root.toString());
    try {
      Files.createDirectories(jobs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SparkSession spark() {
    return TestSpark.get();
  }

  public TributaryConfig config() {
    return ConfigLoader.load(null, Map.of(), Map.of("lake.root", root.toString(), "jobsDir", jobs.toString()));
  }

  /** Appends rows to the Delta table {@code ROOT/table} (partitioned by event_date when it has one). */
  public void append(String table, List<Row> rows, StructType schema) {
    var writer = spark().createDataFrame(rows, schema).write().format("delta").mode("append");
    if (List.of(schema.fieldNames()).contains("event_date")) {
      writer = writer.partitionBy("event_date");
    }
    writer.save(root + "/" + table);
  }

  public void writeJob(String name, String yaml) {
    try {
      Files.writeString(jobs.resolve(name + ".yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Dataset<Row> gold(String table) {
    return spark().read().format("delta").load(layout.gold(table));
  }

  /** A context for calling an analysis directly, without the runner. */
  public AnalysisContext context(JobConfig job, Dataset<Row> input, Instant from, Instant to, boolean full) {
    return new AnalysisContext(spark(), job, input, from, to, full, layout, RunInfo.start(Map.of()));
  }

  /** Stores the state an analysis called directly returned, as the runner would when committing its run. */
  public void commitState(AnalysisContext ctx, AnalysisResult result) {
    RunCommit commit = new RunCommit(spark(), layout, ctx.job().name(), ctx.run(), RunCommit.Hook.NONE);
    result.state().forEach(commit::stage);
    commit.publish(new RunSummary(ctx.job().name(), ctx.run().runId(), ctx.job().input(), 0, ctx.from(), ctx.to(),
        ctx.full(), Map.of(), Duration.ZERO, null));
  }
}
