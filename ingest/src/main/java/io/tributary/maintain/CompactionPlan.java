package io.tributary.maintain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;

/**
 * The files OPTIMIZE would rewrite, read from the table's snapshot without changing it. Bin-packing considers
 * the files below Delta's {@code spark.databricks.delta.optimize.minFileSize} in every partition that has at
 * least two of them (a lone small file is left alone); Z-ordering rewrites every file. Delta decides the exact
 * bins when it runs, so this is the set of candidates, not a promise of the output.
 *
 * @param partitions partitions with files to rewrite
 * @param files files to rewrite
 * @param bytes their total size
 */
public record CompactionPlan(long partitions, long files, long bytes) {
  static final CompactionPlan NONE = new CompactionPlan(0, 0, 0);
  private static final String MIN_FILE_SIZE = "spark.databricks.delta.optimize.minFileSize";

  static CompactionPlan of(SparkSession spark, String path, boolean zOrder) {
    long minFileSize = Long.parseLong(spark.conf().get(MIN_FILE_SIZE, String.valueOf(1L << 30)));
    Dataset<Row> files = DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty())
        .allFiles().toDF();
    Dataset<Row> candidates = zOrder ? files : files.where(col("size").lt(minFileSize));
    Row r = candidates.groupBy(to_json(col("partitionValues")).as("partition"))
        .agg(count(lit(1)).as("files"), sum("size").as("bytes"))
        .where(zOrder ? lit(true) : col("files").geq(2))
        .agg(count(lit(1)), sum("files"), sum("bytes")).first();
    return new CompactionPlan(r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2));
  }
}
