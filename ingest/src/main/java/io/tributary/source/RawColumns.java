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
  /** Kafka offset, or the 1-based line number within the file. */
  public static final String OFFSET = "_source_offset";
  /** Kafka record timestamp, or the file's modification time. */
  public static final String SOURCE_TIME = "_source_time";
  /** Files only: start of the file split the line came from, used to number lines; dropped after. */
  public static final String FILE_BLOCK = "_file_block";

  private RawColumns() {}
}
