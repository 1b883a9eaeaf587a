package io.tributary.connect;

import io.tributary.layout.LakeLayout;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.apache.spark.sql.connect.service.SparkConnectService$;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * A Spark Connect server in this JVM, on the application's own session (Delta wired in), with the lake's
 * tables named in the catalog ({@link LakeCatalog}). Clients (pyspark-client, notebooks) get sessions cloned
 * from this one, so they share its settings and catalog. One per JVM: Spark Connect's service is a singleton.
 */
public final class ConnectServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectServer.class);

  private final ConnectSettings settings;
  private final List<LakeCatalog.Entry> tables;
  private final Path schemaRoot;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ConnectServer(ConnectSettings settings, List<LakeCatalog.Entry> tables, Path schemaRoot, int port) {
    this.settings = settings;
    this.tables = tables;
    this.schemaRoot = schemaRoot;
    this.port = port;
  }

  /** Registers the lake's tables and starts serving; returns once the port is bound. */
  public static ConnectServer start(SparkSession spark, LakeLayout layout, ConnectSettings settings)
      throws IOException, AnalysisException {
    List<LakeCatalog.Entry> tables = LakeCatalog.discover(spark, layout);
    Path schemaRoot = Files.createTempDirectory("tributary-connect-catalog");
    LakeCatalog.register(spark, tables, schemaRoot.toUri().toString());
    // Spark Connect reads its settings from the context's conf when the service starts (not from the session),
    // and the context may exist already (an embedding application, a test): set them there, just before.
    SparkConf conf = SparkEnv.get().conf();
    conf.set("spark.connect.grpc.binding.address", settings.host());
    conf.set("spark.connect.grpc.binding.port", Integer.toString(settings.port()));
    if (settings.token() != null) {
      conf.set("spark.connect.authenticate.token", settings.token());
    } else {
      conf.remove("spark.connect.authenticate.token");
    }
    SparkConnectService.start(spark.sparkContext());
    InetSocketAddress bound = SparkConnectService$.MODULE$.bindingAddress();
    ConnectServer server = new ConnectServer(settings, tables, schemaRoot, bound.getPort());
    LOG.info("Spark Connect serving {} tables at {}", tables.size(), server.url());
    return server;
  }

  /** The {@code sc://} address clients connect to (a token, if any, is not part of it). */
  public String url() {
    return settings.url(port);
  }

  public int port() {
    return port;
  }

  public List<LakeCatalog.Entry> tables() {
    return tables;
  }

  /** Stops serving (once; a shutdown hook and the owner may both call it); the session and its catalog stay. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    SparkConnectService.stop(Option.empty(), Option.empty());
    try (Stream<Path> paths = Files.walk(schemaRoot)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("Could not delete {}", schemaRoot, e);
    }
  }
}
