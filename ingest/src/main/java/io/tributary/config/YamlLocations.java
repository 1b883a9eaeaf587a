package io.tributary.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line each key of a YAML document starts on, so an error found after binding (an unknown key, a value a
 * record rejects, a schema that does not parse) can point at the line to fix. Keys are written as in error
 * messages: {@code source.kafka.topics}, {@code rules[1].expr}.
 */
final class YamlLocations {
  private final Map<String, Integer> lines = new HashMap<>();

  private YamlLocations() {}

  /** Locations of a document that already parsed; an unreadable one simply has none. */
  static YamlLocations of(String yaml) {
    YamlLocations out = new YamlLocations();
    try (JsonParser p = Yaml.MAPPER.getFactory().createParser(yaml)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.FIELD_NAME) {
          out.lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
        }
      }
    } catch (IOException e) {
      // Malformed YAML is reported by Yaml.read with its own line and column.
    }
    return out;
  }

  /** The line of {@code key}, else of its nearest enclosing key; 0 when unknown. */
  int lineOf(String key) {
    String pointer = key.isEmpty() ? "" : "/" + key.replace("[", ".").replace("]", "").replace('.', '/');
    while (!pointer.isEmpty()) {
      Integer line = lines.get(pointer);
      if (line != null) {
        return line;
      }
      pointer = pointer.substring(0, pointer.lastIndexOf('/'));
    }
    return 0;
  }
}
