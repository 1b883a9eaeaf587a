package io.tributary.analyze;

import io.tributary.config.ConfigException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One analysis job, declared in a YAML file under {@code conf/jobs/} and run by
 * {@code tributary analyze --job NAME}. Besides the keys below, the file holds one optional section per kind
 * of analysis ({@link AnalysisRegistry}); a job runs the sections it declares.
 *
 * @param name identifier, recorded with every result row
 * @param input the table analysed, relative to the lake root, e.g. {@code silver/clickstream}
 * @param timeColumn the TIMESTAMP column windows and incremental runs are based on
 * @param sections the declared sections by name, in {@link AnalysisRegistry} order
 * @param file the file the job was read from (null when built in code)
 */
public record JobConfig(String name, String input, String timeColumn, Map<String, AnalysisSpec> sections,
    Path file) {

  public JobConfig {
    if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
      throw new ConfigException("job 'name' must be lower-case letters, digits and _, not '" + name + "'");
    }
    if (input == null || input.isBlank()) {
      throw new ConfigException("job " + name + " needs 'input', a table under the lake such as silver/clickstream");
    }
    if (timeColumn == null || timeColumn.isBlank()) {
      throw new ConfigException("job " + name + " needs 'timeColumn', the TIMESTAMP column of the input");
    }
    Map<String, AnalysisSpec> given = sections == null ? Map.of() : sections;
    Map<String, AnalysisSpec> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, Class<? extends AnalysisSpec>> e : AnalysisRegistry.sections().entrySet()) {
      AnalysisSpec spec = given.get(e.getKey());
      if (spec != null) {
        if (!e.getValue().isInstance(spec)) {
          throw new IllegalArgumentException("section " + e.getKey() + " needs a " + e.getValue().getSimpleName());
        }
        ordered.put(e.getKey(), spec);
      }
    }
    if (!ordered.keySet().containsAll(given.keySet())) {
      throw new IllegalArgumentException("unknown sections in " + given.keySet());
    }
    sections = Collections.unmodifiableMap(ordered);
  }

  /** Checks every section against the whole job; called by the loader and the runner. */
  public JobConfig validated() {
    sections.values().forEach(s -> s.validate(this));
    return this;
  }

  /** A one-line configuration error naming this job, the key and the file: {@code job NAME: 'KEY' PROBLEM}. */
  public ConfigException invalid(String key, String problem) {
    return new ConfigException("job " + name + ": '" + key + "' " + problem + (file == null ? "" : " (in " + file + ")"));
  }

  /** A job built in code, with the sections given (their names looked up in the registry). */
  public static JobConfig of(String name, String input, String timeColumn, AnalysisSpec... specs) {
    Map<String, AnalysisSpec> byName = new LinkedHashMap<>();
    for (AnalysisSpec spec : specs) {
      String section = AnalysisRegistry.sections().entrySet().stream()
          .filter(e -> e.getValue().isInstance(spec)).map(Map.Entry::getKey).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(spec.getClass() + " is not registered"));
      byName.put(section, spec);
    }
    return new JobConfig(name, input, timeColumn, byName, null);
  }

  /** The section of the given spec type, or null when the job does not declare it. */
  public <T extends AnalysisSpec> T section(Class<T> type) {
    return sections.values().stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
  }
}
