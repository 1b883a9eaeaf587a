package io.tributary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ProgressTickerTest {
  @Test
  void namesTheCurrentStepWhileRunningAndStopsWhenClosed() throws InterruptedException {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (ProgressTicker ticker = new ProgressTicker(lines::add, "clickstream batch 3", "parse", 40)) {
      waitFor(lines, 1);
      ticker.step("de-duplicate");
      int before = lines.size();
      waitFor(lines, before + 2);
    }
    int atClose = lines.size();
    Thread.sleep(200);
    assertEquals(atClose, lines.size(), "no line after close: " + lines);
    assertTrue(lines.get(0).matches("clickstream batch 3: parse \\(\\d+ s so far\\)"), lines.get(0));
    assertTrue(lines.get(lines.size() - 1).startsWith("clickstream batch 3: de-duplicate ("), lines.toString());
  }

  private static void waitFor(List<String> lines, int n) throws InterruptedException {
    for (int i = 0; i < 200 && lines.size() < n; i++) {
      Thread.sleep(10);
    }
    assertTrue(lines.size() >= n, "expected " + n + " lines, got " + lines);
  }
}
