package io.tributary.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link BenchChild} task in a fresh JVM, so measured runs share no JIT, caches or heap, and so its peak
 * resident set can be read: the parent polls {@code VmHWM} in {@code /proc/PID/status} and the child reports its
 * own at exit; the larger is kept.
 */
final class ChildJvm {
  /** The launcher's flags (scripts/tributary, and spark.jvm.flags in the parent pom): Spark reflects into the JDK. */
  static final List<String> SPARK_FLAGS = List.of(
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false");
  private static final long POLL_MS = 100;

  /** What a child reported, its peak RSS and whether it succeeded. */
  record Result(Map<String, Object> values, long peakRssBytes, boolean ok, double wallSeconds, Path log) {
    double number(String key) {
      Object v = values.get(key);
      return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
  }

  private final String classpath;
  private final Path log4jConfig;

  ChildJvm(String classpath, Path log4jConfig) {
    this.classpath = classpath;
    this.log4jConfig = log4jConfig;
  }

  /** Runs {@code task}; its output goes to {@code workDir/<name>.log}, its result to {@code <name>.json}. */
  Result run(Path workDir, String name, String heap, String task, Map<String, String> opts)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path resultFile = workDir.resolve(name + ".json");
    Path log = workDir.resolve(name + ".log");
    Files.deleteIfExists(resultFile);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(SPARK_FLAGS);
    cmd.add("-Xmx" + heap);
    cmd.add("-Dlog4j2.configurationFile=" + log4jConfig);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(BenchChild.class.getName());
    cmd.add(task);
    cmd.add(resultFile.toString());
    opts.forEach((k, v) -> cmd.add(k + "=" + v));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    long started = System.nanoTime();
    Process p = pb.start();
    Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
    long peak = -1;
    while (p.isAlive()) {
      peak = Math.max(peak, BenchChild.ProcStatus.peakRss(status));
      Thread.sleep(POLL_MS);
    }
    double wall = (System.nanoTime() - started) / 1e9;
    boolean ok = p.exitValue() == 0 && Files.exists(resultFile);
    Map<String, Object> values = ok
        ? new ObjectMapper().readValue(resultFile.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {})
        : Map.of();
    if (values.get("peak_rss_bytes") instanceof Number n) {
      peak = Math.max(peak, n.longValue());
    }
    if (!ok) {
      Bench.progress("  %s FAILED (exit %d); last lines of %s:%n%s", name, p.exitValue(), log, tail(log, 15));
    }
    return new Result(values, peak, ok, wall, log);
  }

  private static String tail(Path log, int lines) throws IOException {
    List<String> all = Files.readAllLines(log);
    return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
