package io.tributary.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.commons.io.FileUtils;

/**
 * Copies a prepared lake (tables, checkpoints and landing files) so that each round starts from the same state
 * at the same absolute path, which the streaming checkpoints record. Data files (Parquet, JSON lines) are never
 * rewritten in place, so they are hard-linked; logs, checkpoints and everything else are copied.
 */
final class LakeCopy {
  private LakeCopy() {}

  /** Replaces {@code target} with a copy of {@code source}. */
  static void restore(Path source, Path target) throws IOException {
    FileUtils.deleteDirectory(target.toFile());
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(target.resolve(source.relativize(dir)));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path to = target.resolve(source.relativize(file));
        String name = file.getFileName().toString();
        if (name.endsWith(".parquet") || name.endsWith(".jsonl")) {
          Files.createLink(to, file);
        } else {
          Files.copy(file, to);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Hard-links the data files of {@code from} into {@code landing} with a prefix (names must not clash). */
  static void linkInto(Path from, Path landing, String prefix) throws IOException {
    Files.createDirectories(landing);
    for (Path f : Datasets.files(from)) {
      Files.createLink(landing.resolve(prefix + f.getFileName()), f);
    }
  }
}
