package io.tributary.source;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.tributary.config.ConfigException;
import io.tributary.config.DirectorySourceConfig;
import io.tributary.config.PipelineConfig;
import io.tributary.land.DeltaCommits;
import io.tributary.land.PipelineTable;
import io.tributary.land.TableProgress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads files dropped into a landing directory, line by line as text, so a malformed line becomes a
 * quarantined record instead of failing the file. A file is always read whole within one micro-batch.
 *
 * <p>Line numbers without a shuffle: within a file split the rows keep file order and
 * {@link RawColumns#ROW} (monotonically_increasing_id) grows with it, so a line's number is its row minus the
 * split's first row, plus the lines of the file's earlier splits; the lander's one pass over the batch
 * supplies those per-split figures ({@link SplitStats}).
 *
 * <p>After a lost checkpoint Spark lists every file again; the files each table already holds are read once
 * from the tables (as a distributed set, joined to each batch) so nothing lands twice.
 */
public final class DirectoryEventSource implements EventSource {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryEventSource.class);
  private static final String LANDED_FILE = "_landed_file";
  private static final String UTF8_BOM = "\uFEFF";

  private final String pipeline;
  private final DirectorySourceConfig config;
  private Dataset<Row> landedFiles; // file -> one boolean column per table; null unless the checkpoint was new

  public DirectoryEventSource(PipelineConfig p) {
    this.pipeline = p.name();
    this.config = p.source().directory();
  }

  @Override
  public String format() {
    return config.format();
  }

  @Override
  public void check(SparkSession spark) {
    String dir = config.path();
    try {
      Path path = new Path(dir);
      if (!path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
        throw new ConfigException("pipeline " + pipeline + ": landing directory " + dir
            + " does not exist; create it, or fix source.directory.path in the pipeline file");
      }
    } catch (IOException e) {
      throw new ConfigException("pipeline " + pipeline + ": cannot access landing directory " + dir + ": " + e.getMessage());
    }
  }

  @Override
  public Dataset<Row> open(SparkSession spark, Map<PipelineTable, TableProgress> landed, boolean freshCheckpoint,
      Map<PipelineTable, String> tablePaths) {
    if (freshCheckpoint) {
      landedFiles = landedFiles(spark, tablePaths);
    }
    DataStreamReader reader = spark.readStream().format("text")
        .option("maxFilesPerTrigger", config.maxFilesPerTrigger())
        .option("cleanSource", config.cleanSource());
    if (config.archiveDir() != null) {
      reader = reader.option("sourceArchiveDir", config.archiveDir());
    }
    return reader.load(config.path()).select(
        col("value").as(RawColumns.PAYLOAD),
        col("_metadata.file_path").as(RawColumns.SOURCE),
        lit(null).cast("int").as(RawColumns.PARTITION),
        lit(null).cast("long").as(RawColumns.OFFSET),
        col("_metadata.file_modification_time").as(RawColumns.SOURCE_TIME),
        col("_metadata.file_block_start").as(RawColumns.FILE_BLOCK));
  }

  /** The files each existing table holds, as a distributed set with one flag column per table. */
  private Dataset<Row> landedFiles(SparkSession spark, Map<PipelineTable, String> tablePaths) {
    Dataset<Row> union = null;
    for (PipelineTable t : PipelineTable.values()) {
      String path = tablePaths.get(t);
      if (path == null || !io.tributary.land.DeltaTables.exists(spark, path)) {
        continue;
      }
      String column = t == PipelineTable.SILVER ? RawColumns.SOURCE : "source";
      Dataset<Row> files = spark.read().format("delta").load(path).select(col(column).as(LANDED_FILE)).distinct();
      for (PipelineTable other : PipelineTable.values()) {
        files = files.withColumn(landedColumn(other), lit(other == t));
      }
      union = union == null ? files : union.unionByName(files);
    }
    if (union == null) {
      return null;
    }
    List<Column> flags = new ArrayList<>();
    for (PipelineTable t : PipelineTable.values()) {
      flags.add(org.apache.spark.sql.functions.max(landedColumn(t)).as(landedColumn(t)));
    }
    Dataset<Row> files = union.groupBy(LANDED_FILE).agg(flags.get(0), flags.subList(1, flags.size()).toArray(Column[]::new))
        .persist(StorageLevel.MEMORY_AND_DISK());
    LOG.info("{}: new checkpoint; the tables already hold records from {} files, which will not be landed again",
        pipeline, files.count());
    return files;
  }

  private static String landedColumn(PipelineTable t) {
    return "_landed_" + t.kind();
  }

  @Override
  public Dataset<Row> records(Dataset<Row> batch) {
    Dataset<Row> rows = batch
        .withColumn(RawColumns.ROW, monotonically_increasing_id())
        // A byte-order mark belongs to the file, not to its first record. Cut by position, not by a regular
        // expression: that would decode the line and replace invalid UTF-8 before the parser could see it.
        .withColumn(RawColumns.PAYLOAD, when(col(RawColumns.PAYLOAD).startsWith(UTF8_BOM),
            col(RawColumns.PAYLOAD).substr(2, Integer.MAX_VALUE)).otherwise(col(RawColumns.PAYLOAD)))
        .withColumn(RawColumns.RECORD, trim(col(RawColumns.PAYLOAD)).notEqual(""));
    if (config.format().equals("csv")) {
      rows = withCsvHeaders(rows);
    }
    if (landedFiles != null) {
      rows = rows.join(landedFiles, col(RawColumns.SOURCE).equalTo(col(LANDED_FILE)), "left").drop(LANDED_FILE);
    }
    return rows;
  }

  /**
   * The first line of each file is its header: not a record, and kept beside each of the file's lines for the
   * parser's check. One small job finds each file's first line (a handful of rows reach the driver).
   */
  private static Dataset<Row> withCsvHeaders(Dataset<Row> rows) {
    List<Row> firsts = rows.where(col(RawColumns.FILE_BLOCK).equalTo(0)).groupBy(RawColumns.SOURCE)
        .agg(min(RawColumns.ROW), min_by(col(RawColumns.PAYLOAD), col(RawColumns.ROW))).collectAsList();
    if (firsts.isEmpty()) {
      return rows.withColumn(RawColumns.CSV_HEADER, lit(null).cast("string"));
    }
    List<Column> headerRows = new ArrayList<>();
    List<Column> headers = new ArrayList<>();
    for (Row r : firsts) {
      headerRows.add(lit(r.getString(0)));
      headerRows.add(lit(r.getLong(1)));
      headers.add(lit(r.getString(0)));
      headers.add(lit(r.getString(2)));
    }
    Column headerRow = element_at(org.apache.spark.sql.functions.map(headerRows.toArray(Column[]::new)), col(RawColumns.SOURCE));
    Column header = element_at(org.apache.spark.sql.functions.map(headers.toArray(Column[]::new)), col(RawColumns.SOURCE));
    return rows
        .withColumn(RawColumns.RECORD, col(RawColumns.RECORD).and(not(coalesce(col(RawColumns.ROW).equalTo(headerRow), lit(false)))))
        .withColumn(RawColumns.CSV_HEADER, header);
  }

  @Override
  public Column notYetLanded(PipelineTable table, TableProgress progress) {
    return landedFiles == null ? lit(true) : not(coalesce(col(landedColumn(table)), lit(false)));
  }

  /** Line number = row - first row of its split + 1 + lines of the file's earlier splits. */
  @Override
  public Column offset(List<SplitStats> splits) {
    Map<String, List<SplitStats>> byFile = new HashMap<>();
    splits.forEach(s -> byFile.computeIfAbsent(s.source(), f -> new ArrayList<>()).add(s));
    List<Column> entries = new ArrayList<>();
    for (List<SplitStats> file : byFile.values()) {
      file.sort(Comparator.comparingLong(SplitStats::fileBlock));
      long before = 0;
      for (SplitStats s : file) {
        entries.add(lit(s.source() + "@" + s.fileBlock()));
        entries.add(lit(before + 1 - s.firstRow()));
        before += s.lines();
      }
    }
    if (entries.isEmpty()) {
      return lit(null).cast("long");
    }
    Column base = element_at(org.apache.spark.sql.functions.map(entries.toArray(Column[]::new)),
        concat(col(RawColumns.SOURCE), lit("@"), col(RawColumns.FILE_BLOCK).cast("string")));
    return col(RawColumns.ROW).plus(base);
  }

  @Override
  public Map<String, Long> positionsAfter(List<SplitStats> splits) {
    return Map.of();
  }

  @Override
  public Map<String, Long> landedPositions(SparkSession spark, String tablePath) {
    return Map.of();
  }

  @Override
  public Long lag(TableProgress silver) {
    return null;
  }

  @Override
  public String describe() {
    return "directory " + config.path();
  }
}
