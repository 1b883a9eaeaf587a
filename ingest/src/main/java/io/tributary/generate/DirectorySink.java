package io.tributary.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes JSON-lines files {@code <prefix>-00000.jsonl}, {@code <prefix>-00001.jsonl}, ... whose names sort in
 * arrival order. Each file is written under a hidden name ({@code .<name>.inprogress}, which Spark's file
 * source and Hadoop ignore) and atomically renamed when complete, so a streaming reader never sees a partial
 * file. The ground truth goes to a separate path, by default outside the directory so it is not read as data.
 */
public final class DirectorySink implements RecordSink {

  private static final Logger LOG = LoggerFactory.getLogger(DirectorySink.class);

  private final Path directory;
  private final String prefix;
  private final FileSplit split;
  private final Path groundTruthFile;

  /**
   * @param directory       created if missing; must not already hold files of this prefix
   * @param prefix          file name prefix, e.g. "events"
   * @param split           how lines are cut into files
   * @param groundTruthFile where to write the ground truth JSON
   */
  public DirectorySink(Path directory, String prefix, FileSplit split, Path groundTruthFile) {
    this.directory = directory;
    this.prefix = prefix;
    this.split = split;
    this.groundTruthFile = groundTruthFile;
  }

  /** The default ground-truth location for a directory: {@code <dir>/../<dir name>-ground-truth.json}. */
  public static Path defaultGroundTruthFile(Path directory) {
    Path absolute = directory.toAbsolutePath().normalize();
    return absolute.resolveSibling(absolute.getFileName() + "-ground-truth.json");
  }

  public String fileName(int index) {
    return String.format("%s-%05d.jsonl", prefix, index);
  }

  @Override
  public GroundTruth write(Generation generation) throws IOException {
    Files.createDirectories(directory);
    refuseToOverwrite();
    List<String> written = new ArrayList<>();
    int current = -1;
    BufferedWriter out = null;
    try {
      while (generation.hasNext()) {
        GeneratedRecord record = generation.next();
        int index = split.fileIndex(record.sequence());
        if (index != current) {
          publish(out, current, written);
          current = index;
          out = Files.newBufferedWriter(inProgress(index), StandardCharsets.UTF_8);
        }
        out.write(record.line());
        out.write('\n');
      }
      publish(out, current, written);
      out = null;
    } finally {
      if (out != null) {
        out.close();
        Files.deleteIfExists(inProgress(current));
      }
    }
    GroundTruth truth = generation.groundTruth()
        .withLocations(sequence -> new GroundTruth.Location(
            fileName(split.fileIndex(sequence)), split.lineInFile(sequence)))
        .withOutput(new GroundTruth.Output("directory", directory.toAbsolutePath().toString(), written));
    truth.write(groundTruthFile);
    generation.writeUsers(groundTruthFile);
    LOG.info("Wrote {} lines in {} files to {}; ground truth {}", truth.counts().totalLines(), written.size(),
        directory, groundTruthFile);
    return truth;
  }

  private void publish(BufferedWriter out, int index, List<String> written) throws IOException {
    if (out == null) {
      return;
    }
    out.close();
    Files.move(inProgress(index), directory.resolve(fileName(index)), StandardCopyOption.ATOMIC_MOVE);
    written.add(fileName(index));
  }

  private Path inProgress(int index) {
    return directory.resolve("." + fileName(index) + ".inprogress");
  }

  /** Renaming over a file a reader already consumed would silently lose data, so fail instead. */
  private void refuseToOverwrite() throws IOException {
    Path clash = existingFile(directory, prefix).orElse(null);
    if (clash != null) {
      throw new FileAlreadyExistsException(clash.toString(), null,
          "directory already holds " + prefix + "-*.jsonl files; use an empty directory or another prefix");
    }
  }

  /** A file of an earlier generation with this prefix in {@code directory}, if there is one. */
  public static java.util.Optional<Path> existingFile(Path directory, String prefix) throws IOException {
    if (!Files.isDirectory(directory)) {
      return java.util.Optional.empty();
    }
    Pattern ours = Pattern.compile(Pattern.quote(prefix) + "-\\d{5}\\.jsonl");
    try (Stream<Path> existing = Files.list(directory)) {
      return existing.filter(p -> ours.matcher(p.getFileName().toString()).matches()).sorted().findFirst();
    }
  }
}
