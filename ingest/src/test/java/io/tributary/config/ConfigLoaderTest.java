package io.tributary.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path tmp;

  private Path file(String name, String yaml) throws Exception {
    Path f = tmp.resolve(name);
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void layersDefaultsFileEnvironmentAndFlagsInThatOrder() throws Exception {
    Path f = file("t.yaml", "lake:\n  root: /from/file\nprofile: local\n");
    assertEquals("/from/file", ConfigLoader.load(f, Map.of(), Map.of()).lake().root());
    assertEquals("/from/env", ConfigLoader.load(f, Map.of("TRIBUTARY_LAKE_ROOT", "/from/env"), Map.of()).lake().root());
    TributaryConfig c = ConfigLoader.load(f, Map.of("TRIBUTARY_LAKE_ROOT", "/from/env"),
        Map.of("lake.root", "/from/flag", "spark.profiles.local.conf.spark.sql.shuffle.partitions", "8"));
    assertEquals("/from/flag", c.lake().root());
    assertEquals("8", c.sparkProfile().conf().get("spark.sql.shuffle.partitions"));
    assertEquals("false", c.sparkProfile().conf().get("spark.ui.enabled"), "defaults under a free-form map survive");
    assertEquals(tmp.resolve("pipelines"), c.pipelinesPath());
    TributaryConfig defaults = ConfigLoader.load(null, Map.of("HOME", "/root", "TRIBUTARY_HOME", "/opt/t"), Map.of());
    assertEquals("./lake", defaults.lake().root());
    assertEquals("local[2]", defaults.sparkProfile().master());
  }

  @Test
  void unknownKeysAndBadValuesNameTheKeyAndWhereTheyCameFrom() throws Exception {
    Path typo = file("typo.yaml", "lake:\n  rooot: /x\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(typo, Map.of(), Map.of()));
    assertEquals(typo + ", line 2: unknown key 'lake.rooot'; valid keys there are [root]", e.getMessage());

    Path badProfile = file("p.yaml", "profile: cloud\n");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(badProfile, Map.of(), Map.of()));
    assertEquals(badProfile + ": profile 'cloud' is not defined under spark.profiles; known profiles: local, yarn", e.getMessage());

    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("TRIBUTARY_LAKE_RUT", "/x"), Map.of()));
    assertTrue(e.getMessage().startsWith("environment variable TRIBUTARY_LAKE_RUT does not name a setting"), e.getMessage());

    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(), Map.of("lake.root", " ")));
    assertTrue(e.getMessage().startsWith("command-line setting lake.root: lake.root must not be empty"), e.getMessage());

    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(tmp.resolve("missing.yaml"), Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("missing.yaml does not exist"), e.getMessage());
  }

  @Test
  void pipelineFilesAreValidatedAgainstTheirSchema() throws Exception {
    Path ok = file("ok.yaml", """
        name: sensors
        source: {kafka: {bootstrapServers: "127.0.0.1:9092", topics: [s], options: {kafka.sasl.jaas.config: "secret!"}}}
        schema: id STRING, ts TIMESTAMP, v DOUBLE
        eventId: id
        eventTime: ts
        """);
    PipelineConfig p = PipelineLoader.load(ok);
    assertEquals("id STRING,ts TIMESTAMP,v DOUBLE", p.schemaDdl());
    assertEquals(java.util.List.of("event_date"), p.partitionBy());
    String printed = Yaml.toMaskedYaml(p);
    assertTrue(printed.contains("kafka.sasl.jaas.config: '****'") || printed.contains("kafka.sasl.jaas.config: \"****\""), printed);
    assertFalse(printed.contains("secret!"), printed);

    Path badTime = file("bad.yaml", "name: s\nsource: {directory: {path: /x}}\nschema: id STRING, ts STRING\neventId: id\neventTime: ts\n");
    ConfigException e = assertThrows(ConfigException.class, () -> PipelineLoader.load(badTime));
    assertEquals(badTime + ", line 5: eventTime field 'ts' must be TIMESTAMP, not STRING", e.getMessage());

    Path noField = file("nf.yaml", "name: s\nsource: {directory: {path: /x}}\nschema: id STRING, ts TIMESTAMP\neventId: uuid\neventTime: ts\n");
    e = assertThrows(ConfigException.class, () -> PipelineLoader.load(noField));
    assertEquals(noField + ", line 4: eventId 'uuid' is not a field of the schema; fields: [id, ts]", e.getMessage());

    Path reserved = file("r.yaml", "name: s\nsource: {directory: {path: /x}}\nschema: id STRING, ts TIMESTAMP, _x INT\neventId: id\neventTime: ts\n");
    e = assertThrows(ConfigException.class, () -> PipelineLoader.load(reserved));
    assertTrue(e.getMessage().contains("schema field '_x' starts with '_'"), e.getMessage());

    Path eventDate = file("ed.yaml", "name: s\nsource: {directory: {path: /x}}\nschema: id STRING, ts TIMESTAMP, event_date DATE\neventId: id\neventTime: ts\n");
    e = assertThrows(ConfigException.class, () -> PipelineLoader.load(eventDate));
    assertTrue(e.getMessage().contains("schema field 'event_date' is reserved"), e.getMessage());

    Path trigger = file("tr.yaml", "name: s\nsource: {directory: {path: /x}}\nschema: id STRING, ts TIMESTAMP\neventId: id\neventTime: ts\ntrigger: {interval: 10s}\n");
    e = assertThrows(ConfigException.class, () -> PipelineLoader.load(trigger));
    assertEquals(trigger + ", line 6: trigger.interval '10s' is not an interval like '10 seconds' or '1 minute'", e.getMessage());

    Path twoSources = file("two.yaml", "name: s\nsource: {directory: {path: /x}, kafka: {bootstrapServers: h, topics: [t]}}\n"
        + "schema: id STRING, ts TIMESTAMP\neventId: id\neventTime: ts\n");
    e = assertThrows(ConfigException.class, () -> PipelineLoader.load(twoSources));
    assertEquals(twoSources + ", line 2: source needs exactly one of 'kafka' or 'directory'", e.getMessage());
  }

  @Test
  void schemaRuleAndYamlMistakesNameTheFileLineAndFix() throws Exception {
    Path money = file("money.yaml", "name: s\nsource: {directory: {path: /x}}\n\nschema: id STRING, ts TIMESTAMP, price MONEY\n"
        + "eventId: id\neventTime: ts\n");
    ConfigException e = assertThrows(ConfigException.class, () -> PipelineLoader.load(money));
    assertEquals(money + ", line 4: schema does not parse: Unsupported data type \"MONEY\" (at character 32); use Spark SQL "
        + "types such as STRING, BIGINT, DOUBLE, DECIMAL(10,2), BOOLEAN, DATE, TIMESTAMP", e.getMessage());

    Path rule = file("rule.yaml", "name: s\nsource: {directory: {path: /x}}\nschema: id STRING, ts TIMESTAMP, price INT\n"
        + "eventId: id\neventTime: ts\nrules:\n  - {id: ok, expr: price > 0}\n  - id: broken\n    expr: price >=\n");
    e = assertThrows(ConfigException.class, () -> PipelineLoader.load(rule));
    assertTrue(e.getMessage().startsWith(rule + ", line 9: rule 'broken': 'price >=' does not parse: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("; write a Spark SQL condition such as 'price >= 0'"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());

    Path malformed = file("malformed.yaml", "name: s\nsource: {directory: {path: /x}\nschema: id STRING\n");
    e = assertThrows(ConfigException.class, () -> PipelineLoader.load(malformed));
    assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(malformed.toString())
        + ", line 2, column \\d+: invalid YAML: .+; fix the syntax there \\(indent with spaces, close brackets and quotes\\)"),
        e.getMessage());

    Path badValue = file("bv.yaml", "lake:\n  root: /x\nspark:\n  profiles:\n    local:\n      master: local[2]\n"
        + "      conf: [1, 2]\n");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(badValue, Map.of(), Map.of()));
    assertTrue(e.getMessage().startsWith(badValue + ", line 7: invalid value for 'spark.profiles.local.conf'"), e.getMessage());
  }

  @Test
  void theShippedConfigurationLoads() {
    Path conf = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "conf");
    TributaryConfig c = ConfigLoader.load(conf.resolve("tributary.yaml"), Map.of(), Map.of());
    PipelineConfig clickstream = PipelineLoader.find(c.pipelinesPath(), "clickstream");
    assertEquals("event_id", clickstream.eventId());
    assertEquals(4, clickstream.rules().size());
  }
}
