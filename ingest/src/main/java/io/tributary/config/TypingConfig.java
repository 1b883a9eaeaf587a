package io.tributary.config;

import java.util.List;
import java.util.Locale;

/**
 * How strictly a record's values must match the declared schema.
 *
 * <p>{@code strict} (the default): a value must already be of its declared type. A string where a number,
 * boolean or timestamp is declared, a number where a string or timestamp is declared, an object or array where a
 * scalar is declared, or a decimal with more fractional digits than its scale sends the record to quarantine
 * (rule {@code type}) with a reason naming the field. {@code lenient} accepts Spark's documented coercions
 * (quoted numbers and booleans, numbers as text, epoch seconds as timestamps, decimals rounded half-up to their
 * scale), and records each one as a warning on the row ({@code _warnings} in silver) and in ops.
 *
 * @param mode {@code strict} (default) or {@code lenient}, for every field
 * @param lenient fields that are lenient even when the mode is strict
 */
public record TypingConfig(String mode, List<String> lenient) {
  public TypingConfig {
    mode = mode == null ? "strict" : mode.trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("strict") && !mode.equals("lenient")) {
      throw new ConfigException("typing.mode must be strict or lenient, not '" + mode + "'");
    }
    lenient = lenient == null ? List.of() : List.copyOf(lenient);
  }

  public static TypingConfig defaults() {
    return new TypingConfig(null, null);
  }

  /** Whether {@code field} accepts coercions. */
  public boolean isLenient(String field) {
    return mode.equals("lenient") || lenient.contains(field);
  }

  /** Whether any field may be coerced, so silver carries {@code _warnings}. */
  public boolean anyLenient() {
    return mode.equals("lenient") || !lenient.isEmpty();
  }
}
