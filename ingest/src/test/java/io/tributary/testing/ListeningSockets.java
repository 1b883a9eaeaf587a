package io.tributary.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM is listening on, read from Linux's /proc. Lets a test prove that a
 * harness binds nothing but loopback: take a snapshot before start, one after, and check the new
 * ones.
 */
final class ListeningSockets {

  private static final Path FDS = Path.of("/proc/self/fd");
  private static final List<Path> TABLES = List.of(Path.of("/proc/self/net/tcp"), Path.of("/proc/self/net/tcp6"));
  private static final String LISTEN = "0A";

  private ListeningSockets() {
  }

  /** Whether this platform exposes the tables (Linux) so {@link #ofThisProcess()} can be trusted. */
  static boolean supported() {
    return Files.isDirectory(FDS) && TABLES.stream().allMatch(Files::isReadable);
  }

  /** Local addresses of every TCP socket in LISTEN state whose descriptor this process holds. */
  static Set<InetSocketAddress> ofThisProcess() {
    Set<String> inodes = socketInodes();
    Set<InetSocketAddress> listening = new HashSet<>();
    for (Path table : TABLES) {
      try {
        for (String line : Files.readAllLines(table)) {
          String[] f = line.trim().split("\\s+");
          // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
          if (f.length > 9 && LISTEN.equals(f[3]) && inodes.contains(f[9])) {
            listening.add(parse(f[1]));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return listening;
  }

  private static Set<String> socketInodes() {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(FDS)) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException e) {
          // The descriptor was closed while listing; it is not listening any more.
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return inodes;
  }

  /** Parses {@code ADDR:PORT} where ADDR is hex in 32-bit little-endian words, PORT plain hex. */
  private static InetSocketAddress parse(String hex) {
    String[] parts = hex.split(":");
    String addr = parts[0];
    byte[] bytes = new byte[addr.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int from = word * 8 + (3 - b) * 2;
        bytes[word * 4 + b] = (byte) Integer.parseInt(addr.substring(from, from + 2), 16);
      }
    }
    try {
      // getByAddress turns an IPv4-mapped IPv6 address into the plain IPv4 one.
      return new InetSocketAddress(InetAddress.getByAddress(bytes), Integer.parseInt(parts[1], 16));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(hex, e);
    }
  }
}
