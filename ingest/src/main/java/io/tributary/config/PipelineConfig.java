package io.tributary.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * One ingest pipeline, declared in a YAML file under {@code conf/pipelines/}.
 *
 * @param name identifier, also the default name of its tables ({@code bronze/NAME}, {@code silver/NAME}, ...)
 * @param source where records come from
 * @param schema the event schema as Spark DDL ({@code event_id STRING, event_time TIMESTAMP, ...}); or
 * @param schemaFile a file with the schema as Spark's JSON schema, relative to the pipeline file
 * @param eventId the field that identifies an event; duplicates of it are dropped from silver
 * @param eventTime the TIMESTAMP field the event happened at; silver is partitioned by its date
 * @param partitionBy silver partition columns; {@code event_date} is derived from {@code eventTime}
 * @param trigger micro-batch interval for continuous runs
 * @param rules quality rules applied after parsing
 * @param dedup how duplicate event ids are recognised (horizon on event time) and what happens to conflicting copies
 * @param typing whether values must already be of their declared types (strict, the default) or may be coerced
 * @param pii fields pseudonymised in silver with a keyed HMAC
 * @param tables table names under the lake, when they should differ from {@code name}
 * @param schemaDdl the resolved schema as DDL (set by the loader)
 */
public record PipelineConfig(
    String name,
    SourceConfig source,
    String schema,
    String schemaFile,
    String eventId,
    String eventTime,
    List<String> partitionBy,
    TriggerConfig trigger,
    List<RuleConfig> rules,
    DedupConfig dedup,
    TypingConfig typing,
    PiiConfig pii,
    Map<String, String> tables,
    @JsonIgnore String schemaDdl) {

  public static final String EVENT_DATE = "event_date";

  public PipelineConfig {
    if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
      throw new ConfigException("pipeline 'name' must be lower-case letters, digits and _ (it names tables), not '" + name + "'");
    }
    if (source == null) {
      throw new ConfigException("pipeline " + name + " needs a 'source' (kafka or directory)");
    }
    if ((schema == null) == (schemaFile == null)) {
      throw new ConfigException("pipeline " + name + " needs exactly one of 'schema' (Spark DDL) or 'schemaFile'");
    }
    if (eventId == null || eventTime == null) {
      throw new ConfigException("pipeline " + name + " needs 'eventId' and 'eventTime' (field names in the schema)");
    }
    partitionBy = partitionBy == null ? List.of(EVENT_DATE) : List.copyOf(partitionBy);
    trigger = trigger == null ? new TriggerConfig(null) : trigger;
    rules = rules == null ? List.of() : List.copyOf(rules);
    dedup = dedup == null ? DedupConfig.defaults() : dedup;
    typing = typing == null ? TypingConfig.defaults() : typing;
    pii = pii == null ? PiiConfig.none() : pii;
    tables = tables == null ? Map.of() : Map.copyOf(tables);
    for (String kind : tables.keySet()) {
      if (!List.of("bronze", "silver", "quarantine").contains(kind)) {
        throw new ConfigException("pipeline " + name + ": tables." + kind + " is not a table kind; use bronze, silver or quarantine");
      }
    }
    schemaDdl = schemaDdl == null ? schema : schemaDdl;
  }

  /** Whether silver rows carry {@code _warnings}: some field is lenient or some rule only warns. */
  public boolean hasWarnings() {
    return typing.anyLenient() || rules.stream().anyMatch(RuleConfig::warns);
  }

  /** The table name for a kind ({@code bronze}, {@code silver}, {@code quarantine}). */
  public String table(String kind) {
    return tables.getOrDefault(kind, name);
  }

  public PipelineConfig withSchemaDdl(String ddl) {
    return new PipelineConfig(name, source, schema, schemaFile, eventId, eventTime, partitionBy, trigger, rules, dedup, typing, pii, tables, ddl);
  }
}
