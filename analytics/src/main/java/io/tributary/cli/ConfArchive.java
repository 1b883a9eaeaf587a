package io.tributary.cli;

import io.tributary.config.TributaryConfig;
import io.tributary.config.Yaml;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The config directory as a zip for {@code spark-submit --archives}, so a driver on the cluster reads the same
 * pipelines and jobs. Its tributary.yaml is the effective configuration: settings from the environment and
 * from flags reach the cluster too.
 *
 * <p>The archive is named by a hash of its content and kept beside the application jar, so a printed
 * command names a real file that stays valid until the configuration changes, and a submission (successful
 * or not) leaves nothing in temporary directories.
 */
final class ConfArchive {
  private static final long FIXED_TIME = 0L;

  private ConfArchive() {}

  /** Writes the archive into {@code dir} (created if needed) unless an identical one is there; returns it. */
  static Path write(TributaryConfig config, Path dir) {
    byte[] zip = zip(config);
    Path target = dir.resolve("tributary-conf-" + sha256(zip).substring(0, 16) + ".zip").toAbsolutePath();
    if (Files.isRegularFile(target)) {
      return target;
    }
    Path partial = null;
    try {
      Files.createDirectories(dir);
      partial = Files.createTempFile(dir, ".tributary-conf-", ".partial");
      Files.write(partial, zip);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the config archive in " + dir, e);
    } finally {
      if (partial != null) {
        try {
          Files.deleteIfExists(partial);
        } catch (IOException ignored) {
          // best effort: the move normally consumed it
        }
      }
    }
  }

  private static byte[] zip(TributaryConfig config) {
    Path dir = config.confDir();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      put(z, "tributary.yaml", Yaml.MAPPER.writeValueAsBytes(config));
      List<Path> files;
      try (Stream<Path> walk = Files.isDirectory(dir) ? Files.walk(dir) : Stream.empty()) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        String name = dir.relativize(f).toString().replace(File.separatorChar, '/');
        if (!name.equals("tributary.yaml")) {
          put(z, name, Files.readAllBytes(f));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the config directory " + dir, e);
    }
    return bytes.toByteArray();
  }

  /** Fixed entry times, so equal content gives equal bytes and the same name. */
  private static void put(ZipOutputStream z, String name, byte[] content) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setTime(FIXED_TIME);
    z.putNextEntry(e);
    z.write(content);
    z.closeEntry();
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
