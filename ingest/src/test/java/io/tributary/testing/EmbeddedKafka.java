package io.tributary.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Kafka broker for tests: a single KRaft node acting as both broker and controller, run
 * in this JVM from the {@code kafka_2.13} artifacts on the test classpath. No ZooKeeper.
 *
 * <p>Contract:
 * <ul>
 *   <li>Both listeners (PLAINTEXT for clients, CONTROLLER for the Raft quorum) bind to 127.0.0.1
 *       only, on free ports picked at start.</li>
 *   <li>Log and metadata directories live in a fresh temp directory, deleted by {@link #close()}.</li>
 *   <li>Single-node settings: every internal topic has replication factor 1, min ISR 1, the group
 *       initial rebalance delay is 0, and automatic topic creation is off, so tests create topics
 *       explicitly with {@link #createTopic(String, int)}.</li>
 *   <li>{@link #start()} returns only once the broker answers an AdminClient {@code describeCluster}
 *       with itself as a live (unfenced) broker.</li>
 * </ul>
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *   kafka.createTopic("events", 3);
 *   // produce to / consume from kafka.bootstrapServers()
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final int START_ATTEMPTS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final Path baseDir;
  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Admin admin;

  private EmbeddedKafka(Path baseDir, KafkaRaftServer server, String bootstrapServers, Admin admin) {
    this.baseDir = baseDir;
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.admin = admin;
  }

  /**
   * Formats fresh storage and starts the broker, retrying with new ports if a port picked as free
   * was taken by someone else before the broker bound it.
   */
  public static EmbeddedKafka start() {
    guardAgainstProcessExit();
    RuntimeException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return startOnce();
      } catch (RuntimeException e) {
        last = e;
        if (!causedByBind(e)) {
          throw e;
        }
        LOG.warn("Embedded Kafka lost a port race on attempt {}; retrying", attempt, e);
      }
    }
    throw last;
  }

  /** {@code host:port} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Creates a topic with replication factor 1 and waits until the broker has created it. */
  public void createTopic(String name, int partitions) {
    await(admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all(),
        "create topic " + name);
    // createTopics completes when the controller has committed the topic; wait until this broker
    // also leads every partition so the very next produce or list-offsets call succeeds.
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    while (!allPartitionsLed(name, partitions)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Topic " + name + " has no leader for all partitions");
      }
      sleep(20);
    }
  }

  /** Log end offset of each partition of {@code topic}, keyed by partition number. */
  public Map<Integer, Long> endOffsets(String topic) {
    TopicDescription description =
        await(admin.describeTopics(List.of(topic)).allTopicNames(), "describe topic " + topic)
            .get(topic);
    Map<TopicPartition, OffsetSpec> request = description.partitions().stream()
        .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()),
            p -> OffsetSpec.latest()));
    Map<Integer, Long> offsets = new TreeMap<>();
    await(admin.listOffsets(request).all(), "list offsets of " + topic)
        .forEach((tp, info) -> offsets.put(tp.partition(), info.offset()));
    return offsets;
  }

  /** Stops the broker and controller and deletes the log directories. */
  @Override
  public void close() {
    long started = System.nanoTime();
    try {
      admin.close(Duration.ofSeconds(5));
    } finally {
      try {
        server.shutdown();
        server.awaitShutdown();
      } finally {
        TempDirs.deleteQuietly(baseDir);
      }
    }
    LOG.info("Embedded Kafka at {} stopped in {} ms", bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static EmbeddedKafka startOnce() {
    long started = System.nanoTime();
    Path baseDir = TempDirs.create("embedded-kafka-");
    KafkaRaftServer server = null;
    Admin admin = null;
    try {
      int brokerPort = freePort();
      int controllerPort = freePort();
      String logDir = baseDir.resolve("logs").toString();
      KafkaConfig config = new KafkaConfig(brokerProperties(logDir, brokerPort, controllerPort), false);
      format(logDir);

      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();

      String bootstrap = HOST + ":" + brokerPort;
      admin = Admin.create(Map.of(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
      awaitLiveBroker(admin);
      LOG.info("Embedded Kafka started at {} in {} ms", bootstrap,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      return new EmbeddedKafka(baseDir, server, bootstrap, admin);
    } catch (RuntimeException | Error e) {
      if (admin != null) {
        admin.close(Duration.ZERO);
      }
      if (server != null) {
        shutdownQuietly(server);
      }
      TempDirs.deleteQuietly(baseDir);
      throw e;
    }
  }

  private static Properties brokerProperties(String logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    // One KRaft node that is both the controller quorum and the only broker.
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir);

    // Single-node durability settings.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");

    // Small footprint and quick lifecycle on a 2-core machine.
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.put("num.replica.fetchers", "1");
    p.put("log.cleaner.threads", "1");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
    p.put("broker.heartbeat.interval.ms", "500");
    return p;
  }

  /** What {@code kafka-storage.sh format} does: writes meta.properties and bootstrap metadata. */
  private static void format(String logDir) {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(logDir)
          .addDirectory(logDir)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("Could not format Kafka storage in " + logDir, e);
    }
  }

  private static void awaitLiveBroker(Admin admin) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      try {
        Collection<?> nodes = admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
        if (!nodes.isEmpty()) {
          return;
        }
      } catch (ExecutionException | TimeoutException e) {
        LOG.debug("Embedded Kafka not ready yet", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for Kafka", e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Kafka broker did not become ready within " + READY_TIMEOUT);
      }
      sleep(50);
    }
  }

  private boolean allPartitionsLed(String topic, int partitions) {
    try {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(2, TimeUnit.SECONDS).get(topic);
      return d.partitions().size() == partitions
          && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Timed out trying to " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted trying to " + what, e);
    }
  }

  /**
   * A broker fault would otherwise call System.exit or Runtime.halt and kill the whole test JVM
   * without a report; turn that into an exception in the failing broker thread instead.
   */
  private static void guardAgainstProcessExit() {
    Exit.setExitProcedure((status, message) -> {
      throw new IllegalStateException("Embedded Kafka asked to exit(" + status + "): " + message);
    });
    Exit.setHaltProcedure((status, message) -> {
      throw new IllegalStateException("Embedded Kafka asked to halt(" + status + "): " + message);
    });
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port on " + HOST, e);
    }
  }

  private static boolean causedByBind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  private static void shutdownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Error shutting down a failed embedded Kafka", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
