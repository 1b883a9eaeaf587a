package io.tributary.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.layout.LakeLayout;
import io.tributary.maintain.Erasure;
import io.tributary.testing.TestSpark;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PII fields reach silver only as keyed HMACs (checked against an HMAC computed here), the key comes from a real
 * Hadoop credential provider and appears in no log line; a missing key stops the pipeline with what to do; erasure
 * removes a person's records from every table.
 */
class PiiTest {
  private static final String KEY = "k3y-that-must-never-be-printed-7f1c";
  private final SparkSession spark = TestSpark.get();

  @TempDir Path tmp;

  @AfterEach
  void forgetProvider() {
    spark.sparkContext().hadoopConfiguration().unset(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH);
  }

  private PipelineConfig pipeline(Path landing, String pii) throws IOException {
    Path file = tmp.resolve("meters.yaml");
    Files.writeString(file, """
        name: meters
        source: {directory: {path: %s}}
        schema: id STRING, at TIMESTAMP, user STRING, kwh DOUBLE
        eventId: id
        eventTime: at
        rules:
          - {id: user_shape, regex: {field: user, pattern: '^u[0-9]+$'}}
        pii: %s
        """.formatted(landing, pii));
    return PipelineLoader.load(file);
  }

  private static String hmac(String value) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void piiIsPseudonymisedWithAKeyThatNeverShowsAndCanBeErased() throws Exception {
    String providerPath = "jceks://file" + tmp.resolve("keys.jceks");
    Configuration keys = new Configuration(false);
    keys.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, providerPath);
    CredentialProvider provider = CredentialProviderFactory.getProviders(keys).get(0);
    provider.createCredentialEntry("meters.pii", KEY.toCharArray());
    provider.flush();

    Path landing = Files.createDirectories(tmp.resolve("landing"));
    LakeLayout layout = new LakeLayout(tmp.resolve("lake").toString());
    PipelineConfig missing = pipeline(landing, "{columns: [user], keyEnv: METERS_TEST_NO_SUCH_KEY}");
    ConfigException e = assertThrows(ConfigException.class, () -> new IngestRunner(spark, layout, m -> { }).start(missing, true));
    assertEquals("pipeline meters pseudonymises [user] but the key is missing: set environment variable "
        + "METERS_TEST_NO_SUCH_KEY to a long random secret, e.g. `export METERS_TEST_NO_SUCH_KEY=$(openssl rand -hex 32)`, "
        + "and keep it: a new key gives every person a new pseudonym", e.getMessage());

    spark.sparkContext().hadoopConfiguration().set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, providerPath);
    PipelineConfig p = pipeline(landing, "{columns: [user], keyAlias: meters.pii}");
    Path file = landing.resolve(".a.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"id\":\"r1\",\"at\":\"2026-03-02T10:00:00Z\",\"user\":\"u1\",\"kwh\":1}",
        "{\"id\":\"r2\",\"at\":\"2026-03-02T11:00:00Z\",\"user\":\"u1\",\"kwh\":2}",
        "{\"id\":\"r3\",\"at\":\"2026-03-02T12:00:00Z\",\"user\":\"u2\",\"kwh\":3}",
        "{\"id\":\"r4\",\"at\":\"2026-03-02T13:00:00Z\",\"user\":\"x1\",\"kwh\":4}") + "\n");
    Files.move(file, landing.resolve("a.jsonl"), StandardCopyOption.ATOMIC_MOVE);

    StringWriter logs = new StringWriter();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    WriterAppender capture = WriterAppender.createAppender(PatternLayout.createDefaultLayout(ctx.getConfiguration()), null,
        logs, "pii-capture", false, true);
    capture.start();
    ctx.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
    ctx.updateLoggers();
    try {
      new IngestRunner(spark, layout, m -> { }).start(p, true).awaitTermination();
    } finally {
      ctx.getConfiguration().getRootLogger().removeAppender("pii-capture");
      ctx.updateLoggers();
    }

    Map<String, String> users = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(layout.silver(p)).selectExpr("id", "user").collectAsList()) {
      users.put(r.getString(0), r.getString(1));
    }
    assertEquals(Map.of("r1", hmac("u1"), "r2", hmac("u1"), "r3", hmac("u2")), users, "rules saw the clear value; silver the HMAC");
    assertEquals("user_shape", spark.read().format("delta").load(layout.quarantine(p)).selectExpr("errors[0].rule").first().getString(0));
    assertTrue(logs.toString().contains("meters batch 0"), "the capture saw the ingest's log lines: " + logs);
    assertFalse(logs.toString().contains(KEY), "the key is in a log line");
    assertFalse(p.toString().contains(KEY));

    List<Erasure.Result> dry = Erasure.erase(spark, layout, p, "user", "u1", true);
    assertEquals(List.of(new Erasure.Result("bronze", 2), new Erasure.Result("silver", 2), new Erasure.Result("quarantine", 0)), dry);
    assertEquals(4, spark.read().format("delta").load(layout.bronze(p)).count(), "a dry run deletes nothing");
    assertEquals(dry, Erasure.erase(spark, layout, p, "user", "u1", false));
    assertEquals(List.of("r3", "r4"), spark.read().format("delta").load(layout.bronze(p))
        .selectExpr("get_json_object(payload, '$.id') AS id").orderBy("id").as(
            org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(Map.of("r3", hmac("u2")), Map.of("r3", spark.read().format("delta").load(layout.silver(p)).selectExpr("user")
        .first().getString(0)));
    assertEquals(1, spark.read().format("delta").load(layout.silver(p)).count());
  }
}
