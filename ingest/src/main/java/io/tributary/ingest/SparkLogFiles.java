package io.tributary.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The formats of a streaming checkpoint's files, checked as Spark 4.2's readers parse them: {@code OffsetSeqLog},
 * {@code CommitLog}, {@code StreamMetadata} and the sources' own logs. Each check returns what makes a file
 * unreadable to Spark ({@code name} + what is wrong), or empty when Spark would read it.
 */
final class SparkLogFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VERSION = Pattern.compile("v(\\d{1,9})");
  /** The newest log versions Spark 4.2 reads: offsets v2 (OffsetMap), commits v2. */
  private static final int OFFSETS_MAX_VERSION = 2;
  private static final int COMMITS_MAX_VERSION = 2;

  private SparkLogFiles() {}

  /** A log written by a newer Spark: not corrupt, so never moved aside automatically. */
  static final class NewerSpark extends IOException {
    NewerSpark(String message) {
      super(message);
    }
  }

  /** StreamMetadata: JSON holding the query id. */
  static Optional<String> metadata(FileSystem fs, Path file, String name) throws IOException {
    Lines lines = read(fs, file, name);
    if (lines.problem != null) {
      return Optional.of(lines.problem);
    }
    JsonNode id = json(lines.all.get(0)).map(node -> node.get("id")).orElse(null);
    return id != null && id.isTextual() ? Optional.empty() : Optional.of(name + " is truncated or has no query id");
  }

  /** OffsetSeqLog: a version line, a metadata line, then one line per source ("-", an offset, or id:offset in v2). */
  static Optional<String> offsets(FileSystem fs, Path file, String name) throws IOException {
    if (!fs.exists(file)) {
      return Optional.of(name + " is missing");
    }
    Lines lines = read(fs, file, name);
    if (lines.problem != null) {
      return Optional.of(lines.problem);
    }
    int version = version(lines.all.get(0), OFFSETS_MAX_VERSION, name);
    if (version < 0) {
      return Optional.of(name + " has no valid version line");
    }
    if (lines.all.size() < 3) {
      return Optional.of(name + " is truncated: " + (lines.all.size() == 1 ? "no metadata line" : "no source offsets"));
    }
    String metadata = lines.all.get(1).trim();
    if (!metadata.isEmpty() && json(metadata).filter(JsonNode::isObject).isEmpty()) {
      return Optional.of(name + " is truncated: its metadata is not complete JSON");
    }
    for (String line : lines.all.subList(2, lines.all.size())) {
      String offset = version == 2 && line.indexOf(':') > 0 ? line.substring(line.indexOf(':') + 1) : line;
      if (!offset.equals("-") && json(offset).isEmpty()) {
        return Optional.of(name + " is truncated: a source offset is not complete JSON");
      }
    }
    return Optional.empty();
  }

  /** CommitLog: a version line, then optionally one JSON line (Spark reads a missing one as {}). */
  static Optional<String> commit(FileSystem fs, Path file, String name) throws IOException {
    Lines lines = read(fs, file, name);
    if (lines.problem != null) {
      return Optional.of(lines.problem);
    }
    if (version(lines.all.get(0), COMMITS_MAX_VERSION, name) < 0) {
      return Optional.of(name + " has no valid version line");
    }
    if (lines.all.size() > 1 && json(lines.all.get(1)).filter(JsonNode::isObject).isEmpty()) {
      return Optional.of(name + " is truncated: its metadata is not complete JSON");
    }
    return Optional.empty();
  }

  /** A source's own log (the file source's list of files, Kafka's initial offsets): a version line, JSON lines. */
  static Optional<String> sourceLog(FileSystem fs, Path file, String name) throws IOException {
    Lines lines = read(fs, file, name);
    if (lines.problem != null) {
      return Optional.of(lines.problem);
    }
    if (!VERSION.matcher(lines.all.get(0).trim()).matches()) {
      return Optional.of(name + " has no valid version line");
    }
    for (String line : lines.all.subList(1, lines.all.size())) {
      if (!line.isBlank() && json(line).isEmpty()) {
        return Optional.of(name + " is truncated: a line is not complete JSON");
      }
    }
    return Optional.empty();
  }

  /** Any file that must hold something (the checkpoint identity). */
  static Optional<String> notEmpty(FileSystem fs, Path file, String name) throws IOException {
    return Optional.ofNullable(read(fs, file, name).problem);
  }

  /** The version of a log file's first line, -1 if malformed (as MetadataVersionUtil.validateVersion decides). */
  private static int version(String line, int max, String name) throws NewerSpark {
    Matcher m = VERSION.matcher(line.trim());
    if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
      return -1;
    }
    int v = Integer.parseInt(m.group(1));
    if (v > max) {
      throw new NewerSpark("was written by a newer Spark (" + name + " is log version v" + v + "; this Spark reads up "
          + "to v" + max + ")");
    }
    return v;
  }

  private static Optional<JsonNode> json(String text) {
    if (text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(text));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** A file's lines, split as Spark's readers split them, or what makes it unreadable as a log. */
  private record Lines(List<String> all, String problem) {}

  private static Lines read(FileSystem fs, Path file, String name) throws IOException {
    String text;
    try (InputStream in = fs.open(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (ChecksumException e) {
      // A file changed after it was written (cut short by a crash or by hand) fails its .crc.
      return new Lines(List.of(), name + " does not match its checksum");
    }
    if (text.isBlank()) {
      return new Lines(List.of(), name + " is empty");
    }
    return new Lines(text.lines().toList(), null);
  }
}
