package io.tributary.config;

/**
 * A quality rule: a Spark SQL boolean expression over the parsed event that must hold; events for which it
 * is false or null go to quarantine with this rule's id and message.
 *
 * @param id short stable identifier recorded in quarantine, e.g. {@code price_non_negative}
 * @param expr Spark SQL expression, e.g. {@code price >= 0}
 * @param message human explanation recorded with each failure
 */
public record RuleConfig(String id, String expr, String message) {
  public RuleConfig {
    if (id == null || id.isBlank() || expr == null || expr.isBlank()) {
      throw new ConfigException("each rule needs an 'id' and an 'expr'");
    }
    message = message == null ? "rule " + id + " failed: " + expr : message;
  }
}
