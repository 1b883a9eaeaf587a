package io.tributary.schedule;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fault injection for the backfill tests, as ingest's {@code land.Faults}: the JVM property
 * {@value #PROPERTY} names points of a scheduled analyze run where the process fails ({@code started:2026-03-04})
 * or dies at once as under SIGKILL ({@code started:2026-03-04!}). Points: {@code started:DAY} (a day's run has
 * begun, nothing computed), {@code committed:DAY} (a day's run is committed and in the run history). Unset in
 * production.
 */
public final class Faults {
  public static final String PROPERTY = "tributary.analyze.faults";

  private Faults() {}

  static void at(String point) {
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
