package io.tributary.parse;

import static org.apache.spark.sql.functions.expr;

import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.config.RuleConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Applies a pipeline's quality rules to parsed rows: a rule that is false or null for a row appends
 * (rule id, message) to its {@link EventParser#ERRORS}. Rows that failed parsing are not checked further,
 * so their errors say what actually went wrong.
 */
public final class RuleChecker {
  private RuleChecker() {}

  public static Dataset<Row> apply(Dataset<Row> parsed, PipelineConfig pipeline) {
    if (pipeline.rules().isEmpty()) {
      return parsed;
    }
    List<String> checks = new ArrayList<>();
    for (RuleConfig r : pipeline.rules()) {
      checks.add("CASE WHEN coalesce((" + r.expr() + "), false) THEN NULL ELSE named_struct('rule', '" + sql(r.id())
          + "', 'message', '" + sql(r.message()) + "') END");
    }
    String ruleErrors = "filter(array(" + String.join(", ", checks) + "), e -> e IS NOT NULL)";
    String e = EventParser.ERRORS;
    return parsed.withColumn(e, expr("CASE WHEN size(" + e + ") > 0 THEN " + e + " ELSE " + ruleErrors + " END"));
  }

  /**
   * Fails fast, naming the rule, when an expression does not compile against the schema or is not a condition.
   * It checks the exact expression {@link #apply} evaluates.
   */
  public static void validate(SparkSession spark, PipelineConfig pipeline) {
    StructType schema = StructType.fromDDL(pipeline.schemaDdl());
    Dataset<Row> empty = spark.createDataFrame(List.of(), schema);
    for (RuleConfig r : pipeline.rules()) {
      org.apache.spark.sql.types.DataType type;
      try {
        type = empty.selectExpr("(" + r.expr() + ")").schema().fields()[0].dataType();
      } catch (Exception ex) {
        throw new ConfigException("pipeline " + pipeline.name() + ": rule '" + r.id() + "' expression '" + r.expr()
            + "' is invalid: " + ex.getMessage().lines().findFirst().orElse(""));
      }
      if (!type.equals(org.apache.spark.sql.types.DataTypes.BooleanType)) {
        throw new ConfigException("pipeline " + pipeline.name() + ": rule '" + r.id() + "' expression '" + r.expr()
            + "' is " + type.sql() + ", not a condition; write a comparison such as 'quantity > 0'");
      }
    }
  }

  private static String sql(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }
}
