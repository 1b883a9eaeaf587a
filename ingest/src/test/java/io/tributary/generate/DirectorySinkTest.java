package io.tributary.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySinkTest {

  private static final GeneratorSpec SMALL =
      GeneratorSpec.defaults().toBuilder().days(2).eventsPerDay(3_000).badRate(0.01).anomalies(0).build();

  @TempDir
  Path temp;

  @Test
  void filesAppearOnlyWhenCompleteAndConcatenateToTheArrivalOrder() throws IOException {
    List<String> expected = new ClickstreamGenerator(SMALL).generate().stream().map(GeneratedRecord::line).toList();
    FileSplit split = FileSplit.evenly(expected.size(), 4);
    Path out = temp.resolve("landing");
    Path truthFile = DirectorySink.defaultGroundTruthFile(out);
    DirectorySink sink = new DirectorySink(out, "events", split, truthFile);
    List<String> seenInProgress = new ArrayList<>();

    // Look at the directory the way a streaming reader would, while the sink is writing.
    GroundTruth truth = sink.write(new ClickstreamGenerator(SMALL).generate().observe(record -> {
      if (record.sequence() % 250 == 0) {
        visibleFiles(out).forEach((name, lines) -> assertEquals(expectedLines(split, expected.size(), name),
            lines.size(), "visible file " + name + " is complete"));
        hiddenFiles(out).forEach(seenInProgress::add);
      }
    }));

    assertTrue(seenInProgress.stream().allMatch(name -> name.startsWith(".events-") && name.endsWith(".inprogress")),
        seenInProgress.toString());
    assertTrue(!seenInProgress.isEmpty(), "writes go through hidden in-progress files");
    assertTrue(hiddenFiles(out).isEmpty(), "no temp files left");

    Map<String, List<String>> files = visibleFiles(out);
    assertEquals(List.of("events-00000.jsonl", "events-00001.jsonl", "events-00002.jsonl", "events-00003.jsonl"),
        List.copyOf(files.keySet()));
    assertEquals(expected, files.values().stream().flatMap(List::stream).toList());
    assertEquals(List.copyOf(files.keySet()), truth.output().files());

    assertEquals(temp.resolve("landing-ground-truth.json"), truthFile);
    assertEquals(truth, GroundTruth.read(truthFile));
    List<String> users = Files.readAllLines(temp.resolve("landing-ground-truth-users.csv"));
    List<PlantedUser> planted = new ClickstreamGenerator(SMALL).users();
    assertEquals(PlantedUser.CSV_HEADER, users.get(0));
    assertEquals(planted.size() + 1, users.size());
    assertEquals(planted.get(0).userId() + "," + planted.get(0).segment(), users.get(1).substring(0,
        users.get(1).indexOf(',', users.get(1).indexOf(',') + 1)));
    assertTrue(!truth.badRecords().isEmpty());
    for (GroundTruth.BadRecord bad : truth.badRecords()) {
      String line = files.get(bad.file()).get((int) (long) bad.line() - 1);
      assertEquals(LineChecks.expectedProblem(bad), LineChecks.clickstreamProblem(line), line);
    }
  }

  @Test
  void maxLinesPerFileAndRefusesToOverwriteAnEarlierRun() throws IOException {
    Path out = temp.resolve("by-size");
    GroundTruth truth = new DirectorySink(out, "events", FileSplit.maxLinesPerFile(1_000), temp.resolve("gt.json"))
        .write(new ClickstreamGenerator(SMALL).generate());
    Map<String, List<String>> files = visibleFiles(out);
    assertEquals((truth.counts().totalLines() + 999) / 1_000, files.size());
    files.values().forEach(lines -> assertTrue(lines.size() <= 1_000));
    assertTrue(Files.exists(temp.resolve("gt.json")));

    DirectorySink again = new DirectorySink(out, "events", FileSplit.maxLinesPerFile(1_000), temp.resolve("gt2.json"));
    FileAlreadyExistsException clash =
        assertThrows(FileAlreadyExistsException.class, () -> again.write(new ClickstreamGenerator(SMALL).generate()));
    assertTrue(clash.getMessage().contains("another prefix"), clash.getMessage());
  }

  @Test
  void evenSplitsCoverEverySequenceOnce() {
    FileSplit split = FileSplit.evenly(10, 4);
    int[] sizes = new int[4];
    for (long sequence = 1; sequence <= 10; sequence++) {
      int index = split.fileIndex(sequence);
      sizes[index]++;
      assertEquals(sizes[index], split.lineInFile(sequence));
    }
    assertEquals(List.of(2, 3, 2, 3), List.of(sizes[0], sizes[1], sizes[2], sizes[3]));
    assertEquals(3, split.fileIndex(11), "lines beyond the total go to the last file");
    assertEquals(2, FileSplit.maxLinesPerFile(5).fileIndex(11));
    assertEquals(1, FileSplit.maxLinesPerFile(5).lineInFile(11));
  }

  private static long expectedLines(FileSplit split, long total, String name) {
    int index = Integer.parseInt(name.substring("events-".length(), "events-".length() + 5));
    long lines = 0;
    for (long sequence = 1; sequence <= total; sequence++) {
      lines += split.fileIndex(sequence) == index ? 1 : 0;
    }
    return lines;
  }

  private static Map<String, List<String>> visibleFiles(Path dir) {
    Map<String, List<String>> files = new TreeMap<>();
    try (Stream<Path> paths = Files.list(dir)) {
      for (Path path : paths.toList()) {
        String name = path.getFileName().toString();
        if (!name.startsWith(".")) {
          files.put(name, Files.readAllLines(path, StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static List<String> hiddenFiles(Path dir) {
    try (Stream<Path> paths = Files.list(dir)) {
      return paths.map(p -> p.getFileName().toString()).filter(name -> name.startsWith(".")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
