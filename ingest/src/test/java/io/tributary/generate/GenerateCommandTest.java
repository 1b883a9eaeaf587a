package io.tributary.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {

  @TempDir
  Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void writesFilesAndGroundTruthIntoADirectory() throws IOException {
    Path landing = temp.resolve("clickstream");
    int exit = run("--to", "dir", "--path", landing.toString(), "--days", "2", "--events-per-day", "60000",
        "--files", "3", "--seed", "7");

    assertEquals(0, exit, err.toString());
    assertEquals(List.of("events-00000.jsonl", "events-00001.jsonl", "events-00002.jsonl"), names(landing));
    Path truthFile = temp.resolve("clickstream-ground-truth.json");
    GroundTruth truth = GroundTruth.read(truthFile);
    assertEquals(7, truth.spec().seed());
    assertEquals(0, truth.spec().anomalies(), "no anomalies by default in a run shorter than 8 days");
    assertTrue(truth.counts().reconciles());
    long lines = 0;
    for (String name : names(landing)) {
      lines += Files.readAllLines(landing.resolve(name)).size();
    }
    assertEquals(truth.counts().totalLines(), lines);
    String printed = out.toString();
    assertTrue(printed.contains("... 100,000 lines written"), printed);
    assertTrue(printed.contains(String.format("Wrote %,d clickstream lines", lines)), printed);
    assertTrue(printed.contains("bad records: ") && printed.contains("duplicates: ")
        && printed.contains("anomalies: 0"), printed);
    assertTrue(printed.contains("Ground truth: " + truthFile), printed);
  }

  @Test
  void writesSensorReadingsWithAGivenGroundTruthPath() throws IOException {
    Path landing = temp.resolve("sensors");
    Path truthFile = temp.resolve("truth/sensors.json");
    int exit = run("--to", "DIR", "--dataset", "sensors", "--path", landing.toString(), "--days", "1",
        "--events-per-day", "2000", "--lines-per-file", "1000", "--start", "2026-04-01",
        "--ground-truth", truthFile.toString());

    assertEquals(0, exit, err.toString());
    assertTrue(names(landing).stream().allMatch(name -> name.matches("readings-\\d{5}\\.jsonl")));
    GroundTruth truth = GroundTruth.read(truthFile);
    assertEquals("sensors", truth.dataset());
    assertEquals("2026-04-01T00:00:00Z", truth.spec().start().toString());
  }

  @Test
  void missingPathIsAUsageErrorThatSaysWhatToAdd() {
    int exit = run("--to", "dir", "--days", "1");

    assertEquals(2, exit);
    assertTrue(err.toString().contains("add --path DIR"), err.toString());
  }

  @Test
  void kafkaNeedsBrokersAndTopic() {
    int exit = run("--to", "kafka", "--topic", "events");

    assertEquals(2, exit);
    assertTrue(err.toString().contains("add --bootstrap-servers HOST:PORT --topic NAME"), err.toString());
  }

  @Test
  void badValuesAreUsageErrors() {
    assertEquals(2, run("--to", "s3", "--path", temp.toString()));
    assertTrue(err.toString().contains("expected dir or kafka"), err.toString());
    assertEquals(2, run("--to", "dir", "--path", temp.toString(), "--days", "5", "--anomalies", "3"));
    assertTrue(err.toString().contains("anomalies need more than 7 days"), err.toString());
    assertEquals(2, run("--to", "dir", "--path", temp.toString(), "--bad-rate", "0.9"));
    assertEquals(2, run("--path", temp.toString()));
    assertTrue(err.toString().contains("--to"), err.toString());
  }

  private int run(String... args) {
    CommandLine commandLine = new CommandLine(new GenerateCommand());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
