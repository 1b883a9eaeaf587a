package io.tributary.config;

/**
 * A configuration mistake the user can fix. The message is one line that names the key, where it came
 * from (file, environment variable or flag) and what to do; the CLI prints it without a stack trace.
 */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
