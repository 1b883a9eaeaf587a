package io.tributary.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * YAML reading and binding with errors a user can act on: an unknown key or a bad value becomes one
 * {@link ConfigException} line naming the key path and where it came from.
 */
public final class Yaml {
  /** Keys whose values are never printed. */
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(password|passwd|secret|token|jaas|credential|private\\.key|access\\.key).*");

  public static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private Yaml() {}

  /** Reads a YAML file as a tree; an empty file is an empty object. */
  public static ObjectNode read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read the file (" + e.getMessage() + "); check that it exists and is "
          + "readable", e);
    }
    return parse(text, file.toString());
  }

  private static ObjectNode parse(String text, String origin) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode() || node.isNull()) {
        return MAPPER.createObjectNode();
      }
      if (!node.isObject()) {
        throw new ConfigException(origin + ": expected a YAML mapping (key: value lines) at the top level");
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null || at.getLineNr() < 1 ? "" : ", line " + at.getLineNr() + ", column " + at.getColumnNr();
      String problem = e.getCause() instanceof MarkedYAMLException m && m.getProblem() != null
          ? m.getProblem() + (m.getContext() == null ? "" : " (" + m.getContext() + ")") : firstLine(e.getOriginalMessage());
      throw new ConfigException(origin + where + ": invalid YAML: " + problem.strip()
          + "; fix the syntax there (indent with spaces, close brackets and quotes)", e);
    } catch (IOException e) {
      throw new ConfigException(origin + ": cannot read YAML: " + firstLine(e.getMessage()), e);
    }
  }

  /**
   * Reads and binds a YAML file; errors name the file, the line of the offending key and the key.
   */
  public static <T> T bindFile(Path file, Class<T> type) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read the file (" + e.getMessage() + "); check that it exists and is "
          + "readable", e);
    }
    ObjectNode tree = parse(text, file.toString());
    YamlLocations where = YamlLocations.of(text);
    return bind(tree, type, key -> at(file.toString(), where.lineOf(key)));
  }

  /** {@code FILE, line N} for {@code key} of a file read by {@link #bindFile}-style callers. */
  public static String locate(Path file, String key) {
    try {
      return at(file.toString(), YamlLocations.of(Files.readString(file)).lineOf(key));
    } catch (IOException e) {
      return file.toString();
    }
  }

  private static String at(String origin, int line) {
    return line > 0 ? origin + ", line " + line : origin;
  }

  /** Binds a tree to a typed record, naming {@code origin} (a file, a variable, a flag) in any error. */
  public static <T> T bind(JsonNode tree, Class<T> type, String origin) {
    return bind(tree, type, key -> origin);
  }

  /** Binds a tree, naming {@code originOf.apply(key)} (e.g. the file and the key's line) in any error. */
  public static <T> T bind(JsonNode tree, Class<T> type, java.util.function.Function<String, String> originOf) {
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(Object::toString).collect(Collectors.toCollection(TreeSet::new)).toString();
      throw new ConfigException(originOf.apply(path(e)) + ": unknown key '" + path(e) + "'; valid keys there are " + known);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      String msg = cause instanceof ConfigException ? cause.getMessage() : firstLine(e.getOriginalMessage());
      throw new ConfigException(originOf.apply(path(e)) + ": " + msg);
    } catch (InvalidFormatException e) {
      throw new ConfigException(originOf.apply(path(e)) + ": invalid value '" + e.getValue() + "' for '" + path(e) + "': expected "
          + e.getTargetType().getSimpleName().toLowerCase());
    } catch (JsonMappingException e) {
      throw new ConfigException(originOf.apply(path(e)) + ": invalid value for '" + path(e) + "': "
          + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigException(originOf.apply("") + ": " + firstLine(e.getMessage()), e);
    }
  }

  /** Deep-merges {@code over} into a copy of {@code base}; objects merge key by key, anything else replaces. */
  public static ObjectNode merge(ObjectNode base, ObjectNode over) {
    ObjectNode out = base.deepCopy();
    Iterator<Map.Entry<String, JsonNode>> it = over.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = out.get(e.getKey());
      if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode vo) {
        out.set(e.getKey(), merge(eo, vo));
      } else {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }

  /** Renders any value as YAML with secret-looking keys masked, for --print-config and logs. */
  public static String toMaskedYaml(Object value) {
    ObjectMapper printer = MAPPER.copy().setSerializationInclusion(JsonInclude.Include.NON_EMPTY);
    JsonNode tree = printer.valueToTree(value);
    mask(tree);
    try {
      return printer.writeValueAsString(tree);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void mask(JsonNode node) {
    if (node instanceof ObjectNode obj) {
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (SECRET_KEY.matcher(e.getKey()).matches() && e.getValue().isValueNode() && !e.getValue().isNull()) {
          e.setValue(obj.textNode("****"));
        } else {
          mask(e.getValue());
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(Yaml::mask);
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
