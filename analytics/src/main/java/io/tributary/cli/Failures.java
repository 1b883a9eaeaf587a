package io.tributary.cli;

import io.tributary.config.ConfigException;
import io.tributary.schedule.JobLease;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/**
 * Turns a failure into the one line the CLI prints: what went wrong, where, and what to do. Mistakes a user
 * can fix ({@link ConfigException}, anywhere in the cause chain) print as they are; known environment problems
 * (no permission, Kafka not answering) are named with their fix; anything else prints its message, never a
 * Java class name, and {@code --verbose} adds the stack trace.
 */
final class Failures {
  private Failures() {}

  /** The line to print, whether the user can fix it (exit code 2) or it is a failure (1), and the exit code. */
  record Line(String text, boolean userError, int exitCode) {
    Line(String text, boolean userError) {
      this(text, userError, userError ? ExitCodes.USAGE : ExitCodes.FAILED);
    }
  }

  static Line describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JobLease.HeldException) {
        return new Line("locked: " + t.getMessage(), false, ExitCodes.LOCKED);
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigException) {
        return new Line("error: " + t.getMessage(), true);
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getName();
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof AccessDeniedException a || name.endsWith("AccessControlException")
          || message.contains("Permission denied")) {
        String file = t instanceof FileSystemException f && f.getFile() != null ? f.getFile() : firstLine(message);
        return new Line("error: permission denied on " + file + ": make it writable, or choose another lake with --lake "
            + "(or lake.root in the config file)", true);
      }
      if (name.startsWith("org.apache.kafka.") && name.endsWith("TimeoutException")) {
        return new Line("error: Kafka did not answer (" + firstLine(message) + "): check that the brokers in the "
            + "pipeline's source.kafka.bootstrapServers (or generate's --bootstrap-servers) are running and reachable",
            true);
      }
    }
    String message = firstLine(e.getMessage());
    Throwable root = e;
    while (message.isEmpty() && root.getCause() != null) {
      root = root.getCause();
      message = firstLine(root.getMessage());
    }
    return new Line("failed: " + (message.isEmpty() ? "unexpected " + root.getClass().getSimpleName() : message)
        + " (--verbose prints the details)", false);
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
  }
}
