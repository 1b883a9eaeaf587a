package io.tributary.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Temp directories owned by one test harness: created fresh, removed whole on close. */
final class TempDirs {

  private static final Logger LOG = LoggerFactory.getLogger(TempDirs.class);

  private TempDirs() {
  }

  static Path create(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a temp dir " + prefix + "*", e);
    }
  }

  /** Deletes {@code dir} and everything below it; logs instead of failing a close(). */
  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not delete {}", dir, e);
    }
    if (Files.exists(dir)) {
      LOG.warn("Temp dir {} was not fully deleted", dir);
    }
  }
}
