package io.tributary.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkProfileTest {
  @Test
  void kerberosSettingsBindFromYamlAndBlankMeansUnset() throws Exception {
    SparkProfile p = Yaml.bind(Yaml.MAPPER.readTree("master: yarn\ndeployMode: cluster\nprincipal: etl@EXAMPLE.COM\n"
        + "keytab: /etc/security/etl.keytab\nconf: {spark.executor.cores: '2'}\n"), SparkProfile.class, "t.yaml");
    assertEquals("etl@EXAMPLE.COM", p.principal());
    assertEquals("/etc/security/etl.keytab", p.keytab());
    assertTrue(p.isClusterMode());
    assertEquals(Map.of("spark.executor.cores", "2"), p.conf());

    SparkProfile none = new SparkProfile("yarn", "client", Map.of(), " ", "");
    assertNull(none.principal());
    assertNull(none.keytab());
    assertFalse(none.isClusterMode());
  }

  @Test
  void deployModeIsClientOrCluster() {
    ConfigException e = assertThrows(ConfigException.class, () -> new SparkProfile("yarn", "remote", Map.of()));
    assertEquals("deployMode must be client or cluster, not 'remote'", e.getMessage());
  }
}
