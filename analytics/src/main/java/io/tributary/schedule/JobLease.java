package io.tributary.schedule;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease on a name (an analysis job), so two runs of it never overlap: a small file under the lake
 * ({@code _locks/NAME.lease}) naming its holder (host, pid, what it runs) and when the lease expires.
 *
 * <p>Taking it publishes a fully written file only if none exists, atomically: on HDFS (and other Hadoop file
 * systems) by a rename without overwrite, which the NameNode decides; on a local lake by a hard link, since
 * Hadoop's local file system checks and renames in two steps. While the holder runs, a
 * daemon thread renews the expiry every third of the TTL (replacing the file by an atomic rename). A holder
 * that crashed stops renewing: once its expiry has passed, the next run moves the file aside (a rename only one
 * contender can win), takes the lease and says whose expired lease it took over. A file that cannot be read
 * (damaged) counts as held until its modification time plus the TTL.
 */
public final class JobLease implements AutoCloseable {
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
  private static final Logger LOG = LoggerFactory.getLogger(JobLease.class);

  /** Who holds a lease, as written in its file. */
  public record Holder(String owner, String host, long pid, String what, Instant acquired, Instant expires) {
    String encode() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("owner", owner);
      m.put("host", host);
      m.put("pid", Long.toString(pid));
      m.put("what", what);
      m.put("acquired", acquired.toString());
      m.put("expires", expires.toString());
      StringBuilder sb = new StringBuilder();
      m.forEach((k, v) -> sb.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
      return sb.toString();
    }

    static Optional<Holder> decode(String text) {
      Map<String, String> m = new LinkedHashMap<>();
      text.lines().forEach(l -> {
        int eq = l.indexOf('=');
        if (eq > 0) {
          m.put(l.substring(0, eq), l.substring(eq + 1));
        }
      });
      try {
        return Optional.of(new Holder(m.get("owner"), m.get("host"), Long.parseLong(m.get("pid")), m.get("what"),
            Instant.parse(m.get("acquired")), Instant.parse(m.get("expires"))));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }

    /** {@code host pid N (what, since T, lease expires at T)}. */
    public String describe() {
      return host + " pid " + pid + " (" + what + ", since " + acquired + ", lease expires at " + expires + ")";
    }
  }

  /** Thrown when another run holds the lease. */
  public static final class HeldException extends RuntimeException {
    private final Holder holder;

    HeldException(String name, Holder holder) {
      super(name + " is being run by " + holder.describe() + "; this run did not start. Wait for it, or, if that "
          + "process is gone, for its lease to expire");
      this.holder = holder;
    }

    public Holder holder() {
      return holder;
    }
  }

  private final FileSystem fs;
  private final Configuration conf;
  private final Path path;
  private final Duration ttl;
  private final Holder self;
  private final Holder tookOver;
  private final ScheduledExecutorService renewer;

  private JobLease(FileSystem fs, Configuration conf, Path path, Duration ttl, Holder self, Holder tookOver) {
    this.fs = fs;
    this.conf = conf;
    this.path = path;
    this.ttl = ttl;
    this.self = self;
    this.tookOver = tookOver;
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lease-renewer " + path.getName());
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(1, ttl.toMillis() / 3);
    renewer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease at {@code path} for {@code name}, or throws {@link HeldException} naming the holder.
   *
   * @param what what the holder runs, shown to whoever finds the lease held
   */
  public static JobLease acquire(Configuration conf, String path, String name, String what, Duration ttl) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(conf);
      fs.mkdirs(p.getParent());
      Instant now = Instant.now();
      Holder self = new Holder(UUID.randomUUID().toString(), host(), ProcessHandle.current().pid(), what, now,
          now.plus(ttl));
      if (createExclusive(fs, p, self.encode())) {
        return new JobLease(fs, conf, p, ttl, self, null);
      }
      Holder current = read(fs, p, ttl).orElse(null);
      if (current == null) {
        // Released between our create and read: one more try.
        if (createExclusive(fs, p, self.encode())) {
          return new JobLease(fs, conf, p, ttl, self, null);
        }
        current = read(fs, p, ttl).orElseThrow(() -> new IllegalStateException("lease " + p + " keeps changing"));
      }
      if (current.expires().isAfter(Instant.now())) {
        throw new HeldException(name, current);
      }
      // Expired: move it aside; if two runs try, only one rename finds the file.
      Path aside = new Path(p.getParent(), p.getName() + ".expired-" + self.owner());
      if (!fs.rename(p, aside)) {
        throw new HeldException(name, read(fs, p, ttl).orElse(current));
      }
      Holder moved = read(fs, aside, ttl).orElse(current);
      if (!moved.owner().equals(current.owner())) {
        // Someone took it over between our read and our rename: give theirs back.
        fs.rename(aside, p);
        throw new HeldException(name, moved);
      }
      fs.delete(aside, false);
      if (!createExclusive(fs, p, self.encode())) {
        throw new HeldException(name, read(fs, p, ttl).orElse(current));
      }
      LOG.warn("took over the lease {} of {}: it expired at {}", p, current.describe(), current.expires());
      return new JobLease(fs, conf, p, ttl, self, current);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lease " + p + ": " + e.getMessage(), e);
    }
  }

  /** The expired holder this lease was taken over from, if any. */
  public Optional<Holder> tookOver() {
    return Optional.ofNullable(tookOver);
  }

  public Holder holder() {
    return self;
  }

  private void renew() {
    try {
      Optional<Holder> current = read(fs, path, ttl);
      if (current.isPresent() && !current.get().owner().equals(self.owner())) {
        LOG.error("lost the lease {} to {}; no longer renewing it", path, current.get().describe());
        renewer.shutdown();
        return;
      }
      Holder renewed = new Holder(self.owner(), self.host(), self.pid(), self.what(), self.acquired(),
          Instant.now().plus(ttl));
      replace(renewed.encode());
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not renew the lease {} (will retry): {}", path, e.getMessage());
    }
  }

  /** Stops renewing and removes the lease if it is still this holder's. */
  @Override
  public void close() {
    renewer.shutdownNow();
    try {
      renewer.awaitTermination(10, TimeUnit.SECONDS);
      Optional<Holder> current = read(fs, path, ttl);
      if (current.isPresent() && current.get().owner().equals(self.owner())) {
        fs.delete(path, false);
      }
    } catch (IOException e) {
      LOG.warn("could not release the lease {}: {}; it expires by itself", path, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Publishes the lease file whole or not at all: written to a file of its own first, then linked (local) or
   * renamed without overwrite (HDFS) into place, both atomic and failing when the lease exists. A contender
   * therefore never reads a lease file that is still being written.
   */
  private static boolean createExclusive(FileSystem fs, Path p, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Path tmp = new Path(p.getParent(), "." + p.getName() + ".new-" + UUID.randomUUID());
    java.io.File local = localFile(fs, p);
    if (local != null) {
      java.io.File t = localFile(fs, tmp);
      Files.write(t.toPath(), bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.createLink(local.toPath(), t.toPath());
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } finally {
        Files.deleteIfExists(t.toPath());
      }
    }
    try (OutputStream out = fs.create(tmp, false)) {
      out.write(bytes);
    }
    try {
      FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(tmp, p, Options.Rename.NONE);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      fs.delete(tmp, false);
      return false;
    }
  }

  /** Writes the lease anew: a temporary file renamed over it, so a reader never sees it missing. */
  private void replace(String content) throws IOException {
    Path tmp = new Path(path.getParent(), "." + path.getName() + ".renew-" + self.owner());
    java.io.File local = localFile(fs, path);
    if (local != null) {
      java.io.File t = localFile(fs, tmp);
      Files.writeString(t.toPath(), content);
      Files.move(t.toPath(), local.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    FileContext.getFileContext(fs.getUri(), conf).rename(tmp, path, Options.Rename.OVERWRITE);
  }

  /** The holder in the file; a file that does not parse holds until its modification time plus the TTL. */
  static Optional<Holder> read(FileSystem fs, Path p, Duration ttl) throws IOException {
    byte[] bytes;
    long modified;
    try (InputStream in = fs.open(p)) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      bytes = buf.toByteArray();
      modified = fs.getFileStatus(p).getModificationTime();
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    }
    Optional<Holder> h = Holder.decode(new String(bytes, StandardCharsets.UTF_8));
    if (h.isPresent()) {
      return h;
    }
    Instant m = Instant.ofEpochMilli(modified);
    return Optional.of(new Holder("unreadable-" + modified, "an unknown host", -1, "a lease file being written",
        m, m.plus(ttl)));
  }

  private static java.io.File localFile(FileSystem fs, Path p) {
    if (fs instanceof LocalFileSystem l) {
      return l.pathToFile(p);
    }
    if (fs instanceof RawLocalFileSystem r) {
      return r.pathToFile(p);
    }
    return null;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "an unknown host";
    }
  }
}
