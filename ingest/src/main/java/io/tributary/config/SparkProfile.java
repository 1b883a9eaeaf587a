package io.tributary.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * How Spark runs under one profile ({@code local}, {@code yarn}, ...).
 *
 * @param master the Spark master; ignored when the application runs under spark-submit, which sets its own
 * @param deployMode {@code client} or {@code cluster}; only used when building a spark-submit command
 * @param conf Spark settings applied to the session (and passed as --conf to spark-submit)
 * @param principal Kerberos principal for spark-submit's {@code --principal} (with {@code keytab}), so a
 *     long-running application renews its own delegation tokens; unset on clusters without Kerberos
 * @param keytab the principal's keytab on the submitting machine, for {@code --keytab}; the two go together,
 *     which the submission checks (a layer of the configuration may set one and a later layer the other)
 */
public record SparkProfile(String master, String deployMode, Map<String, String> conf, String principal, String keytab) {
  public SparkProfile {
    if (master == null || master.isBlank()) {
      throw new ConfigException("spark.profiles.<name>.master must be set, e.g. local[2] or yarn");
    }
    if (deployMode != null && !deployMode.equals("client") && !deployMode.equals("cluster")) {
      throw new ConfigException("deployMode must be client or cluster, not '" + deployMode + "'");
    }
    principal = blankToNull(principal);
    keytab = blankToNull(keytab);
    conf = java.util.Collections.unmodifiableMap(new TreeMap<>(conf == null ? Map.of() : conf));
  }

  /** A profile without Kerberos settings. */
  public SparkProfile(String master, String deployMode, Map<String, String> conf) {
    this(master, deployMode, conf, null, null);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isLocal() {
    return master.startsWith("local");
  }

  /** Whether spark-submit runs the driver on the cluster (YARN's default deploy mode is client). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isClusterMode() {
    return "cluster".equals(deployMode);
  }
}
