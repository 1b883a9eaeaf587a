package io.tributary.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code mvn verify} built before the integration tests run: the cluster application jar ({@code package})
 * and the module's test classpath as a list of jars ({@code dependency:build-classpath} in pre-integration-test).
 */
final class BuiltArtifacts {
  private BuiltArtifacts() {}

  /** The analytics module's directory (failsafe runs with it as {@code basedir}). */
  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  }

  /** The tree's root: scripts/, conf/. */
  static Path treeRoot() {
    return moduleDir().getParent();
  }

  /** {@code target/tributary-analytics-VERSION-app.jar}; exactly one must exist. */
  static Path appJar() throws IOException {
    List<Path> jars;
    try (Stream<Path> s = Files.list(moduleDir().resolve("target"))) {
      jars = s.filter(p -> p.getFileName().toString().matches("tributary-analytics-.+-app\\.jar")).toList();
    }
    assertEquals(1, jars.size(), "one application jar in target/ (run through mvn verify): " + jars);
    return jars.get(0);
  }

  /** Every jar of the module's test classpath, from {@code target/it-classpath.txt}. */
  static List<Path> testClasspath() throws IOException {
    Path list = moduleDir().resolve("target").resolve("it-classpath.txt");
    assertTrue(Files.isRegularFile(list), list + " is written in pre-integration-test: run through mvn verify");
    return Arrays.stream(Files.readString(list, StandardCharsets.UTF_8).strip().split(File.pathSeparator))
        .filter(s -> !s.isBlank()).map(Path::of).toList();
  }

  /**
   * The artifact id of a jar named by Maven, e.g. {@code spark-sql-kafka-0-10_2.13} for
   * {@code spark-sql-kafka-0-10_2.13-4.2.0.jar}: what precedes the version (the first {@code -N.N}).
   */
  static String artifactOf(Path jar) {
    return jar.getFileName().toString().replaceFirst("-\\d+\\.\\d+[^-]*(-[A-Za-z0-9]+)*\\.jar$", "");
  }
}
