package io.tributary.spark;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts fixed at build time ({@code tributary-build.properties}, filled in by Maven). */
public final class BuildInfo {
  private static final Properties PROPS = load();

  private BuildInfo() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/tributary-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException ignored) {
      // an IDE build without resource filtering: the defaults below apply
    }
    return p;
  }

  private static String get(String key) {
    String v = PROPS.getProperty(key, "");
    return v.startsWith("${") ? "" : v;
  }

  /** The project version plus the git commit when the build recorded one, e.g. {@code 0.1.0-SNAPSHOT+1a2b3c4}. */
  public static String codeVersion() {
    String version = get("version").isEmpty() ? "dev" : get("version");
    return get("commit").isEmpty() ? version : version + "+" + get("commit");
  }

  /** The --add-opens flags Spark needs on Java 17+, for spark.{driver,executor,yarn.am}.extraJavaOptions. */
  public static String sparkJvmFlags() {
    return get("spark.jvm.flags");
  }
}
