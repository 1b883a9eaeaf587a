package io.tributary.yarn;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stands in for the cluster's Spark 4.2 installation ({@code SPARK_HOME}) without downloading one: its
 * {@code bin/spark-submit} runs {@code org.apache.spark.deploy.SparkSubmit} on the jars a Spark distribution
 * holds, taken from the test classpath, with {@code HADOOP_CONF_DIR} first on the classpath as Spark's own
 * launcher puts it.
 *
 * <p>The jars are those of Spark, Scala, Hadoop's client and their dependencies. Everything the application jar
 * must carry itself (Tributary, Delta, the Kafka connector and kafka-clients, picocli, commons-pool2, Jackson YAML
 * and java.time) and test-only libraries are left out, so a class missing from the application jar fails the
 * submission as it would on a real cluster.
 */
final class SparkDistribution {
  /** Artifact ids (prefixes) that are not part of a Spark distribution. */
  private static final List<String> NOT_IN_SPARK = List.of("tributary-", "delta-", "spark-sql-kafka-", "spark-token-provider-kafka-",
      "kafka", "picocli", "commons-pool2", "jackson-dataformat-yaml", "jackson-datatype-jsr310", "hadoop-client-minicluster",
      "duckdb", "junit", "opentest4j", "apiguardian", "bcprov", "bcpkix", "bcutil");

  private final Path home;
  private final String classpath;

  private SparkDistribution(Path home, String classpath) {
    this.home = home;
    this.classpath = classpath;
  }

  /** Writes {@code home/bin/spark-submit} and returns the installation. */
  static SparkDistribution write(Path home) throws IOException {
    List<Path> jars = BuiltArtifacts.testClasspath().stream().filter(SparkDistribution::inSpark).toList();
    String classpath = jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    String flags = io.tributary.spark.BuildInfo.sparkJvmFlags();
    // -Xmx1g: in client mode this JVM is the driver (a real spark-submit sizes it from spark.driver.memory).
    String script = """
        #!/bin/sh
        # Stand-in for a Spark distribution's bin/spark-submit, written by YarnIT.
        exec '%s' -Xmx1g %s -cp "${HADOOP_CONF_DIR:+$HADOOP_CONF_DIR:}%s" org.apache.spark.deploy.SparkSubmit "$@"
        """.formatted(java, flags, classpath);
    Path submit = bin.resolve("spark-submit");
    Files.writeString(submit, script, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new SparkDistribution(home, classpath);
  }

  private static boolean inSpark(Path jar) {
    String artifact = BuiltArtifacts.artifactOf(jar);
    return NOT_IN_SPARK.stream().noneMatch(artifact::startsWith);
  }

  /** {@code SPARK_HOME}. */
  Path home() {
    return home;
  }

  /**
   * The distribution's jars, which every node of this one-machine cluster has at the same paths: containers get
   * them through spark.driver/executor.extraClassPath instead of uploading them with every submission.
   */
  String classpath() {
    return classpath;
  }

  /** The artifact ids of the distribution, to check what it leaves out. */
  Set<String> artifacts() {
    return java.util.Arrays.stream(classpath.split(File.pathSeparator)).map(p -> BuiltArtifacts.artifactOf(Path.of(p)))
        .collect(Collectors.toSet());
  }
}
