package io.tributary.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trim;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Numbers the lines of each file in a (batch) Dataset from a directory source, then drops lines that are
 * not records: blank lines, and the header line of CSV files, which is kept beside each of the file's lines
 * as {@link #CSV_HEADER} so the parser can check it. A file is always read whole within one micro-batch, so
 * numbering per batch numbers the whole file.
 */
public final class LineNumbers {
  /** CSV only: the first line of the record's file. */
  public static final String CSV_HEADER = "_csv_header";

  private LineNumbers() {}

  public static Dataset<Row> assign(Dataset<Row> batch, boolean csvHeader) {
    // Within one split, rows keep file order, and monotonically_increasing_id grows with it; splits are
    // ordered by their start offset, so (block start, id) is the file's line order.
    Dataset<Row> numbered = batch
        .withColumn("_ordinal", monotonically_increasing_id())
        .withColumn(RawColumns.OFFSET, row_number().over(
            Window.partitionBy(RawColumns.SOURCE).orderBy(col(RawColumns.FILE_BLOCK), col("_ordinal"))).cast("long"))
        .drop("_ordinal");
    Dataset<Row> records = numbered.filter(trim(col(RawColumns.PAYLOAD)).notEqual(""));
    if (!csvHeader) {
      return records;
    }
    Dataset<Row> headers = records.filter(col(RawColumns.OFFSET).equalTo(1))
        .select(col(RawColumns.SOURCE).as("_header_source"), col(RawColumns.PAYLOAD).as(CSV_HEADER));
    return records.filter(col(RawColumns.OFFSET).gt(1))
        .join(org.apache.spark.sql.functions.broadcast(headers), col(RawColumns.SOURCE).equalTo(col("_header_source")), "left")
        .drop("_header_source");
  }
}
