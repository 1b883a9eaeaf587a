package io.tributary.gold;

import java.io.InputStream;
import java.util.Properties;

/** The version of the running code: the jar's version plus the git commit recorded at build time. */
public final class CodeVersion {
  private CodeVersion() {}

  public static String get() {
    String version = CodeVersion.class.getPackage().getImplementationVersion();
    String commit = null;
    try (InputStream in = CodeVersion.class.getResourceAsStream("/tributary-build.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        version = p.getProperty("version", version);
        commit = p.getProperty("commit");
      }
    } catch (java.io.IOException ignored) {
      // the version stays as the manifest says
    }
    String v = version == null ? "dev" : version;
    return commit == null || commit.isBlank() || commit.startsWith("$") ? v : v + "+" + commit;
  }
}
