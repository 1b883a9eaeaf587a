package io.tributary.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import io.tributary.layout.LakeLayout;
import io.tributary.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.sparkproject.connect.grpc.StatusRuntimeException;

/** A real Spark Connect server over a small real lake, queried over the wire as a notebook would. */
class ConnectServerTest {
  @TempDir static Path tmp;
  static SparkSession spark;
  static LakeLayout layout;

  @BeforeAll
  static void smallLake() throws Exception {
    spark = TestSpark.get();
    layout = new LakeLayout(tmp.resolve("lake").toUri().toString());
    write("SELECT * FROM VALUES ('e1', 'u1', 'view', 3.5D), ('e2', 'u2', 'purchase', 12.25D) "
        + "AS t(event_id, user_id, event_type, price)", layout.silver("clickstream"));
    write("SELECT * FROM VALUES (TIMESTAMP'2026-01-01 10:00:00', 'purchase', 40L, 12.0D, 3.1D, true) "
        + "AS t(window_start, slice, count, expected, score, is_anomaly)", layout.gold("anomalies"));
    write("SELECT * FROM VALUES ('clickstream', 0L, 2L) AS t(pipeline, batch_id, received)", layout.opsBatches());
    // Not a Delta table: a leftover directory is not served.
    Files.createDirectories(tmp.resolve("lake/gold/scratch"));
  }

  private static void write(String query, String path) {
    spark.sql(query).write().format("delta").mode("overwrite").save(path);
  }

  /** Every row of the table at {@code path} as JSON, sorted: what the server must return for its name. */
  private static List<String> rowsOf(String path) {
    return spark.read().format("delta").load(path).select(to_json(struct(col("*"))).as("j")).orderBy("j")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  private static String json(String table) {
    return "SELECT to_json(struct(*)) AS j FROM " + table + " ORDER BY j";
  }

  @Test
  void servesEveryLakeTableByLayerWithItsCurrentContent() throws Exception {
    try (ConnectServer server = ConnectServer.start(spark, layout, new ConnectSettings("127.0.0.1", 0, false, null));
        ConnectTestClient client = new ConnectTestClient(server.port(), null)) {
      assertEquals(List.of("silver.clickstream", "ops.batches", "gold.anomalies"),
          server.tables().stream().map(LakeCatalog.Entry::qualifiedName).toList());
      assertEquals("sc://127.0.0.1:" + server.port(), server.url());

      List<String> silver = client.firstColumn(json("silver.clickstream"));
      assertEquals(rowsOf(layout.silver("clickstream")), silver);
      assertEquals(List.of("{\"event_id\":\"e1\",\"user_id\":\"u1\",\"event_type\":\"view\",\"price\":3.5}",
          "{\"event_id\":\"e2\",\"user_id\":\"u2\",\"event_type\":\"purchase\",\"price\":12.25}"), silver);
      assertEquals(rowsOf(layout.gold("anomalies")), client.firstColumn(json("gold.anomalies")));
      assertEquals(List.of("{\"pipeline\":\"clickstream\",\"batch_id\":0,\"received\":2}"),
          client.firstColumn(json("ops.batches")));

      // A name reads the table's current version, and Delta's history is there by name.
      spark.sql("SELECT * FROM VALUES ('e3', 'u1', 'click', 0.0D) AS t(event_id, user_id, event_type, price)")
          .write().format("delta").mode("append").save(layout.silver("clickstream"));
      assertEquals(List.of("e1", "e2", "e3"),
          client.firstColumn("SELECT event_id FROM silver.clickstream ORDER BY event_id"));
      assertEquals(List.of("1", "0"), client.firstColumn("DESCRIBE HISTORY silver.clickstream"));
    }
  }

  @Test
  void withATokenOnlyClientsSendingItGetAnswers() throws Exception {
    try (ConnectServer server = ConnectServer.start(spark, layout, new ConnectSettings("127.0.0.1", 0, false, "s3cret"));
        ConnectTestClient without = new ConnectTestClient(server.port(), null);
        ConnectTestClient wrong = new ConnectTestClient(server.port(), "guess");
        ConnectTestClient with = new ConnectTestClient(server.port(), "s3cret")) {
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
          () -> without.firstColumn("SELECT 1"));
      assertEquals("UNAUTHENTICATED", refused.getStatus().getCode().name());
      assertThrows(StatusRuntimeException.class, () -> wrong.firstColumn("SELECT 1"));
      assertEquals(List.of("2"), with.firstColumn("SELECT CAST(count(*) AS STRING) FROM silver.clickstream "
          + "WHERE event_id IN ('e1', 'e2')"));
    }
  }

  @Test
  void listensOnlyOnLoopbackUnlessAllowedAndTokenGiven() {
    assertTrue(new ConnectSettings("localhost", 15002, false, null).url(15002).startsWith("sc://localhost:"));
    for (Executable refused : List.<Executable>of(
        () -> new ConnectSettings("0.0.0.0", 15002, false, null),
        () -> new ConnectSettings("0.0.0.0", 15002, true, null),
        () -> new ConnectSettings("0.0.0.0", 15002, true, " "),
        () -> new ConnectSettings("0.0.0.0", 15002, false, "t"))) {
      io.tributary.config.ConfigException e = assertThrows(io.tributary.config.ConfigException.class, refused);
      assertTrue(e.getMessage().startsWith("refusing to listen on 0.0.0.0:"), e.getMessage());
    }
    assertEquals("0.0.0.0", new ConnectSettings("0.0.0.0", 15002, true, "t").host());
    assertThrows(io.tributary.config.ConfigException.class, () -> new ConnectSettings("127.0.0.1", 70000, false, null));
  }
}
