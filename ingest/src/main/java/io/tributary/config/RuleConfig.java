package io.tributary.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A quality rule of a pipeline: exactly one check, and what to do with a record that fails it.
 *
 * <p>Checks: {@code expr} (a Spark SQL condition; false or null fails), {@code notNull} (a field),
 * {@code range} ({@code field}, {@code min} and/or {@code max}, inclusive), {@code allowed} ({@code field},
 * {@code values}), {@code regex} ({@code field}, {@code pattern}, Java syntax, matched anywhere unless anchored),
 * {@code unique} (a field whose value may appear once per micro-batch; later records in source order fail),
 * {@code eventTimeSkew} ({@code future} and/or {@code past}: how far the event time may lie from the time of
 * ingestion, as Spark intervals such as {@code 1 hour}), {@code maxPayloadBytes} and {@code maxDepth} (of the
 * record as received). Every check but {@code expr} and {@code notNull} passes a null value: pair it with
 * {@code notNull} when the field is required.
 *
 * @param id short stable identifier recorded with each failure, e.g. {@code price_non_negative}
 * @param message explanation recorded with each failure; by default one naming the field and its value
 * @param action {@code quarantine} (default: the record goes to quarantine), {@code warn} (the record lands in
 *     silver with the failure in its {@code _warnings}) or {@code fail} (the pipeline stops before landing
 *     anything of the batch, naming the rule and a failing record)
 */
public record RuleConfig(String id, String expr, String notNull, Range range, Allowed allowed, Regex regex,
    String unique, Skew eventTimeSkew, Long maxPayloadBytes, Integer maxDepth, String message, String action) {

  /** Inclusive bounds, as literals of the field's type ({@code 0}, {@code 9.99}, {@code 2020-01-01}). */
  public record Range(String field, String min, String max) {
    public Range {
      if (field == null || (min == null && max == null)) {
        throw new ConfigException("range needs 'field' and at least one of 'min' and 'max'");
      }
    }
  }

  public record Allowed(String field, List<String> values) {
    public Allowed {
      if (field == null || values == null || values.isEmpty()) {
        throw new ConfigException("allowed needs 'field' and a non-empty list of 'values'");
      }
      values = List.copyOf(values);
    }
  }

  public record Regex(String field, String pattern) {
    public Regex {
      if (field == null || pattern == null) {
        throw new ConfigException("regex needs 'field' and 'pattern'");
      }
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new ConfigException("regex pattern '" + pattern + "' is invalid: " + e.getDescription());
      }
    }
  }

  /** Spark intervals ({@code 10 minutes}, {@code 30 days}). */
  public record Skew(String future, String past) {
    public Skew {
      if (future == null && past == null) {
        throw new ConfigException("eventTimeSkew needs 'future' and/or 'past' (Spark intervals, e.g. 1 hour)");
      }
      for (String i : new String[] {future, past}) {
        if (i != null && !i.trim().matches("(?i)\\d+\\s+(second|minute|hour|day|week|month|year)s?")) {
          throw new ConfigException("eventTimeSkew interval '" + i + "' must be a number and a unit, like '1 hour' or '30 days'");
        }
      }
    }
  }

  public RuleConfig {
    if (id == null || id.isBlank() || !id.matches("[A-Za-z0-9_.-]+")) {
      throw new ConfigException("each rule needs an 'id' of letters, digits, '_', '.' or '-', not '" + id + "'");
    }
    List<String> checks = new ArrayList<>();
    if (expr != null) {
      checks.add("expr");
    }
    if (notNull != null) {
      checks.add("notNull");
    }
    if (range != null) {
      checks.add("range");
    }
    if (allowed != null) {
      checks.add("allowed");
    }
    if (regex != null) {
      checks.add("regex");
    }
    if (unique != null) {
      checks.add("unique");
    }
    if (eventTimeSkew != null) {
      checks.add("eventTimeSkew");
    }
    if (maxPayloadBytes != null) {
      checks.add("maxPayloadBytes");
    }
    if (maxDepth != null) {
      checks.add("maxDepth");
    }
    if (checks.size() != 1) {
      throw new ConfigException("rule '" + id + "' needs exactly one check of expr, notNull, range, allowed, regex, "
          + "unique, eventTimeSkew, maxPayloadBytes, maxDepth" + (checks.isEmpty() ? "" : "; it has " + checks));
    }
    if (expr != null && expr.isBlank()) {
      throw new ConfigException("rule '" + id + "' has an empty 'expr'");
    }
    if ((maxPayloadBytes != null && maxPayloadBytes <= 0) || (maxDepth != null && maxDepth <= 0)) {
      throw new ConfigException("rule '" + id + "': maxPayloadBytes and maxDepth must be positive");
    }
    action = action == null ? "quarantine" : action.trim().toLowerCase(Locale.ROOT);
    if (!List.of("quarantine", "warn", "fail").contains(action)) {
      throw new ConfigException("rule '" + id + "': action must be quarantine, warn or fail, not '" + action + "'");
    }
  }

  /** The schema field the check reads, or null ({@code expr}, payload and skew checks). */
  public String field() {
    return notNull != null ? notNull : range != null ? range.field() : allowed != null ? allowed.field()
        : regex != null ? regex.field() : unique;
  }

  public boolean warns() {
    return action.equals("warn");
  }

  public boolean fails() {
    return action.equals("fail");
  }
}
