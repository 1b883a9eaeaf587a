package io.tributary.maintain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.tributary.config.ConfigException;
import io.tributary.config.PipelineConfig;
import io.tributary.land.DeltaTables;
import io.tributary.land.PipelineTable;
import io.tributary.layout.LakeLayout;
import io.tributary.parse.Pseudonymizer;
import io.tributary.source.EventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Right to erasure: removes every record of a pipeline whose field holds a value, from bronze and quarantine
 * (matched in the raw payload) and silver (matched on the pseudonym when the field is PII). Deleted rows leave the
 * current versions at once; rows Delta only hid behind deletion vectors are rewritten out of their files
 * ({@code REORG ... APPLY (PURGE)}); older table versions keep them until VACUUM removes their files.
 */
public final class Erasure {
  /** Rows removed from (or, for a dry run, matching in) one table. */
  public record Result(String table, long rows) {}

  private Erasure() {}

  public static List<Result> erase(SparkSession spark, LakeLayout layout, PipelineConfig p, String field, String value,
      boolean dryRun) {
    StructType schema = StructType.fromDDL(p.schemaDdl());
    if (!List.of(schema.fieldNames()).contains(field)) {
      throw new ConfigException("pipeline " + p.name() + " has no field '" + field + "'; fields: " + List.of(schema.fieldNames()));
    }
    boolean pii = p.pii().columns().contains(field);
    String silverValue = pii ? Pseudonymizer.pseudonym(Pseudonymizer.key(p, spark.sparkContext().hadoopConfiguration()), value) : value;
    Column raw = EventSource.of(p).format().equals("csv")
        ? from_csv(col("payload"), textSchema(schema), Map.of("mode", "PERMISSIVE")).getField(field)
        : get_json_object(col("payload"), "$." + field);
    List<Result> out = new ArrayList<>();
    for (PipelineTable t : PipelineTable.values()) {
      String path = t.path(layout, p);
      if (!DeltaTables.exists(spark, path)) {
        out.add(new Result(t.kind(), 0));
        continue;
      }
      Column match = t == PipelineTable.SILVER ? col(field).cast(DataTypes.StringType).equalTo(lit(silverValue))
          : raw.equalTo(lit(value));
      long rows = spark.read().format("delta").load(path).where(match).count();
      if (!dryRun && rows > 0) {
        DeltaTable.forPath(spark, path).delete(match);
        // Deletion vectors only hide rows; purging rewrites the files that still hold them.
        spark.sql("REORG TABLE delta.`" + path.replace("`", "``") + "` APPLY (PURGE)");
      }
      out.add(new Result(t.kind(), rows));
    }
    return out;
  }

  private static Column textSchema(StructType schema) {
    StructType text = new StructType();
    for (StructField f : schema.fields()) {
      text = text.add(f.name(), DataTypes.StringType);
    }
    return lit(text.toDDL());
  }
}
