package io.tributary.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniHdfsTest {

  private static Set<InetSocketAddress> listenersBefore;
  private static Set<InetSocketAddress> listenersOfHdfs;
  private static MiniHdfs hdfs;

  @BeforeAll
  static void startHdfs() {
    listenersBefore = ListeningSockets.supported() ? ListeningSockets.ofThisProcess() : Set.of();
    hdfs = MiniHdfs.start();
    if (ListeningSockets.supported()) {
      listenersOfHdfs = new HashSet<>(ListeningSockets.ofThisProcess());
      listenersOfHdfs.removeAll(listenersBefore);
    }
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  @Test
  void listensOnLoopbackOnly() {
    assumeTrue(ListeningSockets.supported(), "needs Linux /proc");
    assertTrue(hdfs.uri().startsWith("hdfs://127.0.0.1:"), hdfs.uri());
    assertFalse(listenersOfHdfs.isEmpty(), "no listener found");
    for (InetSocketAddress listener : listenersOfHdfs) {
      assertTrue(listener.getAddress().isLoopbackAddress(), "HDFS listens on " + listener);
    }
  }

  @Test
  void writesAndReadsAFile() throws IOException {
    FileSystem fs = hdfs.fileSystem();
    Path file = new Path("/it/hello.txt");
    String content = "hello from tributary\nsecond line\n";
    try (FSDataOutputStream out = fs.create(file, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(fs.exists(file));
    try (FSDataInputStream in = fs.open(file)) {
      assertEquals(content, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    // A second client built from conf() sees the same file through fs.defaultFS.
    try (FileSystem other = FileSystem.newInstance(hdfs.conf())) {
      assertEquals(content.length(), other.getFileStatus(new Path("/it/hello.txt")).getLen());
    }
  }

  @Test
  void sparkWritesAndReadsADeltaTable() throws IOException {
    // The JVM's shared local[2] session with Delta wired in; never stopped here, later test
    // classes in this JVM reuse it.
    SparkSession spark = TestSpark.get();

    StructType schema = new StructType()
        .add("id", DataTypes.LongType, false)
        .add("name", DataTypes.StringType, true)
        .add("score", DataTypes.DoubleType, true);
    List<Row> rows = List.of(
        RowFactory.create(1L, "ada", 9.5),
        RowFactory.create(2L, "grace", 8.25),
        RowFactory.create(3L, null, -1.0),
        RowFactory.create(4L, "linus", 0.0));
    String table = hdfs.uri() + "/t";

    spark.createDataFrame(rows, schema).write().format("delta").mode("overwrite").save(table);

    assertTrue(hdfs.fileSystem().exists(new Path("/t/_delta_log/00000000000000000000.json")));
    Dataset<Row> back = spark.read().format("delta").load(table);
    assertEquals(List.of(schema.fieldNames()), List.of(back.schema().fieldNames()));
    assertEquals(rows, back.orderBy("id").collectAsList());
  }
}
