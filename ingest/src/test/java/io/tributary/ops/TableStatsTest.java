package io.tributary.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tributary.testing.TestSpark;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableStatsTest {
  @TempDir Path tmp;

  @Test
  void sizesAndRowsComeFromTheSnapshotAndMatchARealCount() throws Exception {
    SparkSession spark = TestSpark.get();
    String path = tmp.resolve("t").toString();
    for (int i = 0; i < 3; i++) {
      spark.range(0, 1000 + i).selectExpr("id", "id % 3 AS part").write().format("delta").mode("append")
          .partitionBy("part").save(path);
    }
    spark.sql("DELETE FROM delta.`" + path + "` WHERE id < 100");
    long counted = spark.read().format("delta").load(path).count();
    String[] live = spark.read().format("delta").load(path).inputFiles();
    long bytes = 0;
    for (String f : live) {
      bytes += new File(URI.create(f)).length();
    }

    TableStats t = TableStats.of(spark, path);

    assertEquals(3003 - 300, counted);
    assertEquals(counted, t.rows());
    assertEquals(live.length, t.files());
    assertEquals(bytes, t.bytes());
    assertEquals(0, t.filesWithoutStats());
    assertEquals(3, t.version());

    // No data is read: with a data file gone, a count would fail, but the statistics still answer.
    Files.delete(Path.of(URI.create(live[0])));
    assertEquals(counted, TableStats.of(spark, path).rows());

    assertFalse(TableStats.of(spark, tmp.resolve("none").toString()).exists());
  }
}
