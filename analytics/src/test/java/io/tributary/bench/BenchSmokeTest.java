package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code scripts/bench --scale small} runs every section and reports every figure: the table is printed, and the
 * JSON and Markdown files hold a value for each metric. Timings and ratios are not asserted: they belong to the
 * benchmark, not to a timed test.
 */
class BenchSmokeTest {
  /** Every figure the README's Performance table explains, by the start of its name. */
  private static final List<String> EXPECTED = List.of(
      "baseline A (foreachBatch: raw + parsed): time", "baseline A (foreachBatch: raw + parsed): events/s",
      "baseline A (foreachBatch: raw + parsed): events/s per core", "baseline A (foreachBatch: raw + parsed): peak RSS",
      "baseline A (foreachBatch: raw + parsed): Spark jobs per batch",
      "baseline B (plain Delta sink): time", "baseline B (plain Delta sink): events/s",
      "baseline B (plain Delta sink): peak RSS", "baseline B (plain Delta sink): Spark jobs per batch",
      "Tributary (bronze + silver + quarantine): time", "Tributary (bronze + silver + quarantine): events/s",
      "Tributary (bronze + silver + quarantine): events/s per core",
      "Tributary (bronze + silver + quarantine): peak RSS",
      "Tributary (bronze + silver + quarantine): Spark jobs per batch",
      "Tributary (bronze + silver + quarantine): jobs labelled",
      "ratio Tributary / baseline A (throughput)", "ratio Tributary / baseline B (throughput)",
      "batch of", "same batch into silver holding", "ratio full / empty",
      "batch duration p50", "freshness p50", "freshness p99", "files measured / not visible",
      "Tributary profile + correlation, full run", "DuckDB, same statistics", "ratio Tributary / DuckDB (time)",
      "peak RSS Tributary analysis", "peak RSS DuckDB", "incremental run after one new day", "full recompute",
      "ratio incremental / full", "analysis with a 1 GiB driver heap (-Xmx1g) succeeded");

  @TempDir Path out;

  @Test
  void smallScaleRunsEverySectionAndReportsEveryFigure() throws Exception {
    Path conf = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "conf");
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      code = new CommandLine(new Bench()).execute("--scale", "small", "--out", out.toString(), "--conf", conf.toString());
    } finally {
      System.setOut(original);
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    assertEquals(0, code, printed);

    JsonNode doc = new ObjectMapper().readTree(out.resolve("latest-small.json").toFile());
    Map<String, JsonNode> values = new HashMap<>();
    doc.get("metrics").forEach(m -> values.put(m.get("name").asText(), m.get("value")));
    for (String expected : EXPECTED) {
      Map.Entry<String, JsonNode> metric = values.entrySet().stream().filter(e -> e.getKey().startsWith(expected))
          .findFirst().orElse(null);
      assertNotNull(metric, "no metric '" + expected + "' in " + values.keySet());
      JsonNode v = metric.getValue();
      assertTrue(v.isNumber() || (v.isTextual() && !v.asText().equals("NaN")), metric.getKey() + " has no value: " + v);
      // The printed table carries the same row.
      assertTrue(printed.contains(metric.getKey()), "table lacks " + metric.getKey());
    }
    assertEquals("yes", values.get("analysis with a 1 GiB driver heap (-Xmx1g) succeeded").asText());
    assertFalse(printed.contains(" n/a "), "a figure is missing from the table:\n" + printed);
    String md = Files.readString(out.resolve("latest-small.md"));
    assertTrue(md.contains("| ratio Tributary / baseline A (throughput) |"), md);
  }
}
