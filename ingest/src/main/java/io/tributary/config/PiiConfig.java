package io.tributary.config;

import java.util.List;

/**
 * Fields that identify a person and reach silver only pseudonymised: each value becomes the hex HMAC-SHA256 of
 * the value under a secret key, so equal values stay equal (joins and counts still work) but cannot be read back.
 * The key is never in a configuration file: it comes from an environment variable of the process that runs the
 * driver, or from a Hadoop credential provider (the way to pass it on a cluster).
 *
 * @param columns STRING fields of the schema to pseudonymise
 * @param keyEnv environment variable holding the key (default {@code TRIBUTARY_PII_KEY})
 * @param keyAlias alias of the key in the Hadoop credential providers ({@code hadoop.security.credential.provider.path});
 *     tried before {@code keyEnv} when set
 */
public record PiiConfig(List<String> columns, String keyEnv, String keyAlias) {
  public static final String DEFAULT_KEY_ENV = "TRIBUTARY_PII_KEY";

  public PiiConfig {
    columns = columns == null ? List.of() : List.copyOf(columns);
    keyEnv = keyEnv == null || keyEnv.isBlank() ? DEFAULT_KEY_ENV : keyEnv.trim();
    if (!keyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new ConfigException("pii.keyEnv must name an environment variable, not '" + keyEnv + "'");
    }
    // Other TRIBUTARY_* variables are configuration settings, which the loader would refuse as unknown keys.
    if (keyEnv.startsWith("TRIBUTARY_") && !keyEnv.equals(DEFAULT_KEY_ENV)) {
      throw new ConfigException("pii.keyEnv '" + keyEnv + "' starts with TRIBUTARY_, which names configuration "
          + "settings; use " + DEFAULT_KEY_ENV + " or a name of your own such as CLICKSTREAM_PII_KEY");
    }
  }

  public static PiiConfig none() {
    return new PiiConfig(null, null, null);
  }
}
