package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: help, one-line errors, and the spark-submit hand-off. */
class CliTest {
  @TempDir Path tmp;

  /** Exit code, stdout, stderr. */
  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = Tributary.execute(args);
      return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static String shippedConfig() {
    return Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "conf", "tributary.yaml").toString();
  }

  @Test
  void everyCommandExplainsItself() {
    Result top = run("--help");
    assertEquals(0, top.code());
    for (String cmd : List.of("demo", "generate", "ingest", "analyze", "status", "maintain", "validate", "quarantine")) {
      assertTrue(top.out().contains(cmd), top.out());
      Result help = run(cmd, "--help");
      assertEquals(0, help.code(), cmd);
      assertTrue(help.out().startsWith("Usage: tributary " + cmd), help.out());
      assertTrue(help.out().lines().count() > 5, help.out());
    }
    assertTrue(run("ingest", "--help").out().contains("--once"));
    assertTrue(run("analyze", "--help").out().contains("--as-of-version"));
    assertTrue(run("generate", "--help").out().contains("--file-prefix"));
    assertTrue(run("quarantine", "replay", "--help").out().contains("exactly once"));
    assertTrue(run("quarantine", "--help").out().contains("summary"));
    // The top-level help promises the lake options only where they exist.
    assertFalse(run("generate", "--help").out().contains("--config"));
    assertTrue(top.out().contains("Commands that use the lake (all but generate)"), top.out());
  }

  /** A conf directory with the shipped pipeline and job plus {@code extra} pipeline files. */
  private Path confWith(String badPipeline) throws Exception {
    Path shipped = Path.of(shippedConfig()).getParent();
    Path conf = tmp.resolve("conf");
    Files.createDirectories(conf.resolve("pipelines"));
    Files.createDirectories(conf.resolve("jobs"));
    Files.copy(shipped.resolve("tributary.yaml"), conf.resolve("tributary.yaml"));
    Files.copy(shipped.resolve("pipelines/clickstream.yaml"), conf.resolve("pipelines/clickstream.yaml"));
    Files.copy(shipped.resolve("jobs/clickstream.yaml"), conf.resolve("jobs/clickstream.yaml"));
    if (badPipeline != null) {
      Files.writeString(conf.resolve("pipelines/bad.yaml"), badPipeline);
    }
    return conf;
  }

  private static final String MONEY = "name: bad\nsource: {directory: {path: /x}}\nschema: id STRING, ts TIMESTAMP, price MONEY\n"
      + "eventId: id\neventTime: ts\n";

  @Test
  void validateChecksEveryFileWithoutSparkAndSaysWhichFailed() throws Exception {
    Result shipped = run("validate", "--config", shippedConfig());
    assertEquals(0, shipped.code(), shipped.out() + shipped.err());
    assertTrue(shipped.out().lines().allMatch(l -> l.startsWith("OK     ")), shipped.out());
    assertEquals(4, shipped.out().lines().count(), shipped.out());

    Path conf = confWith(MONEY);
    Result r = run("validate", "--config", conf.resolve("tributary.yaml").toString());
    assertEquals(2, r.code(), r.out());
    List<String> lines = r.out().lines().toList();
    assertEquals("OK     " + conf.resolve("tributary.yaml"), lines.get(0));
    assertEquals("ERROR  " + conf.resolve("pipelines/bad.yaml") + ", line 3: schema does not parse: Unsupported data type "
        + "\"MONEY\" (at character 32); use Spark SQL types such as STRING, BIGINT, DOUBLE, DECIMAL(10,2), BOOLEAN, DATE, "
        + "TIMESTAMP", lines.get(1));
    assertEquals("OK     " + conf.resolve("pipelines/clickstream.yaml"), lines.get(2));
    assertEquals("OK     " + conf.resolve("jobs/clickstream.yaml"), lines.get(3));
    assertEquals(4, lines.size(), r.out());
  }

  @Test
  void commandsValidateEveryFileBeforeSparkStarts() throws Exception {
    Path conf = confWith(MONEY);
    // Without the early check, status would start Spark and then report the missing lake.
    Result r = run("status", "--config", conf.resolve("tributary.yaml").toString(), "--lake", tmp.resolve("nowhere").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("error: " + conf.resolve("pipelines/bad.yaml") + ", line 3: schema does not parse"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void aLocalDryRunIsRefusedWhereItWouldRunForReal() {
    Result r = run("ingest", "--config", shippedConfig(), "--lake", tmp.toString(), "--once", "--dry-run");
    assertEquals(2, r.code(), r.err());
    assertEquals("error: --dry-run with the local profile is not supported by `ingest`: it would run for real; use "
        + "--dry-run with a cluster profile (--profile yarn) to print the spark-submit command", r.err().strip());
  }

  @Test
  void runtimeProblemsAreOneLineWithTheFix() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Result lake = run("ingest", "--config", shippedConfig(), "--lake", file.resolve("lake").toString(), "--once");
    assertEquals(2, lake.code(), lake.err());
    assertEquals("error: cannot write the lake at " + file.resolve("lake") + " (lake.root): " + file + " is a file, not a "
        + "directory; choose a writable directory with --lake or lake.root in the config file", lake.err().strip());

    Path landing = tmp.resolve("landing");
    String[] generate = {"generate", "--to", "dir", "--path", landing.toString(), "--days", "1", "--events-per-day", "50"};
    assertEquals(0, run(generate).code());
    Result again = run(generate);
    assertEquals(2, again.code(), again.err());
    assertEquals("error: " + landing + " already holds generated files (events-00000.jsonl): use an empty directory, or "
        + "add --file-prefix NAME (e.g. --file-prefix events2) so the new files sit beside them", again.err().strip());
    List<String> args = new java.util.ArrayList<>(List.of(generate));
    args.addAll(List.of("--file-prefix", "events2"));
    Result second = run(args.toArray(String[]::new));
    assertEquals(0, second.code(), second.err());
    assertTrue(Files.exists(landing.resolve("events-00000.jsonl")) && Files.exists(landing.resolve("events2-00000.jsonl")));
    assertTrue(Files.exists(tmp.resolve("landing-ground-truth.json")) && Files.exists(tmp.resolve("landing-events2-ground-truth.json")));

    Failures.Line kafka = Failures.describe(new java.io.IOException("Sending to Kafka topic t at 127.0.0.1:1 failed",
        new org.apache.kafka.common.errors.TimeoutException("Topic t not present in metadata after 60000 ms.")));
    assertEquals("error: Kafka did not answer (Topic t not present in metadata after 60000 ms.): check that the brokers in "
        + "the pipeline's source.kafka.bootstrapServers (or generate's --bootstrap-servers) are running and reachable", kafka.text());
    Failures.Line denied = Failures.describe(new RuntimeException(new java.nio.file.AccessDeniedException("/data/lake/bronze")));
    assertEquals("error: permission denied on /data/lake/bronze: make it writable, or choose another lake with --lake "
        + "(or lake.root in the config file)", denied.text());
    Failures.Line other = Failures.describe(new IllegalStateException("boom"));
    assertEquals("failed: boom (--verbose prints the details)", other.text());
    assertFalse(other.userError());
  }

  @Test
  void configurationMistakesGiveOneLineThatSaysWhatToFix() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "lake:\n  rot: /tmp/x\n");
    Result r = run("status", "--config", bad.toString());
    assertEquals(2, r.code());
    assertEquals("error: " + bad + ", line 2: unknown key 'lake.rot'; valid keys there are [root]", r.err().strip());

    Result missingLake = run("status", "--config", shippedConfig(), "--lake", tmp.resolve("nowhere").toString());
    assertEquals(2, missingLake.code());
    assertTrue(missingLake.err().startsWith("error: lake " + tmp.resolve("nowhere") + " does not exist yet: run"), missingLake.err());
    assertEquals(1, missingLake.err().strip().lines().count(), missingLake.err());

    Result noJob = run("analyze", "--config", shippedConfig(), "--lake", tmp.toString(), "--job", "nope");
    assertEquals(2, noJob.code());
    assertTrue(noJob.err().contains("no analysis job named 'nope'"), noJob.err());

    Result unsafe = run("maintain", "--config", shippedConfig(), "--lake", tmp.toString(), "--retention-hours", "1");
    assertEquals(2, unsafe.code());
    assertTrue(unsafe.err().contains("below the safe minimum of 168.0 h"), unsafe.err());
  }

  @Test
  void printConfigShowsTheLayeredResultWithSecretsMasked() {
    Result r = run("status", "--config", shippedConfig(), "--lake", "/data/lake", "--set", "spark.profiles.local.conf.spark.sql.shuffle.partitions=7",
        "--print-config");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("root: /data/lake"), r.out());
    assertTrue(r.out().contains("spark.sql.shuffle.partitions: 7"), r.out());
    assertFalse(r.out().contains("null"), r.out());
    assertTrue(r.out().contains("name: clickstream"), r.out());
  }

  /** The shipped conf/ with its landing directory on HDFS, as a cluster deployment would have it. */
  private Path clusterConf() throws Exception {
    Path conf = confWith(null);
    Path pipeline = conf.resolve("pipelines/clickstream.yaml");
    Files.writeString(pipeline, Files.readString(pipeline).replace("path: ./landing/clickstream",
        "path: hdfs://nn:8020/landing/clickstream"));
    return conf.resolve("tributary.yaml");
  }

  @Test
  void aClusterProfileBecomesTheSparkSubmitCommandConfSays() throws Exception {
    Result local = run("ingest", "--config", shippedConfig(), "--profile", "yarn", "--dry-run");
    assertEquals(2, local.code());
    assertTrue(local.err().contains("is a local path, which cluster nodes cannot share"), local.err());
    Result relative = run("ingest", "--config", shippedConfig(), "--profile", "yarn", "--lake", "hdfs://nn:8020/lake", "--dry-run");
    assertEquals(2, relative.code());
    assertEquals("error: pipeline 'clickstream': source.directory.path './landing/clickstream' is a relative local path, which "
        + "means another directory on the cluster: use a URI such as hdfs://NAMENODE:8020/landing/clickstream (or an absolute "
        + "path on the cluster's default file system)", relative.err().strip());

    Path config = clusterConf();
    Result yarn = run("ingest", "--config", config.toString(), "--profile", "yarn", "--lake", "hdfs://nn:8020/lake",
        "--pipeline", "clickstream", "--once", "--dry-run");
    assertEquals(0, yarn.code(), yarn.err());
    List<String> cmd = shellWords(yarn.out().strip());
    assertEquals(List.of("spark-submit", "--master", "yarn", "--deploy-mode", "cluster", "--name", "tributary", "--class",
        "io.tributary.cli.Tributary"), cmd.subList(0, 9));
    // Every setting of the yarn profile in conf/ is passed as it is written there, and nothing else is.
    io.tributary.config.SparkProfile profile = io.tributary.config.ConfigLoader.load(Path.of(shippedConfig()), java.util.Map.of(),
        java.util.Map.of()).spark().profiles().get("yarn");
    java.util.Map<String, String> passed = new java.util.TreeMap<>();
    for (int i = 0; i < cmd.size(); i++) {
      if (cmd.get(i).equals("--conf")) {
        String[] kv = cmd.get(++i).split("=", 2);
        assertEquals(null, passed.put(kv[0], kv[1]), kv[0]);
      }
    }
    assertEquals(profile.conf(), passed);
    // The production defaults conf/ promises.
    assertEquals("true", passed.get("spark.dynamicAllocation.enabled"));
    assertEquals("true", passed.get("spark.eventLog.enabled"));
    assertEquals("4", passed.get("spark.yarn.maxAppAttempts"));
    assertEquals("1h", passed.get("spark.yarn.am.attemptFailuresValidityInterval"));
    assertEquals("true", passed.get("spark.yarn.submit.waitAppCompletion"));
    for (String jvm : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions", "spark.yarn.am.extraJavaOptions")) {
      assertEquals(io.tributary.spark.BuildInfo.sparkJvmFlags(), passed.get(jvm), jvm + " must equal spark.jvm.flags in pom.xml");
    }
    assertFalse(cmd.contains("--principal"), "no Kerberos unless configured");

    // The conf archive is built and named: a real zip holding the effective configuration and the pipelines.
    int archives = cmd.indexOf("--archives");
    String archive = cmd.get(archives + 1);
    assertTrue(archive.endsWith("#tributary-conf"), archive);
    Path zip = Path.of(archive.substring(0, archive.length() - "#tributary-conf".length()));
    assertTrue(zip.isAbsolute() && zip.getFileName().toString().matches("tributary-conf-[0-9a-f]{16}\\.zip"), archive);
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
      String shipped = new String(z.getInputStream(z.getEntry("tributary.yaml")).readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(shipped.contains("root: \"hdfs://nn:8020/lake\"") || shipped.contains("root: hdfs://nn:8020/lake"), shipped);
      assertTrue(shipped.contains("profile: \"yarn\"") || shipped.contains("profile: yarn"), shipped);
      assertTrue(new String(z.getInputStream(z.getEntry("pipelines/clickstream.yaml")).readAllBytes(), StandardCharsets.UTF_8)
          .contains("hdfs://nn:8020/landing/clickstream"));
    }
    // The same configuration names the same archive; no placeholder anywhere.
    Result again = run("ingest", "--config", config.toString(), "--profile", "yarn", "--lake", "hdfs://nn:8020/lake",
        "--pipeline", "clickstream", "--once", "--dry-run");
    assertEquals(yarn.out(), again.out());
    assertFalse(yarn.out().contains("<") || yarn.out().contains("PLACEHOLDER"), yarn.out());
    String jar = cmd.get(archives + 2);
    assertTrue(Path.of(jar).isAbsolute() && jar.matches(".*/analytics/target/tributary-analytics-[^/]+-app\\.jar"), jar);
    assertEquals(List.of("ingest", "--profile", "yarn", "--lake", "hdfs://nn:8020/lake", "--pipeline", "clickstream", "--once",
        "--config", "tributary-conf/tributary.yaml"), cmd.subList(archives + 3, cmd.size()));
  }

  @Test
  void everyCommandSubmitsWithWhatTheYarnProfileInConfSays() throws Exception {
    Path config = clusterConf();
    io.tributary.config.SparkProfile profile = io.tributary.config.ConfigLoader.load(Path.of(shippedConfig()), java.util.Map.of(),
        java.util.Map.of()).spark().profiles().get("yarn");
    List<String> common = List.of("--config", config.toString(), "--profile", "yarn", "--lake", "hdfs://nn:8020/lake",
        "--set", "spark.profiles.yarn.conf.spark.executor.memory=6g", "--dry-run");
    List<String> submitPart = null;
    for (List<String> command : List.of(List.of("ingest", "--pipeline", "clickstream", "--once"), List.of("analyze", "--job", "clickstream"),
        List.of("maintain"), List.of("status"), List.of("quarantine", "replay", "--pipeline", "clickstream"))) {
      List<String> args = new java.util.ArrayList<>(command);
      args.addAll(common);
      Result r = run(args.toArray(String[]::new));
      assertEquals(0, r.code(), command + ": " + r.err());
      List<String> cmd = shellWords(r.out().strip());
      // Master, deploy mode and every --conf come from the profile (one key overridden with --set), in every command.
      assertEquals(List.of("spark-submit", "--master", profile.master(), "--deploy-mode", profile.deployMode()), cmd.subList(0, 5), command.toString());
      java.util.Map<String, String> expected = new java.util.TreeMap<>(profile.conf());
      expected.put("spark.executor.memory", "6g");
      java.util.Map<String, String> passed = new java.util.TreeMap<>();
      for (int i = 0; i < cmd.size(); i++) {
        if (cmd.get(i).equals("--conf")) {
          String[] kv = cmd.get(++i).split("=", 2);
          passed.put(kv[0], kv[1]);
        }
      }
      assertEquals(expected, passed, command.toString());
      // Everything before the application's own arguments is the same whatever the command.
      int jar = cmd.indexOf(cmd.stream().filter(w -> w.endsWith("-app.jar")).findFirst().orElseThrow());
      if (submitPart == null) {
        submitPart = cmd.subList(0, jar + 1);
      }
      assertEquals(submitPart, cmd.subList(0, jar + 1), command.toString());
      assertEquals(command, cmd.subList(jar + 1, jar + 1 + command.size()));
    }
  }

  @Test
  void clientModeAndKerberosPassThrough() throws Exception {
    Path config = clusterConf();
    Result r = run("analyze", "--config", config.toString(), "--profile", "yarn", "--lake", "hdfs://nn:8020/lake",
        "--set", "spark.profiles.yarn.deployMode=client", "--set", "spark.profiles.yarn.principal=etl@EXAMPLE.COM",
        "--set", "spark.profiles.yarn.keytab=etl.keytab", "--job", "clickstream", "--dry-run");
    assertEquals(0, r.code(), r.err());
    List<String> cmd = shellWords(r.out().strip());
    Path keytab = Path.of("etl.keytab").toAbsolutePath();
    assertEquals(List.of("--deploy-mode", "client"), cmd.subList(3, 5));
    int principal = cmd.indexOf("--principal");
    assertEquals(List.of("--principal", "etl@EXAMPLE.COM", "--keytab", keytab.toString()), cmd.subList(principal, principal + 4));
    assertTrue(r.err().contains("warning: spark.profiles.yarn.keytab 'etl.keytab' is relative; using " + keytab), r.err());
    // Client mode: the driver runs here and reads the same file; nothing is archived.
    assertFalse(cmd.contains("--archives"), r.out());
    assertEquals(List.of("analyze", "--profile", "yarn", "--lake", "hdfs://nn:8020/lake", "--set", "spark.profiles.yarn.deployMode=client",
        "--set", "spark.profiles.yarn.principal=etl@EXAMPLE.COM", "--set", "spark.profiles.yarn.keytab=etl.keytab", "--job", "clickstream",
        "--config", config.toAbsolutePath().normalize().toString()), cmd.subList(cmd.size() - 15, cmd.size()));

    Result half = run("analyze", "--config", config.toString(), "--profile", "yarn", "--lake", "hdfs://nn:8020/lake",
        "--set", "spark.profiles.yarn.principal=etl@EXAMPLE.COM", "--job", "clickstream", "--dry-run");
    assertEquals(2, half.code());
    assertTrue(half.err().contains("principal and keytab go together"), half.err());
  }

  @Test
  void aFailedSubmitLeavesNothingInTheTempDirectory() throws Exception {
    Path tmpDir = Path.of(System.getProperty("java.io.tmpdir"));
    java.util.Set<Path> before;
    try (var s = Files.list(tmpDir)) {
      before = s.collect(java.util.stream.Collectors.toSet());
    }
    // No spark-submit is installed here (SPARK_HOME unset in tests), so the submission fails after the command was built.
    Result r = run("status", "--config", clusterConf().toString(), "--profile", "yarn", "--lake", "hdfs://nn:8020/lake");
    assertEquals(2, r.code(), r.err());
    try (var s = Files.list(tmpDir)) {
      List<Path> added = s.filter(p -> !before.contains(p) && p.getFileName().toString().contains("tributary")).toList();
      assertEquals(List.of(), added);
    }
  }

  /** Splits a printed command as a POSIX shell would (single quotes only, as the launcher prints). */
  private static List<String> shellWords(String line) {
    List<String> words = new java.util.ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'' ) {
        quoted = !quoted;
        inWord = true;
      } else if (c == '\\' && !quoted && i + 1 < line.length()) {
        w.append(line.charAt(++i));
      } else if (c == ' ' && !quoted) {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    return words;
  }
}
