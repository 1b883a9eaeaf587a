package io.tributary.source;

/**
 * The columns every source produces, whatever it reads: the record as received plus where it came from.
 * Downstream code only sees these names. Event fields of a pipeline's schema must not start with '_'.
 */
public final class RawColumns {
  /** The record as received, as text. */
  public static final String PAYLOAD = "_payload";
  /** Kafka topic, or the file path for a landing directory. */
  public static final String SOURCE = "_source";
  /** Kafka partition; null for files. */
  public static final String PARTITION = "_source_partition";
  /** Kafka offset, or the 1-based line number within the file (filled in once the batch's lines are counted). */
  public static final String OFFSET = "_source_offset";
  /** Kafka record timestamp, or the file's modification time. */
  public static final String SOURCE_TIME = "_source_time";
  /** Files only: start of the file split the line came from; with {@link #ROW} it orders a file's lines. */
  public static final String FILE_BLOCK = "_file_block";
  /**
   * A number unique within the micro-batch that grows with the source order inside each Kafka partition and
   * each file split (Spark's monotonically_increasing_id over the batch's scan); it keys a row within its batch.
   */
  public static final String ROW = "_row";
  /** False for lines that are not records: blank lines, CSV header lines. They are neither landed nor counted. */
  public static final String RECORD = "_record";
  /** CSV only: the first line of the record's file, checked against the schema by the parser. */
  public static final String CSV_HEADER = "_csv_header";

  private RawColumns() {}
}
