package io.tributary.parse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Replaces a pipeline's PII fields ({@link io.tributary.config.PiiConfig}) by their keyed HMAC-SHA256, in hex, on
 * rows bound for silver. Rules have already seen the clear values; de-duplication hashes the pseudonyms.
 */
public final class Pseudonymizer {
  private Pseudonymizer() {}

  /** The key, read on the driver; null when the pipeline has no PII fields. Never logged or printed. */
  public static byte[] key(PipelineConfig p, Configuration hadoop) {
    if (p.pii().columns().isEmpty()) {
      return null;
    }
    String where;
    char[] secret = null;
    if (p.pii().keyAlias() != null) {
      where = "credential alias " + p.pii().keyAlias();
      try {
        secret = hadoop.getPassword(p.pii().keyAlias());
      } catch (IOException e) {
        throw new ConfigException("pipeline " + p.name() + ": cannot read the PII key from " + where + ": " + e.getMessage());
      }
    } else {
      where = "environment variable " + p.pii().keyEnv();
    }
    if (secret == null) {
      String env = System.getenv(p.pii().keyEnv());
      secret = env == null ? null : env.toCharArray();
    }
    if (secret == null || secret.length < 16) {
      throw new ConfigException("pipeline " + p.name() + " pseudonymises " + p.pii().columns() + " but the key is "
          + (secret == null ? "missing" : "shorter than 16 characters") + ": set " + where
          + (p.pii().keyAlias() != null ? " (or " + p.pii().keyEnv() + ")" : "")
          + " to a long random secret, e.g. `export " + p.pii().keyEnv() + "=$(openssl rand -hex 32)`, and keep it: "
          + "a new key gives every person a new pseudonym");
    }
    return new String(secret).getBytes(StandardCharsets.UTF_8);
  }

  /** The rows with each PII field pseudonymised; unchanged when {@code key} is null. */
  public static Dataset<Row> apply(Dataset<Row> rows, PipelineConfig p, byte[] key) {
    if (key == null) {
      return rows;
    }
    UserDefinedFunction hmac = udf(new Hmac(key), DataTypes.StringType);
    Dataset<Row> out = rows;
    for (String c : p.pii().columns()) {
      out = out.withColumn(c, hmac.apply(col(c)));
    }
    return out;
  }

  /** The pseudonym of one value, as {@link #apply} computes it (for erasure requests). */
  public static String pseudonym(byte[] key, String value) {
    return new Hmac(key).call(value);
  }

  /** HMAC-SHA256 as a Spark function; the key travels inside the serialized function only, never in a plan's text. */
  private static final class Hmac implements UDF1<String, String> {
    private static final long serialVersionUID = 1L;
    private final byte[] key;
    private transient Mac mac;

    Hmac(byte[] key) {
      this.key = key.clone();
    }

    @Override
    public String call(String value) {
      if (value == null) {
        return null;
      }
      try {
        if (mac == null) {
          mac = Mac.getInstance("HmacSHA256");
          mac.init(new SecretKeySpec(key, "HmacSHA256"));
        }
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
      }
    }

    @Override
    public String toString() {
      return "hmac";
    }
  }
}
