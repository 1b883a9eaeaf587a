package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.generate.ClickstreamGenerator;
import io.tributary.generate.GeneratedRecord;
import io.tributary.generate.GeneratorSpec;
import io.tributary.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, on small data: {@code tributary demo} through the real CLI, then its tables
 * checked against the generator's own records and statistics computed independently with Commons Math.
 */
class DemoEndToEndTest {
  private static final int DAYS = 9;
  private static final int EVENTS_PER_DAY = 600;

  private final SparkSession spark = TestSpark.get();

  @TempDir Path tmp;

  /** A copy of the shipped conf/ whose landing directory is inside the test's temp dir. */
  private Path conf() throws Exception {
    Path shipped = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "conf");
    Path conf = tmp.resolve("conf");
    FileUtils.copyDirectory(shipped.toFile(), conf.toFile());
    Path pipeline = conf.resolve("pipelines/clickstream.yaml");
    Files.writeString(pipeline, Files.readString(pipeline)
        .replace("path: ./landing/clickstream", "path: " + tmp.resolve("landing/clickstream")));
    return conf.resolve("tributary.yaml");
  }

  private static String run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Tributary.execute(args);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    System.out.print(out);
    assertEquals(0, code, out);
    return out;
  }

  @Test
  void demoLandsEveryGeneratedEventOnceAndItsStatisticsAreRight() throws Exception {
    Path config = conf();
    String lake = tmp.resolve("lake").toString();
    String out = run("demo", "--config", config.toString(), "--lake", lake,
        "--days", String.valueOf(DAYS), "--events-per-day", String.valueOf(EVENTS_PER_DAY));
    assertTrue(out.contains("[4/4] summary"), out);
    assertTrue(out.matches("(?s).*Reconciliation: received [0-9,]+ = silver [0-9,]+ \\+ quarantined [0-9,]+ \\+ duplicates [0-9,]+  OK.*"), out);

    // What the generator produced, independently of the pipeline: every first valid copy of an event.
    GeneratorSpec spec = GeneratorSpec.defaults().withDays(DAYS).withEventsPerDay(EVENTS_PER_DAY);
    Map<String, BigDecimal> expectedPrice = new HashMap<>();
    Map<String, Instant> expectedTime = new HashMap<>();
    long bad = 0;
    long duplicateCopies = 0;
    Iterable<GeneratedRecord> generated = () -> new ClickstreamGenerator(spec).generate();
    for (GeneratedRecord r : generated) {
      if (r.isFirstValidCopy()) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.line());
        expectedPrice.put(r.eventId(), new BigDecimal(json.get("price").asText()));
        expectedTime.put(r.eventId(), r.eventTime());
      } else if (r.kind().equals(GeneratedRecord.BAD)) {
        bad++;
      } else if (r.kind().equals(GeneratedRecord.DUPLICATE)) {
        duplicateCopies++;
      }
    }

    List<Row> silver = spark.read().format("delta").load(lake + "/silver/clickstream")
        .select("event_id", "price", "event_time").collectAsList();
    assertEquals(expectedPrice.size(), silver.size());
    DescriptiveStatistics prices = new DescriptiveStatistics();
    for (Row r : silver) {
      String id = r.getString(0);
      assertEquals(0, expectedPrice.get(id).compareTo(r.getDecimal(1)), id);
      assertEquals(expectedTime.get(id), r.getTimestamp(2).toInstant(), id);
      prices.addValue(r.getDecimal(1).doubleValue());
    }
    assertEquals(bad, spark.read().format("delta").load(lake + "/quarantine/clickstream").count());
    Row ops = spark.read().format("delta").load(lake + "/ops/batches").selectExpr("sum(duplicates)", "sum(received)").first();
    assertEquals(duplicateCopies, ops.getLong(0));
    assertEquals(expectedPrice.size() + bad + duplicateCopies, ops.getLong(1));

    // The headline statistics in gold match Commons Math on the same rows.
    Row profile = spark.read().format("delta").load(lake + "/gold/profiles")
        .where("column = 'price' AND window = 'all' AND slice_key IS NULL")
        .selectExpr("count", "mean", "stddev", "min", "max").first();
    assertEquals(prices.getN(), profile.getLong(0));
    assertEquals(prices.getMean(), profile.getDouble(1), 1e-9 * prices.getMean());
    assertEquals(prices.getStandardDeviation(), profile.getDouble(2), 1e-9 * prices.getStandardDeviation());
    assertEquals(prices.getMin(), profile.getDouble(3), 0);
    assertEquals(prices.getMax(), profile.getDouble(4), 0);

    // The demo again: the same files are reused and nothing lands twice.
    String again = run("demo", "--config", config.toString(), "--lake", lake,
        "--days", String.valueOf(DAYS), "--events-per-day", String.valueOf(EVENTS_PER_DAY));
    assertTrue(again.contains("reusing them"), again);
    assertEquals(expectedPrice.size(), spark.read().format("delta").load(lake + "/silver/clickstream").count());

    String status = run("status", "--config", config.toString(), "--lake", lake);
    assertTrue(status.contains("pipeline clickstream"), status);
    assertTrue(status.matches("(?s).*silver/clickstream\\s+" + String.format("%,d", expectedPrice.size()) + " rows.*"), status);
    // The second demo landed nothing new, so its analysis had nothing to do and wrote nothing: status lists the
    // first run only, once, with its outcome.
    assertTrue(again.contains("has not changed since run "), again);
    List<String> runs = status.lines().dropWhile(l -> !l.equals("analysis runs")).skip(1)
        .filter(l -> l.startsWith("  clickstream ")).toList();
    assertEquals(1, runs.size(), status);
    assertTrue(runs.get(0).endsWith(", committed"), "the run once, with its outcome: " + runs);
    List<String> gold = status.lines().dropWhile(l -> !l.equals("gold tables")).skip(1)
        .takeWhile(l -> l.startsWith("  ")).map(String::strip).toList();
    assertEquals(gold.stream().sorted().toList(), gold, "gold tables in name order");
  }
}
