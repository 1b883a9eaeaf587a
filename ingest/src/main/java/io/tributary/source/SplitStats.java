package io.tributary.source;

/**
 * What one pass over a micro-batch learned about one of its input splits (a Kafka partition, or a file split):
 * enough to place each line in its file and to know how far each Kafka partition got.
 *
 * @param source Kafka topic, or file path
 * @param partition Kafka partition (null for files)
 * @param fileBlock start of the file split (null for Kafka)
 * @param lines rows of the split, records or not
 * @param firstRow the smallest {@link RawColumns#ROW} of the split
 * @param maxOffset the largest Kafka offset (null for files)
 */
public record SplitStats(String source, Integer partition, Long fileBlock, long lines, long firstRow, Long maxOffset) {}
