package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary connect} as a user meets it: its help, and the refusal to serve beyond loopback. */
class ConnectCommandTest {
  @TempDir Path tmp;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      return new Result(Tributary.execute(args), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void helpSaysWhatIsServedWhereAndTheBindingRule() {
    Result help = run("connect", "--help");
    assertEquals(0, help.code());
    String text = help.out().replaceAll("\\s+", " ");
    for (String promise : new String[] {"Usage: tributary connect", "gold.anomalies", "ops.batches", "sc://127.0.0.1:15002",
        "SIGTERM", "--allow-remote", "TRIBUTARY_CONNECT_TOKEN", "--port", "--host", "--profile yarn"}) {
      assertTrue(text.contains(promise), promise + " missing from: " + help.out());
    }
    assertTrue(run("--help").out().contains("connect"));
  }

  @Test
  void aNonLoopbackAddressWithoutFlagAndTokenIsRefusedInOneLineBeforeSparkStarts() {
    String lake = tmp.resolve("lake").toString();
    for (String[] args : new String[][] {
        {"connect", "--lake", lake, "--host", "0.0.0.0"},
        {"connect", "--lake", lake, "--host", "0.0.0.0", "--allow-remote"}}) {
      Result r = run(args);
      assertEquals(ExitCodes.USAGE, r.code(), r.err());
      assertEquals("error: refusing to listen on 0.0.0.0: only loopback addresses are served without both "
          + "--allow-remote and a token in $TRIBUTARY_CONNECT_TOKEN (Spark Connect has no other authentication)",
          r.err().strip());
      assertEquals("", r.out());
    }
  }
}
