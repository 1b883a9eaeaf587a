package io.tributary.yarn;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;

/**
 * A real YARN for tests: a {@link MiniYARNCluster} (ResourceManager and one NodeManager) in this JVM, bound to
 * 127.0.0.1, whose containers run on this machine as ordinary child processes.
 *
 * <p>hadoop-client-minicluster lacks capacity-scheduler.xml, so the one queue is configured here; the
 * NodeManager offers 8 GiB and 8 vcores (bookkeeping only: memory checks are off, so a JVM's reserved virtual
 * memory does not get its container killed). The NodeManager gives every container {@code JAVA_HOME} (this
 * JVM's), as a cluster's NodeManagers give their own.
 */
final class MiniYarn implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private final MiniYARNCluster cluster;

  private MiniYarn(MiniYARNCluster cluster) {
    this.cluster = cluster;
  }

  /** Starts the cluster with {@code defaultFs} as its file system and returns once the NodeManager registered. */
  static MiniYarn start(String defaultFs) throws Exception {
    YarnConfiguration conf = new YarnConfiguration();
    conf.set("fs.defaultFS", defaultFs);
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
    conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
    conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
    conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
    conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
    conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
    // Spark's AM (the driver, in cluster mode) may take the whole queue: there is only one application at a time.
    conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 1.0f);
    conf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
    conf.setInt("yarn.nodemanager.resource.memory-mb", 8192);
    conf.setInt("yarn.nodemanager.resource.cpu-vcores", 8);
    conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
    conf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
    // A full disk on a developer's machine must not mark the only node unhealthy.
    conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
    // Appended to what containers inherit: SPARK_LOCAL_IP=127.0.0.1 comes with the test JVM's environment already.
    conf.set("yarn.nodemanager.admin-env", "MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX,JAVA_HOME=" + System.getProperty("java.home"));
    conf.set("yarn.resourcemanager.hostname", HOST);
    conf.set("yarn.resourcemanager.bind-host", HOST);
    conf.set("yarn.nodemanager.hostname", HOST);
    conf.set("yarn.nodemanager.bind-host", HOST);
    MiniYARNCluster cluster = new MiniYARNCluster(MiniYarn.class.getSimpleName(), 1, 1, 1);
    cluster.init(conf);
    cluster.start();
    MiniYarn yarn = new MiniYarn(cluster);
    try {
      // start() can return before the RM wrote its bound port into the configuration (Spark's
      // BaseYarnClusterSuite notes the same race): a client configured with port 0 would never connect.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (cluster.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the ResourceManager did not report its port within 30 s");
        }
        Thread.sleep(100);
      }
      if (!cluster.waitForNodeManagersToConnect(30_000)) {
        throw new IllegalStateException("the NodeManager did not register within 30 s");
      }
    } catch (Exception e) {
      yarn.close();
      throw e;
    }
    return yarn;
  }

  /**
   * Writes the client configuration a cluster's gateway machine has: yarn-site.xml (the live configuration,
   * with the RM's real addresses) and core-site.xml, into {@code dir}, the HADOOP_CONF_DIR of spark-submit.
   */
  void writeClientConf(Path dir) {
    try {
      Files.createDirectories(dir);
      Configuration live = new Configuration(cluster.getConfig());
      try (OutputStream out = Files.newOutputStream(dir.resolve("yarn-site.xml"))) {
        live.writeXml(out);
      }
      Configuration core = new Configuration(false);
      core.set("fs.defaultFS", live.get("fs.defaultFS"));
      try (OutputStream out = Files.newOutputStream(dir.resolve("core-site.xml"))) {
        core.writeXml(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The final status the ResourceManager recorded for an application, e.g. SUCCEEDED. */
  FinalApplicationStatus finalStatus(String applicationId) {
    RMApp app = cluster.getResourceManager().getRMContext().getRMApps().get(ApplicationId.fromString(applicationId));
    if (app == null) {
      throw new AssertionError("the ResourceManager knows no application " + applicationId);
    }
    return app.getFinalApplicationStatus();
  }

  /** The applications the ResourceManager has seen, in submission order. */
  List<String> applications() {
    return cluster.getResourceManager().getRMContext().getRMApps().keySet().stream().sorted().map(ApplicationId::toString).toList();
  }

  /** The last lines of every container's stderr of an application, to explain a failed test. */
  String containerLogs(String applicationId, int linesPerFile) {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.walk(cluster.getTestWorkDir().toPath())) {
      List<Path> logs = new ArrayList<>(files.filter(p -> p.toString().contains(applicationId) && Files.isRegularFile(p)
          && (p.getFileName().toString().equals("stderr") || p.getFileName().toString().equals("stdout"))).sorted().toList());
      for (Path log : logs) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        out.append("==> ").append(log).append('\n');
        lines.subList(Math.max(0, lines.size() - linesPerFile), lines.size()).forEach(l -> out.append(l).append('\n'));
      }
    } catch (IOException e) {
      out.append("(container logs unreadable: ").append(e.getMessage()).append(")\n");
    }
    return out.toString();
  }

  @Override
  public void close() {
    cluster.stop();
  }
}
