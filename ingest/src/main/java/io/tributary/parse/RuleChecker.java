package io.tributary.parse;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.named_struct;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.config.RuleConfig;
import io.tributary.source.RawColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Applies a pipeline's quality rules ({@link RuleConfig}) to parsed rows. A failed rule whose action is
 * {@code quarantine} or {@code fail} appends (rule id, message) to the row's {@link EventParser#ERRORS}; one whose
 * action is {@code warn} appends it to {@link EventParser#WARNINGS}. Rows that failed parsing or the typing
 * contract are not checked further, so their errors say what actually went wrong. The lander stops the pipeline
 * when a {@code fail} rule failed ({@link #failingRules}).
 */
public final class RuleChecker {
  private RuleChecker() {}

  public static Dataset<Row> apply(Dataset<Row> parsed, PipelineConfig pipeline) {
    if (pipeline.rules().isEmpty()) {
      return parsed;
    }
    StructType schema = StructType.fromDDL(pipeline.schemaDdl());
    Dataset<Row> d = parsed;
    String order = List.of(parsed.columns()).contains(RawColumns.ROW) ? RawColumns.ROW : RawColumns.OFFSET;
    for (RuleConfig r : pipeline.rules()) {
      if (r.unique() != null) {
        d = d.withColumn(uniqueColumn(r), expr("row_number() OVER (PARTITION BY `" + r.unique() + "` ORDER BY `" + order + "`)"));
      }
    }
    Column clean = size(col(EventParser.ERRORS)).equalTo(0);
    Column warnings = failures(pipeline, schema, RuleConfig::warns);
    Column errors = failures(pipeline, schema, r -> !r.warns());
    d = d.withColumn(EventParser.WARNINGS, when(clean, concat(col(EventParser.WARNINGS), warnings))
            .otherwise(col(EventParser.WARNINGS)))
        .withColumn(EventParser.ERRORS, when(clean, errors).otherwise(col(EventParser.ERRORS)));
    for (RuleConfig r : pipeline.rules()) {
      if (r.unique() != null) {
        d = d.drop(uniqueColumn(r));
      }
    }
    return d;
  }

  /** The ids of {@code fail} rules: a batch with a record failing one of them must not land. */
  public static List<String> failingRules(PipelineConfig pipeline) {
    return pipeline.rules().stream().filter(RuleConfig::fails).map(RuleConfig::id).toList();
  }

  /** The (rule, message) of every selected rule a row fails, as an array. */
  private static Column failures(PipelineConfig p, StructType schema, Predicate<RuleConfig> selected) {
    List<Column> checks = new ArrayList<>();
    for (RuleConfig r : p.rules()) {
      if (selected.test(r)) {
        checks.add(when(not(condition(r, p, schema)),
            named_struct(lit("rule"), lit(r.id()), lit("message"), message(r, p, schema))));
      }
    }
    if (checks.isEmpty()) {
      return expr(CsvContract.EMPTY);
    }
    return filter(org.apache.spark.sql.functions.array(checks.toArray(Column[]::new)), Column::isNotNull);
  }

  /** True when the row passes; never null. */
  static Column condition(RuleConfig r, PipelineConfig p, StructType schema) {
    if (r.expr() != null) {
      return coalesce(expr("(" + r.expr() + ")"), lit(false));
    }
    if (r.notNull() != null) {
      return col(r.notNull()).isNotNull();
    }
    Column pass;
    if (r.range() != null) {
      Column v = col(r.range().field());
      DataType t = schema.apply(r.range().field()).dataType();
      Column lo = r.range().min() == null ? lit(true) : v.geq(lit(r.range().min()).cast(t));
      Column hi = r.range().max() == null ? lit(true) : v.leq(lit(r.range().max()).cast(t));
      pass = lo.and(hi);
    } else if (r.allowed() != null) {
      DataType t = schema.apply(r.allowed().field()).dataType();
      pass = col(r.allowed().field()).isin(r.allowed().values().stream().map(x -> lit(x).cast(t)).toArray());
    } else if (r.regex() != null) {
      pass = col(r.regex().field()).cast(DataTypes.StringType).rlike(r.regex().pattern());
    } else if (r.unique() != null) {
      pass = col(r.unique()).isNull().or(col(uniqueColumn(r)).equalTo(1));
    } else if (r.eventTimeSkew() != null) {
      Column t = col(p.eventTime());
      Column future = r.eventTimeSkew().future() == null ? lit(true)
          : t.leq(expr("current_timestamp() + INTERVAL " + r.eventTimeSkew().future()));
      Column past = r.eventTimeSkew().past() == null ? lit(true)
          : t.geq(expr("current_timestamp() - INTERVAL " + r.eventTimeSkew().past()));
      pass = future.and(past);
    } else if (r.maxPayloadBytes() != null) {
      pass = octet_length(col(RawColumns.PAYLOAD)).leq(r.maxPayloadBytes());
    } else {
      pass = col(EventParser.DEPTH).leq(r.maxDepth());
    }
    return coalesce(pass, lit(true));
  }

  /** The configured message, or one naming the field and its value. */
  private static Column message(RuleConfig r, PipelineConfig p, StructType schema) {
    if (r.message() != null) {
      return lit(r.message());
    }
    if (r.expr() != null) {
      return lit("rule " + r.id() + " failed: " + r.expr());
    }
    if (r.notNull() != null) {
      return lit(r.notNull() + " is null");
    }
    if (r.range() != null) {
      return concat(lit(r.range().field() + " "), shown(r.range().field()), lit(" is outside ["
          + (r.range().min() == null ? "" : r.range().min()) + ", " + (r.range().max() == null ? "" : r.range().max()) + "]"));
    }
    if (r.allowed() != null) {
      return concat(lit(r.allowed().field() + " '"), shown(r.allowed().field()),
          lit("' is not one of " + String.join(", ", r.allowed().values())));
    }
    if (r.regex() != null) {
      return concat(lit(r.regex().field() + " '"), shown(r.regex().field()), lit("' does not match " + r.regex().pattern()));
    }
    if (r.unique() != null) {
      return concat(lit(r.unique() + " '"), shown(r.unique()), lit("' appeared earlier in the same batch"));
    }
    if (r.eventTimeSkew() != null) {
      String t = p.eventTime();
      Column value = shown(t);
      Column tooNew = r.eventTimeSkew().future() == null ? lit(false)
          : col(t).gt(expr("current_timestamp() + INTERVAL " + r.eventTimeSkew().future()));
      return when(tooNew, concat(lit(t + " "), value, lit(" is more than " + r.eventTimeSkew().future() + " after ingestion")))
          .otherwise(concat(lit(t + " "), value, lit(" is more than " + r.eventTimeSkew().past() + " before ingestion")));
    }
    if (r.maxPayloadBytes() != null) {
      return concat(lit("the record is "), octet_length(col(RawColumns.PAYLOAD)).cast("string"),
          lit(" bytes, more than " + r.maxPayloadBytes()));
    }
    return concat(lit("the record nests "), col(EventParser.DEPTH).cast("string"), lit(" levels deep, more than " + r.maxDepth()));
  }

  private static Column shown(String field) {
    return coalesce(org.apache.spark.sql.functions.substring(col(field).cast(DataTypes.StringType), 1, 60), lit("null"));
  }

  private static String uniqueColumn(RuleConfig r) {
    return "_unique_" + r.id().replaceAll("[^A-Za-z0-9_]", "_");
  }

  /**
   * Fails fast, naming the rule, when a check does not compile against the schema (a free expression, a bound
   * that is not a literal of the field's type, ...) or an expression is not a condition. It evaluates the exact
   * columns {@link #apply} evaluates, on an empty batch.
   */
  public static void validate(SparkSession spark, PipelineConfig pipeline) {
    StructType schema = StructType.fromDDL(pipeline.schemaDdl());
    StructType columns = schema.add(RawColumns.PAYLOAD, DataTypes.StringType).add(RawColumns.OFFSET, DataTypes.LongType)
        .add(EventParser.DEPTH, DataTypes.IntegerType);
    // One row of nulls: evaluating the rules on it folds their literals, so a bound that is not a value of the
    // field's type fails here rather than in the first batch.
    Dataset<Row> empty = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(new Object[columns.size()])), columns);
    for (RuleConfig r : pipeline.rules()) {
      if (r.expr() != null) {
        DataType type;
        try {
          type = empty.selectExpr("(" + r.expr() + ")").schema().fields()[0].dataType();
        } catch (Exception ex) {
          throw new ConfigException("pipeline " + pipeline.name() + ": rule '" + r.id() + "' expression '" + r.expr()
              + "' is invalid: " + ex.getMessage().lines().findFirst().orElse(""));
        }
        if (!type.equals(DataTypes.BooleanType)) {
          throw new ConfigException("pipeline " + pipeline.name() + ": rule '" + r.id() + "' expression '" + r.expr()
              + "' is " + type.sql() + ", not a condition; write a comparison such as 'quantity > 0'");
        }
      }
      Dataset<Row> one = empty;
      if (r.unique() != null) {
        one = one.withColumn(uniqueColumn(r), lit(1));
      }
      List<Column> evaluated = new ArrayList<>(List.of(condition(r, pipeline, schema), message(r, pipeline, schema)));
      // Bounds and values on their own: next to a null field Spark would fold the comparison without casting them.
      if (r.range() != null) {
        DataType t = schema.apply(r.range().field()).dataType();
        for (String bound : new String[] {r.range().min(), r.range().max()}) {
          if (bound != null) {
            evaluated.add(lit(bound).cast(t));
          }
        }
      }
      if (r.allowed() != null) {
        DataType t = schema.apply(r.allowed().field()).dataType();
        r.allowed().values().forEach(v -> evaluated.add(lit(v).cast(t)));
      }
      try {
        one.select(evaluated.toArray(Column[]::new)).collectAsList();
      } catch (Exception ex) {
        throw new ConfigException("pipeline " + pipeline.name() + ": rule '" + r.id() + "' is invalid: "
            + String.valueOf(ex.getMessage()).lines().findFirst().orElse(""));
      }
    }
  }
}
