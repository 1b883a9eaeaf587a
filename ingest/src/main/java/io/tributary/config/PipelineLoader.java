package io.tributary.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Reads and validates the pipeline definitions ({@code *.yaml}) of a directory. */
public final class PipelineLoader {
  private PipelineLoader() {}

  /** All pipelines in {@code dir}, sorted by file name; fails on the first invalid file. */
  public static List<PipelineConfig> loadAll(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("pipeline directory " + dir + " does not exist: set pipelinesDir in the config file");
    }
    List<PipelineConfig> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
        out.add(load(f));
      }
    } catch (IOException e) {
      throw new ConfigException("cannot list pipeline directory " + dir + ": " + e.getMessage(), e);
    }
    Set<String> seen = new java.util.HashSet<>();
    for (PipelineConfig p : out) {
      if (!seen.add(p.name())) {
        throw new ConfigException("two pipeline files in " + dir + " are named '" + p.name() + "'");
      }
    }
    return out;
  }

  /** The pipeline called {@code name}, or an error listing the ones that exist. */
  public static PipelineConfig find(Path dir, String name) {
    List<PipelineConfig> all = loadAll(dir);
    return all.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new ConfigException(
        "no pipeline named '" + name + "' in " + dir + "; known pipelines: " + all.stream().map(PipelineConfig::name).toList()));
  }

  /** Reads one pipeline file and checks its schema against the fields it names. */
  public static PipelineConfig load(Path file) {
    PipelineConfig p = Yaml.bindFile(file, PipelineConfig.class);
    StructType schema = parseSchema(p, file);
    for (int i = 0; i < p.rules().size(); i++) {
      RuleConfig rule = p.rules().get(i);
      String key = "rules[" + i + "]";
      if (rule.expr() != null) {
        SparkSyntax.expression(rule.expr(), () -> Yaml.locate(file, key + ".expr") + ": rule '" + rule.id() + "'");
      }
      if (rule.field() != null) {
        requireField(schema, rule.field(), key, file);
      }
      for (int j = 0; j < i; j++) {
        if (p.rules().get(j).id().equals(rule.id())) {
          throw new ConfigException(Yaml.locate(file, key + ".id") + ": rule id '" + rule.id() + "' is used twice");
        }
      }
    }
    for (String field : schema.fieldNames()) {
      if (field.equalsIgnoreCase(PipelineConfig.EVENT_DATE)) {
        throw new ConfigException(Yaml.locate(file, "schema") + ": schema field '" + field + "' is reserved: Tributary derives "
            + PipelineConfig.EVENT_DATE + " from eventTime; rename the field");
      }
      if (field.startsWith("_")) {
        throw new ConfigException(Yaml.locate(file, "schema") + ": schema field '" + field + "' starts with '_', which Tributary reserves for "
            + "lineage columns; rename it");
      }
    }
    requireField(schema, p.eventId(), "eventId", file);
    StructField time = requireField(schema, p.eventTime(), "eventTime", file);
    if (!time.dataType().equals(DataTypes.TimestampType)) {
      throw new ConfigException(Yaml.locate(file, "eventTime") + ": eventTime field '" + p.eventTime() + "' must be TIMESTAMP, not " + time.dataType().sql());
    }
    for (int i = 0; i < p.pii().columns().size(); i++) {
      StructField f = requireField(schema, p.pii().columns().get(i), "pii.columns[" + i + "]", file);
      if (!f.dataType().equals(DataTypes.StringType)) {
        throw new ConfigException(Yaml.locate(file, "pii.columns[" + i + "]") + ": pii column '" + f.name() + "' is "
            + f.dataType().sql() + "; only STRING fields can be pseudonymised (declare it STRING)");
      }
      if (f.name().equals(p.eventTime())) {
        throw new ConfigException(Yaml.locate(file, "pii.columns[" + i + "]") + ": the event time cannot be pseudonymised");
      }
    }
    for (int i = 0; i < p.typing().lenient().size(); i++) {
      requireField(schema, p.typing().lenient().get(i), "typing.lenient[" + i + "]", file);
    }
    for (String col : p.partitionBy()) {
      if (!col.equals(PipelineConfig.EVENT_DATE)) {
        requireField(schema, col, "partitionBy", file);
      }
    }
    return p.withSchemaDdl(schema.toDDL());
  }

  private static StructType parseSchema(PipelineConfig p, Path file) {
    try {
      if (p.schema() != null) {
        return SparkSyntax.schema(p.schema(), () -> Yaml.locate(file, "schema"));
      }
      Path schemaPath = file.toAbsolutePath().getParent().resolve(p.schemaFile());
      DataType type = DataType.fromJson(Files.readString(schemaPath));
      if (!(type instanceof StructType st)) {
        throw new ConfigException(Yaml.locate(file, "schemaFile") + ": schemaFile " + schemaPath + " must hold a struct type");
      }
      return st;
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new ConfigException(Yaml.locate(file, "schemaFile") + ": schemaFile " + p.schemaFile() + " is not a Spark JSON "
          + "schema: " + SparkSyntax.reason(e) + "; write it with DataType.json() or use schema: (DDL) instead", e);
    }
  }

  private static StructField requireField(StructType schema, String name, String key, Path file) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new ConfigException(Yaml.locate(file, key) + ": " + key + " '" + name + "' is not a field of the schema; fields: "
        + List.of(schema.fieldNames()));
  }
}
