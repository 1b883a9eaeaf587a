package io.tributary.land;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fault injection for the crash tests: the JVM property {@code tributary.faults} names points where the process
 * fails ({@code committed:silver}) or dies at once as under SIGKILL ({@code committed:silver!}). Points in the
 * landing of a batch: {@code committed:bronze}, {@code committed:silver}, {@code committed:quarantine},
 * {@code before:ops}, {@code committed:ops}; in a scheduled analyze: {@code started:DAY} (a day's run has begun,
 * nothing computed) and {@code committed:DAY} (committed and in the run history), DAY as 2026-03-04. Unset in
 * production.
 */
public final class Faults {
  public static final String PROPERTY = "tributary.faults";

  private Faults() {}

  public static void at(String point) {
    String spec = System.getProperty(PROPERTY);
    if (spec == null || spec.isBlank()) {
      return;
    }
    Set<String> points = Arrays.stream(spec.split(",")).map(String::trim).collect(Collectors.toSet());
    if (points.contains(point + "!")) {
      Runtime.getRuntime().halt(137);
    }
    if (points.contains(point)) {
      throw new IllegalStateException("injected fault at " + point);
    }
  }
}
