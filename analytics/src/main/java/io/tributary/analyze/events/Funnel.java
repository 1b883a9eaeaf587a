package io.tributary.analyze.events;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tributary.analyze.TimeGrain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * An ordered conversion funnel: how many units (sessions, or users) reach each step, where reaching step k
 * means having events of steps 1..k in that order in time (other events in between are allowed; events at
 * the same instant count in funnel order). A unit's steps are matched greedily over its time-sorted funnel
 * events, which finds the deepest step any ordered subsequence reaches.
 *
 * <p>Attribution: with {@code wholeUnit} (sessions) all of a unit's events in the range count in the window
 * its first event falls in, so a session crossing an hour boundary is not split; otherwise (users) a unit's
 * events are matched separately in every window.
 *
 * <p>Output: {@code window, window_start, window_end, funnel_key STRING, step INT (1-based),
 * step_name STRING, units BIGINT, conversion_from_previous DOUBLE, conversion_from_first DOUBLE}; a
 * conversion is null when its denominator is 0, and {@code conversion_from_previous} of step 1 is null.
 */
final class Funnel {
  private static final StructType STEP_SCHEMA = new StructType()
      .add("step", DataTypes.IntegerType, false)
      .add("step_name", DataTypes.StringType, false);

  private Funnel() {}

  static Dataset<Row> compute(Dataset<Row> events, String timeColumn, String typeColumn, String key,
      boolean wholeUnit, List<String> steps, List<TimeGrain> grains, Instant from, Instant to) {
    Column step = null;
    for (int i = 0; i < steps.size(); i++) {
      Column isStep = col(typeColumn).equalTo(lit(steps.get(i)));
      step = step == null ? when(isStep, lit(i + 1)) : step.when(isStep, lit(i + 1));
    }
    Dataset<Row> keyed = events.where(col(key).isNotNull())
        .select(col(key).as("unit"), col(timeColumn).as("t"), step.as("step"));
    Dataset<Row> funnelEvents = keyed.where(col("step").isNotNull());
    Dataset<Row> attributed;
    if (wholeUnit) {
      Dataset<Row> unitStart = keyed.groupBy("unit").agg(min("t").as("attributed_t"));
      attributed = funnelEvents.join(unitStart, "unit");
    } else {
      attributed = funnelEvents.withColumn("attributed_t", col("t"));
    }
    List<Row> stepRows = new ArrayList<>();
    Column[] reachedCounts = new Column[steps.size()];
    Column[] names = new Column[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      stepRows.add(RowFactory.create(i + 1, steps.get(i)));
      reachedCounts[i] = sum(when(col("reached").geq(i + 1), 1L).otherwise(0L));
      names[i] = lit(steps.get(i));
    }
    Dataset<Row> stepTable = events.sparkSession().createDataFrame(stepRows, STEP_SCHEMA);

    Dataset<Row> out = null;
    for (TimeGrain grain : grains) {
      Dataset<Row> reached = grain.tag(attributed, col("attributed_t"), from, to)
          .groupBy("window_start", "unit")
          .agg(aggregate(array_sort(collect_list(struct(col("t"), col("step")))), lit(0),
              (acc, e) -> when(e.getField("step").equalTo(acc.plus(1)), acc.plus(1)).otherwise(acc)).as("reached"));
      Dataset<Row> counts = reached.groupBy("window_start").agg(array(reachedCounts).as("counts"))
          .select(col("window_start").as("counted_start"), posexplode(col("counts")).as(new String[] {"pos", "n"}))
          .withColumn("counted_step", col("pos").plus(1));
      Dataset<Row> grid = grain.table(events.sparkSession(), from, to).crossJoin(stepTable);
      Column on = grid.col("window_start").equalTo(counts.col("counted_start"))
          .and(grid.col("step").equalTo(counts.col("counted_step")));
      WindowSpec byWindow = Window.partitionBy("window_start").orderBy("step");
      Dataset<Row> rows = grid.join(counts, on, "left")
          .select(grid.col("window"), grid.col("window_start"), grid.col("window_end"), lit(key).as("funnel_key"),
              grid.col("step"), grid.col("step_name"), coalesce(counts.col("n"), lit(0L)).as("units"))
          .withColumn("previous_units", lag("units", 1).over(byWindow))
          .withColumn("first_units", first("units").over(byWindow))
          .withColumn("conversion_from_previous", when(col("previous_units").gt(0),
              col("units").divide(col("previous_units"))))
          .withColumn("conversion_from_first", when(col("first_units").gt(0),
              col("units").divide(col("first_units"))))
          .drop("previous_units", "first_units");
      out = out == null ? rows : out.unionByName(rows);
    }
    return out;
  }
}
