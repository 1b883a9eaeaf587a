package io.tributary.config;

import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.types.StructType;

/**
 * Checks Spark SQL text from configuration with Spark's own parser classes, which need no SparkSession, so a
 * mistake is reported before a cluster starts. Errors are one line: Spark's reason without its error-class
 * tag, and the position in the text.
 */
public final class SparkSyntax {
  private static final Pattern POSITION = Pattern.compile("\\(line (\\d+), pos(?:ition)? (\\d+)\\)");

  private SparkSyntax() {}

  /** Parses a DDL schema ({@code id STRING, price DECIMAL(10,2)}); {@code where} (asked only on error) prefixes the error. */
  public static StructType schema(String ddl, Supplier<String> where) {
    try {
      return StructType.fromDDL(ddl);
    } catch (Exception e) { // Spark's ParseException is a checked exception thrown from Scala
      throw new ConfigException(where.get() + ": schema does not parse: " + reason(e) + "; use Spark SQL types such as "
          + "STRING, BIGINT, DOUBLE, DECIMAL(10,2), BOOLEAN, DATE, TIMESTAMP", e);
    }
  }

  /** Parses a SQL expression; it is resolved against the schema later, when Spark runs it. */
  public static void expression(String expr, Supplier<String> where) {
    try {
      CatalystSqlParser$.MODULE$.parseExpression(expr);
    } catch (Exception e) {
      throw new ConfigException(where.get() + ": '" + expr + "' does not parse: " + reason(e)
          + "; write a Spark SQL condition such as 'price >= 0'", e);
    }
  }

  /** Spark's first meaningful line without {@code [ERROR_CLASS]} and {@code SQLSTATE}, plus where in the text. */
  static String reason(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String first = message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    first = POSITION.matcher(first.replaceFirst("^\\[[A-Z_.]+\\]\\s*", "").replaceFirst("\\s*SQLSTATE: \\w+", ""))
        .replaceAll("").strip();
    first = first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
    Matcher m = POSITION.matcher(message);
    // Spark counts positions from 0; people count characters from 1.
    return m.find() ? first + " (at character " + (Integer.parseInt(m.group(2)) + 1) + ")" : first;
  }
}
