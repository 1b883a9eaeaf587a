package io.tributary.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real HDFS for tests: a {@link MiniDFSCluster} with one NameNode and one DataNode in this JVM,
 * from the shaded {@code hadoop-client-minicluster} jar.
 *
 * <p>Contract:
 * <ul>
 *   <li>Every server socket (NameNode RPC and HTTP, DataNode transfer, IPC and HTTP) binds to
 *       127.0.0.1 on a free port.</li>
 *   <li>Name and data directories live in a fresh temp directory, deleted by {@link #close()}.</li>
 *   <li>{@link #start()} returns once the DataNode has registered and the NameNode left safe mode,
 *       so files can be written at once. Replication is 1.</li>
 * </ul>
 *
 * <p>Spark reaches it through the full URI, e.g. {@code df.write().save(hdfs.uri() + "/t")}; no
 * Spark setting is needed.
 *
 * <pre>{@code
 * try (MiniHdfs hdfs = MiniHdfs.start()) {
 *   hdfs.fileSystem().create(new Path("/in/a.txt")) ...
 * }
 * }</pre>
 */
public final class MiniHdfs implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MiniHdfs.class);
  private static final String HOST = "127.0.0.1";
  private static final String ANY_LOOPBACK_PORT = HOST + ":0";

  private final Path baseDir;
  private final MiniDFSCluster cluster;
  private final String uri;

  private MiniHdfs(Path baseDir, MiniDFSCluster cluster) {
    this.baseDir = baseDir;
    this.cluster = cluster;
    this.uri = "hdfs://" + HOST + ":" + cluster.getNameNodePort();
  }

  /** Formats a fresh NameNode, starts it and one DataNode, and waits until both are active. */
  public static MiniHdfs start() {
    long started = System.nanoTime();
    Path baseDir = TempDirs.create("mini-hdfs-");
    try {
      MiniDFSCluster cluster = new MiniDFSCluster.Builder(clusterConf(), baseDir.toFile())
          .numDataNodes(1)
          .storagesPerDatanode(1)
          // false: MiniDFSCluster itself sets every DataNode address to 127.0.0.1:0.
          .checkDataNodeAddrConfig(false)
          .checkDataNodeHostConfig(false)
          .waitSafeMode(true)
          .build();
      cluster.waitActive();
      MiniHdfs hdfs = new MiniHdfs(baseDir, cluster);
      LOG.info("MiniHdfs started at {} in {} ms", hdfs.uri,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      return hdfs;
    } catch (IOException e) {
      TempDirs.deleteQuietly(baseDir);
      throw new UncheckedIOException("Could not start MiniDFSCluster", e);
    } catch (RuntimeException | Error e) {
      TempDirs.deleteQuietly(baseDir);
      throw e;
    }
  }

  /** The NameNode's URI, {@code hdfs://127.0.0.1:PORT}, with no trailing slash. */
  public String uri() {
    return uri;
  }

  /** A client configuration for this cluster, with {@code fs.defaultFS} set to {@link #uri()}. */
  public Configuration conf() {
    Configuration conf = new Configuration(cluster.getConfiguration(0));
    conf.set(FileSystem.FS_DEFAULT_NAME_KEY, uri);
    return conf;
  }

  /** The cluster's file system client; it is closed by {@link #close()}, so callers must not close it. */
  public FileSystem fileSystem() {
    try {
      return cluster.getFileSystem();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops the DataNode and NameNode and deletes their directories. The cached {@link FileSystem}
   * for {@link #uri()} (the one Spark also got) is closed with them.
   */
  @Override
  public void close() {
    long started = System.nanoTime();
    try {
      cluster.shutdown(true);
    } finally {
      TempDirs.deleteQuietly(baseDir);
    }
    LOG.info("MiniHdfs at {} stopped in {} ms", uri,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static Configuration clusterConf() {
    Configuration conf = new Configuration();
    // MiniDFSCluster binds NameNode RPC/HTTP and DataNode sockets to 127.0.0.1 itself; pin the
    // remaining addresses a NameNode may open so nothing listens on a wildcard address.
    conf.set("dfs.namenode.rpc-bind-host", HOST);
    conf.set("dfs.namenode.http-bind-host", HOST);
    conf.set("dfs.namenode.https-bind-host", HOST);
    conf.set("dfs.namenode.http-address", ANY_LOOPBACK_PORT);
    conf.set("dfs.namenode.https-address", ANY_LOOPBACK_PORT);
    conf.set("dfs.namenode.secondary.http-address", ANY_LOOPBACK_PORT);
    conf.set("dfs.namenode.secondary.https-address", ANY_LOOPBACK_PORT);
    conf.set("dfs.namenode.backup.address", ANY_LOOPBACK_PORT);
    conf.set("dfs.namenode.backup.http-address", ANY_LOOPBACK_PORT);
    conf.set("dfs.http.policy", "HTTP_ONLY");
    conf.set("dfs.replication", "1");
    // Quicker DataNode registration and first block report.
    conf.setInt("dfs.heartbeat.interval", 1);
    conf.setInt("dfs.blockreport.initialDelay", 0);
    conf.setInt("dfs.namenode.safemode.extension", 0);
    // Its monitor thread is never stopped, so each start would leak one.
    conf.setBoolean("dfs.namenode.gc.time.monitor.enable", false);
    // Tests write as the current user; HDFS permission checks would only get in the way.
    conf.setBoolean("dfs.permissions.enabled", false);
    return conf;
  }
}
