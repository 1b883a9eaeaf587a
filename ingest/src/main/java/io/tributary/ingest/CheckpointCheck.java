package io.tributary.ingest;

import io.tributary.config.ConfigException;
import io.tributary.land.CheckpointIdentity;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a pipeline's streaming checkpoint before its query starts, reading the files Spark reads when a query
 * starts ({@link SparkLogFiles} parses them as Spark does): {@code metadata}, the newest offsets file and the
 * one before it, the newest commits file, each source's log from its newest compacted file on, and the
 * checkpoint identity.
 *
 * <p>A corrupted checkpoint (a file empty, cut short, or failing its checksum; commits ahead of offsets; an
 * offsets or metadata file Spark needs gone) is moved aside, renamed with a UTC timestamp suffix so nothing is
 * destroyed, and the pipeline resumes from what the lake's tables record, exactly as after a deleted
 * checkpoint. A checkpoint written by a newer Spark is not corrupt: ingest stops with one line saying what to
 * do. Errors reading the file system (permissions, an unreachable NameNode) are not corruption and propagate.
 */
public final class CheckpointCheck {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCheck.class);
  private static final String RESUME = "the pipeline then resumes from what the lake's tables record";
  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'");

  private CheckpointCheck() {}

  /**
   * Moves a corrupted checkpoint aside, logging one WARN line, so the query starts afresh from the lake.
   *
   * @return where the corrupted checkpoint now is, or empty when it was sound (or absent)
   * @throws ConfigException when the checkpoint cannot be used and is not to be moved aside automatically
   */
  public static Optional<String> recoverIfCorrupt(String pipeline, String checkpointDir, Configuration hadoopConf) {
    Path dir = new Path(checkpointDir);
    String which = "pipeline " + pipeline + ": checkpoint " + checkpointDir;
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf);
      if (fs.exists(dir) && !fs.getFileStatus(dir).isDirectory()) {
        throw new ConfigException(which + " is a file, not a directory: move it away and restart; " + RESUME);
      }
      Optional<String> problem = problem(fs, dir);
      if (problem.isEmpty()) {
        return Optional.empty();
      }
      Path aside = new Path(dir.getParent(), dir.getName() + ".corrupt-" + ZonedDateTime.now(ZoneOffset.UTC).format(SUFFIX));
      if (!fs.rename(dir, aside)) {
        throw new ConfigException(which + " is corrupt (" + problem.get() + ") and could not be moved to " + aside
            + ": move or delete it, then restart; " + RESUME);
      }
      LOG.warn("{} is corrupt ({}); moved it to {} and resuming from what the lake's tables record", which,
          problem.get(), aside);
      return Optional.of(aside.toString());
    } catch (SparkLogFiles.NewerSpark e) {
      throw new ConfigException(which + " " + e.getMessage() + ": run the pipeline with the Spark version that wrote "
          + "it, or move the checkpoint aside to resume from what the lake's tables record");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read checkpoint " + checkpointDir + ": " + e.getMessage(), e);
    }
  }

  /** What is wrong with the checkpoint directory {@code dir}, or empty when Spark can start from it (or it is absent). */
  static Optional<String> problem(FileSystem fs, Path dir) throws IOException {
    if (!fs.exists(dir)) {
      return Optional.empty();
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
    Optional<String> found;
    if (fs.exists(metadata)) {
      found = SparkLogFiles.metadata(fs, metadata, "metadata");
    } else {
      // Spark writes a new one for a new checkpoint, but refuses to start without it
      // (STREAMING_CHECKPOINT_MISSING_METADATA_FILE) once the logs hold batches.
      found = newestOffsets.isEmpty() ? Optional.empty() : Optional.of("metadata is missing");
    }
    if (found.isPresent() || newestOffsets.isEmpty()) {
      return found; // without offsets Spark starts the checkpoint afresh
    }
    long n = newestOffsets.getAsLong();
    // Spark reads the newest offsets file and, to know where that batch starts, the one before it.
    for (long b = n; found.isEmpty() && b >= Math.max(0, n - 1); b--) {
      found = SparkLogFiles.offsets(fs, new Path(offsets, Long.toString(b)), "offsets/" + b);
    }
    if (found.isEmpty() && newestCommit.isPresent()) {
      long c = newestCommit.getAsLong();
      found = SparkLogFiles.commit(fs, new Path(commits, Long.toString(c)), "commits/" + c);
    }
    if (found.isEmpty()) {
      found = sourceLogs(fs, new Path(dir, "sources"));
    }
    Path identity = new Path(dir, CheckpointIdentity.FILE);
    if (found.isEmpty() && fs.exists(identity)) {
      // An empty identity would name another writer, and a replayed batch would land twice.
      found = SparkLogFiles.notEmpty(fs, identity, CheckpointIdentity.FILE);
    }
    return found;
  }

  /** The newest batch of an offsets or commits log, as Spark lists them: files whose name is a number. */
  private static OptionalLong newest(FileSystem fs, Path log) throws IOException {
    if (!fs.exists(log)) {
      return OptionalLong.empty();
    }
    return Arrays.stream(fs.listStatus(log)).filter(FileStatus::isFile).map(s -> s.getPath().getName())
        .filter(name -> name.matches("\\d+")).mapToLong(Long::parseLong).max();
  }

  /** Each source's log; a file source restores from its newest compacted file onwards, so those are read. */
  private static Optional<String> sourceLogs(FileSystem fs, Path sources) throws IOException {
    if (!fs.exists(sources)) {
      return Optional.empty();
    }
    for (FileStatus source : fs.listStatus(sources)) {
      if (!source.isDirectory()) {
        continue;
      }
      List<FileStatus> batches = Arrays.stream(fs.listStatus(source.getPath()))
          .filter(s -> s.isFile() && s.getPath().getName().matches("\\d+(\\.compact)?"))
          .sorted((a, b) -> Long.compare(batchId(a), batchId(b))).toList();
      int from = 0;
      for (int i = 0; i < batches.size(); i++) {
        from = batches.get(i).getPath().getName().endsWith(".compact") ? i : from;
      }
      for (FileStatus batch : batches.subList(from, batches.size())) {
        Optional<String> found = SparkLogFiles.sourceLog(fs, batch.getPath(),
            "sources/" + source.getPath().getName() + "/" + batch.getPath().getName());
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static long batchId(FileStatus s) {
    return Long.parseLong(s.getPath().getName().replace(".compact", ""));
  }
}
