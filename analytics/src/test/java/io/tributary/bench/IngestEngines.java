package io.tributary.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.to_date;

import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.config.TributaryConfig;
import io.tributary.ingest.IngestRunner;
import io.tributary.layout.LakeLayout;
import io.tributary.ops.BatchMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * One ingest run over everything in the landing directory (Spark's available-now trigger), by Tributary or
 * by one of the two baselines, all reading the pipeline's source (its landing directory with its
 * maxFilesPerTrigger, or its Kafka topic with its maxOffsetsPerTrigger):
 * <ul>
 *   <li>{@code tributary}: {@link IngestRunner#start} with {@code once = true}: bronze + silver + quarantine
 *       with validation, de-duplication, exactly-once markers and ops rows;</li>
 *   <li>{@code baseline-a}: one foreachBatch that appends the raw lines (partitioned by ingest date) to one Delta
 *       table and the from_json-parsed rows (partitioned by event date) to another; the batch is persisted once
 *       so the files are read once, as a careful hand-written job would; no validation, no de-duplication;</li>
 *   <li>{@code baseline-b}: a single plain Delta streaming sink of the parsed rows.</li>
 * </ul>
 * Measured: wall time from starting the query until it terminates, rows read (the queries' numInputRows) and
 * the Spark jobs of each micro-batch. With {@code then=DIR}, a second run follows over DIR's files, linked into
 * the landing directory, and only that one is reported.
 */
final class IngestEngines {
  private IngestEngines() {}

  static Map<String, Object> run(SparkSession spark, TributaryConfig config, Map<String, String> opts) throws Exception {
    String engine = opts.get("engine");
    PipelineConfig pipeline = PipelineLoader.find(config.pipelinesPath(), "clickstream");
    Map<String, Object> out = phase(spark, config, pipeline, engine);
    if (opts.containsKey("then")) {
      // The measured run follows a first one in the same JVM, so it is not paying for JIT and first-use costs.
      double warmup = (Double) out.get("seconds");
      LakeCopy.linkInto(java.nio.file.Path.of(opts.get("then")),
          java.nio.file.Path.of(pipeline.source().directory().path()), "then-");
      out = phase(spark, config, pipeline, engine);
      out.put("warmup_seconds", warmup);
    }
    return out;
  }

  /** One available-now run of {@code engine} over what the landing directory holds and the lake lacks. */
  private static Map<String, Object> phase(SparkSession spark, TributaryConfig config, PipelineConfig pipeline,
      String engine) throws Exception {
    LakeLayout layout = new LakeLayout(config.lake().root());
    JobCounter jobs = new JobCounter(engine.equals("tributary") ? pipeline.name() : null);
    spark.sparkContext().addSparkListener(jobs);
    AtomicLong inputRows = new AtomicLong();
    List<Long> batchMillis = Collections.synchronizedList(new ArrayList<>());
    StreamingQueryListener progress = new StreamingQueryListener() {
      @Override public void onQueryStarted(QueryStartedEvent e) {}
      @Override public void onQueryIdle(QueryIdleEvent e) {}
      @Override public void onQueryTerminated(QueryTerminatedEvent e) {}
      @Override public void onQueryProgress(QueryProgressEvent e) {
        if (e.progress().numInputRows() > 0) {
          inputRows.addAndGet(e.progress().numInputRows());
          batchMillis.add(e.progress().batchDuration());
        }
      }
    };
    spark.streams().addListener(progress);
    List<BatchMetrics> metrics = Collections.synchronizedList(new ArrayList<>());

    long started = System.nanoTime();
    StreamingQuery query = switch (engine) {
      case "tributary" -> new IngestRunner(spark, layout, metrics::add).start(pipeline, true);
      case "baseline-a" -> baselineA(spark, pipeline, config.lake().root());
      case "baseline-b" -> baselineB(spark, pipeline, config.lake().root());
      default -> throw new IllegalArgumentException("unknown engine " + engine);
    };
    query.awaitTermination();
    double seconds = (System.nanoTime() - started) / 1e9;
    // Progress events are delivered asynchronously; give the last one a moment.
    Thread.sleep(500);
    spark.streams().removeListener(progress);
    spark.sparkContext().removeSparkListener(jobs);

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("engine", engine);
    out.put("seconds", seconds);
    out.put("input_rows", inputRows.get());
    out.put("batches", batchMillis.size());
    out.put("batch_ms", List.copyOf(batchMillis));
    out.put("jobs_per_batch", jobs.perStreamingBatch().values());
    if (engine.equals("tributary")) {
      out.put("labelled_jobs_per_batch", jobs.perLabelledBatch().values());
      out.put("received", metrics.stream().mapToLong(BatchMetrics::received).sum());
      out.put("silver_rows", metrics.stream().mapToLong(BatchMetrics::silverRows).sum());
      out.put("tributary_batch_ms", metrics.stream().map(BatchMetrics::durationMs).toList());
    }
    return out;
  }

  private static Dataset<Row> lines(SparkSession spark, PipelineConfig p) {
    if (p.source().isKafkaSource()) {
      var kafka = p.source().kafka();
      return spark.readStream().format("kafka")
          .option("kafka.bootstrap.servers", kafka.bootstrapServers())
          .option("subscribe", String.join(",", kafka.topics()))
          .option("startingOffsets", kafka.startingOffsets())
          .option("maxOffsetsPerTrigger", kafka.maxOffsetsPerTrigger())
          .load()
          .select(col("value").cast("string").as("value"),
              org.apache.spark.sql.functions.concat_ws("/", col("topic"), col("partition")).as("source"));
    }
    return spark.readStream().format("text")
        .option("maxFilesPerTrigger", p.source().directory().maxFilesPerTrigger())
        .load(p.source().directory().path())
        .select(col("value"), col("_metadata.file_path").as("source"));
  }

  private static Dataset<Row> parsed(Dataset<Row> lines, PipelineConfig p) {
    StructType schema = StructType.fromDDL(p.schemaDdl());
    return lines.select(from_json(col("value"), schema).as("e"), col("source"))
        .select(col("e.*"), col("source"))
        .withColumn("event_date", to_date(col(p.eventTime())));
  }

  private static StreamingQuery baselineA(SparkSession spark, PipelineConfig p, String root) throws TimeoutException {
    String raw = root + "/baseline_a/raw";
    String events = root + "/baseline_a/parsed";
    VoidFunction2<Dataset<Row>, Long> writeBoth = (batch, id) -> {
      Dataset<Row> cached = batch.persist(StorageLevel.MEMORY_AND_DISK());
      try {
        cached.withColumn("ingest_time", current_timestamp())
            .withColumn("ingest_date", to_date(col("ingest_time")))
            .write().format("delta").mode("append").partitionBy("ingest_date").save(raw);
        parsed(cached, p).write().format("delta").mode("append").partitionBy("event_date").save(events);
      } finally {
        cached.unpersist();
      }
    };
    return lines(spark, p).writeStream().queryName("baseline-a")
        .option("checkpointLocation", root + "/baseline_a/_checkpoint")
        .trigger(Trigger.AvailableNow())
        .foreachBatch(writeBoth)
        .start();
  }

  private static StreamingQuery baselineB(SparkSession spark, PipelineConfig p, String root) throws TimeoutException {
    return parsed(lines(spark, p), p).writeStream().queryName("baseline-b")
        .format("delta")
        .partitionBy("event_date")
        .option("checkpointLocation", root + "/baseline_b/_checkpoint")
        .trigger(Trigger.AvailableNow())
        .start(root + "/baseline_b/parsed");
  }
}
