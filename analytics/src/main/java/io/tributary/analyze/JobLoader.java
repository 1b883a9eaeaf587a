package io.tributary.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.config.ConfigException;
import io.tributary.config.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the analysis job definitions ({@code *.yaml}) of a directory: the job's own keys, and each section
 * bound to the spec type {@link AnalysisRegistry} registers for its name.
 */
public final class JobLoader {
  private static final List<String> JOB_KEYS = List.of("name", "input", "timeColumn");

  private JobLoader() {}

  /** The job's own keys; the sections are bound separately. */
  record Header(String name, String input, String timeColumn) {}

  public static List<JobConfig> loadAll(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("job directory " + dir + " does not exist: set jobsDir in the config file");
    }
    List<JobConfig> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
        out.add(load(f));
      }
    } catch (IOException e) {
      throw new ConfigException("cannot list job directory " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  public static JobConfig find(Path dir, String name) {
    List<JobConfig> all = loadAll(dir);
    return all.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow(() -> new ConfigException(
        "no analysis job named '" + name + "' in " + dir + "; known jobs: " + all.stream().map(JobConfig::name).toList()));
  }

  public static JobConfig load(Path file) {
    ObjectNode tree = Yaml.read(file);
    ObjectNode header = tree.objectNode();
    Map<String, AnalysisSpec> sections = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (JOB_KEYS.contains(key)) {
        header.set(key, e.getValue());
        continue;
      }
      Class<? extends AnalysisSpec> type = AnalysisRegistry.sections().get(key);
      if (type == null) {
        List<String> known = new ArrayList<>(JOB_KEYS);
        known.addAll(AnalysisRegistry.sections().keySet());
        throw new ConfigException(Yaml.locate(file, key) + ": unknown key '" + key + "'; valid keys there are " + known);
      }
      if (!e.getValue().isNull()) {
        // Errors name the file and the line of the offending key (or of its section).
        sections.put(key, Yaml.bind(e.getValue(), type, k -> Yaml.locate(file, k.isEmpty() ? key : key + "." + k)));
      }
    }
    Header h = Yaml.bind(header, Header.class, k -> Yaml.locate(file, k));
    return new JobConfig(h.name(), h.input(), h.timeColumn(), sections, file).validated();
  }
}
