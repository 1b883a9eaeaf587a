package io.tributary.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads {@link TributaryConfig} from its layers: built-in defaults &lt; config file &lt; {@code TRIBUTARY_*}
 * environment variables &lt; command-line overrides. Each layer is validated on its own so an error names the
 * file, variable or flag that introduced it.
 */
public final class ConfigLoader {
  /**
   * Environment variables the launcher, {@code tributary connect} and the notebook scripts use for themselves;
   * they are not configuration keys.
   */
  private static final Set<String> LAUNCHER_VARS =
      Set.of("TRIBUTARY_HOME", "TRIBUTARY_CONFIG", "TRIBUTARY_JAVA_OPTS", "TRIBUTARY_NO_BUILD",
          "TRIBUTARY_CONNECT_TOKEN", "TRIBUTARY_CONNECT_URL", "TRIBUTARY_CONNECT_PORT", "TRIBUTARY_CONNECT_WAIT",
          "TRIBUTARY_VENV", "TRIBUTARY_SKIP_NOTEBOOKS", "TRIBUTARY_GROUND_TRUTH", PiiConfig.DEFAULT_KEY_ENV);
  /** Below these keys the map is free-form (Spark and Kafka settings), so the rest of a dotted path is one key. */
  private static final Set<String> FREE_FORM = Set.of("conf", "options");

  private ConfigLoader() {}

  /**
   * @param file the config file; {@code null} means none (defaults only)
   * @param env the process environment (only {@code TRIBUTARY_*} entries are read)
   * @param overrides dotted key to value, from command-line flags, applied last
   */
  public static TributaryConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    ObjectNode defaults = defaults();
    List<Map.Entry<String, ObjectNode>> layers = new ArrayList<>();
    String fileOrigin = file == null ? null : file.toString();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("config file " + file + " does not exist: pass --config FILE or create it from conf/tributary.yaml");
      }
      layers.add(Map.entry(file.toString(), Yaml.read(file)));
    }
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
      if (e.getKey().startsWith("TRIBUTARY_") && !LAUNCHER_VARS.contains(e.getKey())) {
        String key = keyForEnv(defaults, e.getKey());
        layers.add(Map.entry("environment variable " + e.getKey(), tree(key, e.getValue())));
      }
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      layers.add(Map.entry("command-line setting " + e.getKey(), tree(e.getKey(), e.getValue())));
    }

    ObjectNode merged = defaults;
    for (Map.Entry<String, ObjectNode> layer : layers) {
      merged = Yaml.merge(merged, layer.getValue());
      String origin = layer.getKey();
      // Fail on the layer that broke it; for the file, at the offending key's line.
      Yaml.bind(merged, TributaryConfig.class, origin.equals(fileOrigin) ? key -> Yaml.locate(file, key) : key -> origin);
    }
    Path confDir = file == null ? Path.of("conf") : file.toAbsolutePath().getParent();
    return Yaml.bind(merged, TributaryConfig.class, "configuration").withConfDir(confDir);
  }

  /** The built-in defaults, as a tree. */
  static ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
      return (ObjectNode) Yaml.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("built-in defaults.yaml is missing from the jar", e);
    }
  }

  /** Builds {@code {a: {b: value}}} from {@code a.b=value}, keeping free-form map keys whole. */
  static ObjectNode tree(String dottedKey, String value) {
    ObjectNode root = Yaml.MAPPER.createObjectNode();
    ObjectNode node = root;
    String[] parts = dottedKey.split("\\.");
    for (int i = 0; i < parts.length; i++) {
      boolean last = i == parts.length - 1;
      if (!last && FREE_FORM.contains(parts[i])) {
        String rest = String.join(".", java.util.Arrays.copyOfRange(parts, i + 1, parts.length));
        node.putObject(parts[i]).put(rest, value);
        return root;
      }
      if (last) {
        node.put(parts[i], value);
      } else {
        node = node.putObject(parts[i]);
      }
    }
    return root;
  }

  /** Maps {@code TRIBUTARY_LAKE_ROOT} to {@code lake.root} by matching the known keys of the defaults. */
  static String keyForEnv(ObjectNode defaults, String var) {
    Map<String, String> known = new LinkedHashMap<>();
    collectKeys(defaults, "", known);
    String wanted = var.substring("TRIBUTARY_".length()).replace("_", "").toUpperCase(Locale.ROOT);
    String key = known.get(wanted);
    if (key == null) {
      throw new ConfigException("environment variable " + var + " does not name a setting; known: "
          + known.keySet().stream().map(k -> "TRIBUTARY_" + known.get(k).replace('.', '_').toUpperCase(Locale.ROOT))
              .sorted().toList());
    }
    return key;
  }

  private static void collectKeys(JsonNode node, String prefix, Map<String, String> out) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().isObject() && !FREE_FORM.contains(e.getKey())) {
        collectKeys(e.getValue(), key, out);
      } else if (e.getValue().isValueNode()) {
        out.put(key.replace(".", "").toUpperCase(Locale.ROOT), key);
      }
    }
  }
}
