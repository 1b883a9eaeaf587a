package io.tributary.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The variables `tributary connect` and the notebook scripts read are not configuration keys: a user who sets the
 * connect token, or runs scripts/test with the notebook step skipped, must still be able to run every command.
 */
class ScriptVariablesTest {
  @Test
  void connectAndNotebookVariablesAreNotReadAsSettings() {
    Map<String, String> env = Map.of("TRIBUTARY_CONNECT_TOKEN", "secret", "TRIBUTARY_CONNECT_URL", "sc://127.0.0.1:15002",
        "TRIBUTARY_CONNECT_PORT", "15003", "TRIBUTARY_VENV", "/opt/venv", "TRIBUTARY_SKIP_NOTEBOOKS", "1",
        "TRIBUTARY_GROUND_TRUTH", "/tmp/truth.json", "TRIBUTARY_CONNECT_WAIT", "60",
        "TRIBUTARY_LAKE_ROOT", "/from/env");
    assertEquals("/from/env", ConfigLoader.load(null, env, Map.of()).lake().root());
    // Any other unknown TRIBUTARY_ variable is still a mistake named as such.
    assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("TRIBUTARY_CONECT_TOKEN", "x"), Map.of()));
  }
}
