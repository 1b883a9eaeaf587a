package io.tributary.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.config.ConfigException;
import io.tributary.land.CheckpointIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a pipeline's streaming checkpoint before its query starts, reading the files Spark reads at start the
 * way Spark's logs parse them ({@code HDFSMetadataLog}, {@code OffsetSeqLog}, {@code CommitLog},
 * {@code StreamMetadata}, the sources' logs): the newest two offsets files, the newest commits file, the
 * {@code metadata} file, the sources' newest log files, and the checkpoint identity.
 *
 * <p>A corrupted checkpoint (a file empty, truncated, or failing its checksum; commits ahead of offsets; a
 * missing offsets or metadata file Spark needs) is moved aside, renamed with a UTC timestamp suffix so nothing is
 * destroyed, and the pipeline resumes from what the lake's tables record, exactly as after a deleted
 * checkpoint. A checkpoint written by a newer Spark is not corrupt: ingest stops with one line saying what to
 * do. Errors reading the file system (permissions, an unreachable NameNode) are not corruption and propagate.
 */
public final class CheckpointCheck {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCheck.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VERSION = Pattern.compile("v(\\d{1,9})");
  private static final Pattern BATCH = Pattern.compile("\\d+(\\.compact)?");
  /** The newest log versions Spark 4.2 reads: offsets v2 (OffsetMap), commits v2, sources' logs v1. */
  private static final int OFFSETS_MAX_VERSION = 2;
  private static final int COMMITS_MAX_VERSION = 2;
  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'");

  private CheckpointCheck() {}

  /**
   * Moves a corrupted checkpoint aside (logging one WARN line) so the query starts afresh from the lake.
   *
   * @return where the corrupted checkpoint now is, or empty when it was sound (or absent)
   * @throws ConfigException when the checkpoint cannot be used and must not be moved aside automatically
   */
  public static Optional<String> recoverIfCorrupt(String pipeline, String checkpointDir, Configuration hadoopConf) {
    Path dir = new Path(checkpointDir);
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf);
      Optional<String> problem = problem(fs, dir);
      if (problem.isEmpty()) {
        return Optional.empty();
      }
      Path aside = new Path(dir.getParent(), dir.getName() + ".corrupt-" + ZonedDateTime.now(ZoneOffset.UTC).format(SUFFIX));
      if (!fs.rename(dir, aside)) {
        throw new ConfigException("pipeline " + pipeline + ": checkpoint " + checkpointDir + " is corrupt ("
            + problem.get() + ") and could not be moved to " + aside + ": move or delete it, then restart; the "
            + "pipeline resumes from what the lake's tables record");
      }
      LOG.warn("pipeline {}: checkpoint {} is corrupt ({}); moved it to {} and resuming from what the lake's tables "
          + "record", pipeline, checkpointDir, problem.get(), aside);
      return Optional.of(aside.toString());
    } catch (Unsupported e) {
      throw new ConfigException("pipeline " + pipeline + ": checkpoint " + checkpointDir + " " + e.getMessage()
          + ": run the pipeline with the Spark version that wrote it, or move the checkpoint aside to resume from "
          + "what the lake's tables record");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read checkpoint " + checkpointDir + ": " + e.getMessage(), e);
    }
  }

  /** What is wrong with the checkpoint in {@code dir}, or empty when Spark can start from it (or it is absent). */
  static Optional<String> problem(FileSystem fs, Path dir) throws IOException {
    if (!fs.exists(dir)) {
      return Optional.empty();
    }
    if (!fs.getFileStatus(dir).isDirectory()) {
      throw new ConfigException("checkpoint " + dir + " is a file, not a directory: move it away and restart");
    }
    Path offsets = new Path(dir, "offsets");
    Path commits = new Path(dir, "commits");
    OptionalLong newestOffsets = newest(fs, offsets);
    OptionalLong newestCommit = newest(fs, commits);
    if (newestCommit.isPresent() && (newestOffsets.isEmpty() || newestCommit.getAsLong() > newestOffsets.getAsLong())) {
      return Optional.of("commits/" + newestCommit.getAsLong() + " has no offsets file: offsets/ ends at "
          + (newestOffsets.isEmpty() ? "nothing" : newestOffsets.getAsLong()));
    }
    Path metadata = new Path(dir, "metadata");
    if (!fs.exists(metadata)) {
      // Spark 4.2 refuses to start (STREAMING_CHECKPOINT_MISSING_METADATA_FILE) once the logs hold batches.
      return newestOffsets.isEmpty() ? Optional.empty() : Optional.of("metadata is missing");
    }
    Optional<String> found = metadata(fs, metadata);
    if (found.isPresent() || newestOffsets.isEmpty()) {
      return found;
    }
    long n = newestOffsets.getAsLong();
    // Spark reads the newest offsets file and, to know where that batch starts, the one before it.
    for (long b = n; b >= Math.max(0, n - 1); b--) {
      found = offsets(fs, new Path(offsets, Long.toString(b)));
      if (found.isPresent()) {
        return found;
      }
    }
    if (newestCommit.isPresent()) {
      found = commit(fs, new Path(commits, Long.toString(newestCommit.getAsLong())));
      if (found.isPresent()) {
        return found;
      }
    }
    found = sourceLogs(fs, new Path(dir, "sources"));
    return found.isPresent() ? found : identity(fs, new Path(dir, CheckpointIdentity.FILE));
  }

  /** The newest batch of an offsets or commits log, as Spark lists them: files whose name is a number. */
  private static OptionalLong newest(FileSystem fs, Path log) throws IOException {
    if (!fs.exists(log)) {
      return OptionalLong.empty();
    }
    return Arrays.stream(fs.listStatus(log)).filter(FileStatus::isFile).map(s -> s.getPath().getName())
        .filter(name -> name.matches("\\d+")).mapToLong(Long::parseLong).max();
  }

  /** StreamMetadata: JSON holding the query id. */
  private static Optional<String> metadata(FileSystem fs, Path file) throws IOException {
    Lines lines = read(fs, file, "metadata");
    if (lines.problem != null) {
      return Optional.of(lines.problem);
    }
    JsonNode id = json(lines.all.get(0)).map(node -> node.get("id")).orElse(null);
    return id != null && id.isTextual() ? Optional.empty() : Optional.of("metadata is truncated or has no query id");
  }

  /** OffsetSeqLog: a version line, a metadata line, then one line per source ("-", an offset, or id:offset in v2). */
  private static Optional<String> offsets(FileSystem fs, Path file) throws IOException {
    String name = "offsets/" + file.getName();
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
  private static Optional<String> commit(FileSystem fs, Path file) throws IOException {
    String name = "commits/" + file.getName();
    Lines lines = read(fs, file, name);
    if (lines.problem != null) {
      return Optional.of(lines.problem);
    }
    if (version(lines.all.get(0).trim(), COMMITS_MAX_VERSION, name) < 0) {
      return Optional.of(name + " has no valid version line");
    }
    if (lines.all.size() > 1 && json(lines.all.get(1)).filter(JsonNode::isObject).isEmpty()) {
      return Optional.of(name + " is truncated: its metadata is not complete JSON");
    }
    return Optional.empty();
  }

  /**
   * The sources' own logs (the file source's list of files, Kafka's initial offsets): a version line, then JSON
   * lines. A file source restores from its newest compacted file onwards, so those are the files checked.
   */
  private static Optional<String> sourceLogs(FileSystem fs, Path sources) throws IOException {
    if (!fs.exists(sources)) {
      return Optional.empty();
    }
    for (FileStatus source : fs.listStatus(sources)) {
      if (!source.isDirectory()) {
        continue;
      }
      List<FileStatus> batches = Arrays.stream(fs.listStatus(source.getPath()))
          .filter(s -> s.isFile() && BATCH.matcher(s.getPath().getName()).matches())
          .sorted((a, b) -> Long.compare(batchId(a), batchId(b))).toList();
      int from = 0;
      for (int i = 0; i < batches.size(); i++) {
        from = batches.get(i).getPath().getName().endsWith(".compact") ? i : from;
      }
      for (FileStatus batch : batches.subList(from, batches.size())) {
        String name = "sources/" + source.getPath().getName() + "/" + batch.getPath().getName();
        Lines lines = read(fs, batch.getPath(), name);
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
      }
    }
    return Optional.empty();
  }

  /** The identity names the writer in Delta's idempotent writes; an empty one would let a replay land twice. */
  private static Optional<String> identity(FileSystem fs, Path file) throws IOException {
    if (!fs.exists(file)) {
      return Optional.empty(); // CheckpointIdentity says what to do
    }
    Lines lines = read(fs, file, CheckpointIdentity.FILE);
    return Optional.ofNullable(lines.problem);
  }

  private static long batchId(FileStatus s) {
    return Long.parseLong(s.getPath().getName().replace(".compact", ""));
  }

  /** The version of a log file's first line, -1 if malformed; a version above {@code max} is not corruption. */
  private static int version(String line, int max, String name) throws Unsupported {
    Matcher m = VERSION.matcher(line.trim());
    if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
      return -1;
    }
    int v = Integer.parseInt(m.group(1));
    if (v > max) {
      throw new Unsupported("was written by a newer Spark (" + name + " is log version v" + v + "; this Spark reads up "
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

  /** A file's lines split as Spark's readers split them, or what makes it unreadable as a log. */
  private record Lines(List<String> all, String problem) {}

  private static Lines read(FileSystem fs, Path file, String name) throws IOException {
    String text;
    try (InputStream in = fs.open(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (ChecksumException e) {
      // A file changed after it was written (truncated by a crash or by hand) fails its .crc.
      return new Lines(List.of(), name + " does not match its checksum");
    }
    if (text.isBlank()) {
      return new Lines(List.of(), name + " is empty");
    }
    return new Lines(text.lines().toList(), null);
  }

  /** A checkpoint written by a newer Spark: not corrupt, so never moved aside automatically. */
  private static final class Unsupported extends IOException {
    Unsupported(String message) {
      super(message);
    }
  }
}
