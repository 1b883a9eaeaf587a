package io.tributary.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster application jar holds what a Spark 4.2 distribution on YARN lacks (Tributary, Delta, the Kafka
 * connector with kafka-clients, relocated picocli/pool2/Jackson YAML) and nothing the cluster provides (Spark,
 * Hadoop, Scala), which would clash with the cluster's own versions. Checked against the very jars of the test
 * classpath, not against a list of package names that could drift.
 */
class AppJarContentsIT {
  /** Spark modules the jar must carry: a Spark distribution does not ship the Kafka connector. */
  private static final Set<String> CARRIED_SPARK_MODULES =
      Set.of("spark-sql-kafka-0-10_2.13", "spark-token-provider-kafka-0-10_2.13");

  private static Set<String> entries;
  private static Path appJar;

  @BeforeAll
  static void readJar() throws IOException {
    appJar = BuiltArtifacts.appJar();
    entries = entriesOf(appJar);
  }

  private static Set<String> entriesOf(Path jar) throws IOException {
    Set<String> out = new TreeSet<>();
    try (JarFile j = new JarFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> e = j.entries(); e.hasMoreElements(); ) {
        out.add(e.nextElement().getName());
      }
    }
    return out;
  }

  /** Jars of the classpath a Spark distribution provides: Spark's modules, Scala, Hadoop. */
  private static List<Path> providedByTheCluster() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path jar : BuiltArtifacts.testClasspath()) {
      String artifact = BuiltArtifacts.artifactOf(jar);
      boolean spark = artifact.startsWith("spark-") && !CARRIED_SPARK_MODULES.contains(artifact);
      if (spark || artifact.startsWith("scala-") || artifact.startsWith("hadoop-client-")) {
        out.add(jar);
      }
    }
    return out;
  }

  @Test
  void carriesNoClassOfSparkHadoopOrScala() throws IOException {
    List<Path> provided = providedByTheCluster();
    // The classpath must really hold the cluster's jars, or this test would pass over nothing.
    Set<String> artifacts = new TreeSet<>(provided.stream().map(BuiltArtifacts::artifactOf).toList());
    assertTrue(artifacts.containsAll(Set.of("spark-core_2.13", "spark-sql_2.13", "spark-catalyst_2.13", "spark-sql-api_2.13",
        "spark-mllib_2.13", "spark-yarn_2.13", "scala-library", "hadoop-client-api", "hadoop-client-runtime")), artifacts.toString());

    TreeMap<String, List<String>> clashes = new TreeMap<>();
    for (Path jar : provided) {
      for (String entry : entriesOf(jar)) {
        if (entry.endsWith(".class") && !entry.endsWith("module-info.class") && entries.contains(entry)) {
          clashes.computeIfAbsent(BuiltArtifacts.artifactOf(jar), k -> new ArrayList<>()).add(entry);
        }
      }
    }
    clashes.replaceAll((k, v) -> v.subList(0, Math.min(5, v.size())));
    assertEquals(new TreeMap<>(), clashes, "classes the cluster's jars already provide (first 5 per jar)");

    for (String prefix : List.of("scala/", "org/apache/hadoop/", "org/apache/spark/unused/", "picocli/",
        "org/apache/commons/pool2/", "com/fasterxml/jackson/dataformat/yaml/", "com/fasterxml/jackson/datatype/jsr310/")) {
      assertFalse(entries.stream().anyMatch(e -> e.startsWith(prefix)), prefix + " must not be in " + appJar);
    }
  }

  @Test
  void carriesTributaryDeltaTheKafkaConnectorAndRelocatedLibraries() throws IOException {
    for (String cls : List.of(
        "io/tributary/cli/Tributary.class",
        "io/tributary/ingest/IngestRunner.class",
        "io/delta/tables/DeltaTable.class",
        "org/apache/spark/sql/delta/sources/DeltaDataSource.class",
        "org/apache/spark/sql/kafka010/KafkaSourceProvider.class",
        "org/apache/spark/kafka010/KafkaTokenUtil.class",
        "org/apache/kafka/clients/consumer/KafkaConsumer.class",
        "io/tributary/shaded/picocli/CommandLine.class",
        "io/tributary/shaded/org/apache/commons/pool2/impl/GenericKeyedObjectPool.class",
        "io/tributary/shaded/com/fasterxml/jackson/dataformat/yaml/YAMLFactory.class",
        "io/tributary/shaded/com/fasterxml/jackson/datatype/jsr310/JavaTimeModule.class")) {
      assertTrue(entries.contains(cls), cls + " missing from " + appJar);
    }
    try (JarFile j = new JarFile(appJar.toFile())) {
      assertEquals("io.tributary.cli.Tributary", j.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }

  @Test
  void everyServiceFileNamesClassesInTheJar() throws IOException {
    TreeMap<String, List<String>> services = new TreeMap<>();
    try (JarFile j = new JarFile(appJar.toFile())) {
      for (String entry : entries) {
        if (entry.startsWith("META-INF/services/") && !entry.endsWith("/")) {
          try (InputStream in = j.getInputStream(j.getEntry(entry))) {
            services.put(entry.substring("META-INF/services/".length()), new String(in.readAllBytes(), StandardCharsets.UTF_8)
                .lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).toList());
          }
        }
      }
    }
    // Spark finds the `kafka` and `delta` formats through this file: both providers must be listed.
    assertEquals(List.of("org.apache.spark.sql.kafka010.KafkaSourceProvider", "org.apache.spark.sql.delta.sources.DeltaDataSource"),
        services.get("org.apache.spark.sql.sources.DataSourceRegister"));
    // Every provider named anywhere (relocated names included) is a class of the jar.
    for (var e : services.entrySet()) {
      for (String impl : e.getValue()) {
        assertTrue(entries.contains(impl.replace('.', '/') + ".class"), "META-INF/services/" + e.getKey() + " names " + impl
            + ", which is not in the jar");
      }
    }
    assertTrue(services.keySet().containsAll(Set.of("com.fasterxml.jackson.core.JsonFactory",
        "org.apache.spark.security.HadoopDelegationTokenProvider")), services.keySet().toString());
  }
}
