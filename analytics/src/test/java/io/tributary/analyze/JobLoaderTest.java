package io.tributary.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.analyze.profile.ProfileSpec;
import io.tributary.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job files bind each section to its registered spec, and every error names the file and the line to fix. */
class JobLoaderTest {
  @TempDir Path dir;

  private Path job(String yaml) throws Exception {
    return Files.writeString(dir.resolve("job.yaml"), yaml);
  }

  private static final String HEAD = "name: j\ninput: silver/x\ntimeColumn: t\n";

  @Test
  void sectionsBindToTheirSpecs() throws Exception {
    JobConfig j = JobLoader.load(job(HEAD + "profile:\n  columns: [a, b]\n"));
    assertEquals("j", j.name());
    assertEquals(java.util.List.of("a", "b"), j.section(ProfileSpec.class).columns());
  }

  @Test
  void anUnknownSectionNamesItsLine() throws Exception {
    Path f = job(HEAD + "\nprofiles:\n  columns: [a]\n");
    String msg = assertThrows(ConfigException.class, () -> JobLoader.load(f)).getMessage();
    assertTrue(msg.startsWith(f + ", line 5: unknown key 'profiles'; valid keys there are [name, input, timeColumn, "),
        msg);
  }

  @Test
  void anUnknownKeyInsideASectionNamesItsLine() throws Exception {
    Path f = job(HEAD + "profile:\n  columns: [a]\n  windowz: [day]\n");
    String msg = assertThrows(ConfigException.class, () -> JobLoader.load(f)).getMessage();
    assertTrue(msg.startsWith(f + ", line 6: unknown key 'windowz'"), msg);
  }

  @Test
  void aValueASpecRejectsNamesItsSectionsLine() throws Exception {
    Path f = job(HEAD + "correlation:\n  columns: [a]\n");
    String msg = assertThrows(ConfigException.class, () -> JobLoader.load(f)).getMessage();
    assertTrue(msg.startsWith(f + ", line 4: "), msg);
    assertTrue(msg.contains("correlation.columns"), msg);
  }
}
