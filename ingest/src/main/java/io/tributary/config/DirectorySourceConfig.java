package io.tributary.config;

import java.util.Map;

/**
 * A landing directory that files are dropped into.
 *
 * @param path the directory (local or any Hadoop URI); files must appear atomically (write elsewhere, then
 *     rename), and names starting with '.' or '_' are ignored
 * @param format {@code json} (JSON lines) or {@code csv} (with a header line)
 * @param maxFilesPerTrigger cap on files per micro-batch
 * @param cleanSource what to do with a file once a batch committed it: {@code off}, {@code delete} or
 *     {@code archive} (to {@code archiveDir})
 * @param archiveDir where processed files go with {@code cleanSource: archive}
 */
public record DirectorySourceConfig(
    String path, String format, Integer maxFilesPerTrigger, String cleanSource, String archiveDir) {

  public DirectorySourceConfig {
    if (path == null || path.isBlank()) {
      throw new ConfigException("source.directory.path must be set");
    }
    format = format == null ? "json" : format;
    if (!format.equals("json") && !format.equals("csv")) {
      throw new ConfigException("source.directory.format must be json or csv, not '" + format + "'");
    }
    maxFilesPerTrigger = maxFilesPerTrigger == null ? 100 : maxFilesPerTrigger;
    if (maxFilesPerTrigger <= 0) {
      throw new ConfigException("source.directory.maxFilesPerTrigger must be positive");
    }
    cleanSource = cleanSource == null ? "off" : cleanSource;
    if (!Map.of("off", 1, "delete", 1, "archive", 1).containsKey(cleanSource)) {
      throw new ConfigException("source.directory.cleanSource must be off, delete or archive, not '" + cleanSource + "'");
    }
    if (cleanSource.equals("archive") && (archiveDir == null || archiveDir.isBlank())) {
      throw new ConfigException("source.directory.archiveDir must be set when cleanSource is archive");
    }
  }
}
