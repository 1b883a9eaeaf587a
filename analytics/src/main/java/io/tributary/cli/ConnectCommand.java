package io.tributary.cli;

import io.tributary.config.TributaryConfig;
import io.tributary.connect.ConnectServer;
import io.tributary.connect.ConnectSettings;
import io.tributary.connect.LakeCatalog;
import io.tributary.layout.LakeLayout;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary connect}: a Spark Connect server over the lake for notebooks and other Spark Connect
 * clients, until SIGTERM or Ctrl-C.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
    description = {"Serve the lake over Spark Connect (for notebooks: scripts/notebook starts this for you).",
        "Every Delta table of the lake is named in a schema per layer: bronze.clickstream, silver.clickstream, "
            + "quarantine.clickstream, ops.batches, ops.runs, gold.profiles, gold.anomalies, ... so a client runs "
            + "e.g. spark.sql(\"SELECT * FROM gold.anomalies\"). Tables are those that exist when the server starts.",
        "Prints the sc:// URL to connect to, e.g. sc://127.0.0.1:15002, and runs until SIGTERM or Ctrl-C.",
        "Listens on 127.0.0.1 only by default. Spark Connect has no authentication of its own: any other address "
            + "is refused unless --allow-remote is given AND a token is set in $" + ConnectSettings.TOKEN_ENV
            + "; clients then add ;token=<the token> to the URL.",
        "Same profiles as every command: local by default, --profile yarn submits the server to the cluster "
            + "(then use --host with --allow-remote and a token, since the driver runs on a cluster node)."})
final class ConnectCommand extends SparkCommand {
  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = ConnectSettings.DEFAULT_HOST,
      description = "Address to listen on (default: ${DEFAULT-VALUE}). A non-loopback address needs --allow-remote "
          + "and $" + ConnectSettings.TOKEN_ENV + ".")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ConnectSettings.DEFAULT_PORT,
      description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free port).")
  int port;

  @Option(names = "--allow-remote", description = "Allow a non-loopback --host. Requires a token in $"
      + ConnectSettings.TOKEN_ENV + ", which every client must then send.")
  boolean allowRemote;

  @Override
  protected boolean writesLake() {
    return false;
  }

  @Override
  protected void checkBeforeSpark(TributaryConfig config) {
    settings();
  }

  private ConnectSettings settings() {
    return new ConnectSettings(host, port, allowRemote, System.getenv(ConnectSettings.TOKEN_ENV));
  }

  @Override
  protected int run(SparkSession spark, TributaryConfig config) throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    try (ConnectServer server = ConnectServer.start(spark, new LakeLayout(config.lake().root()), settings())) {
      System.out.println("lake " + config.lake().root() + ": " + server.tables().size() + " tables");
      for (LakeCatalog.Entry t : server.tables()) {
        System.out.println("  " + t.qualifiedName());
      }
      System.out.println("Spark Connect server listening at " + server.url()
          + (settings().token() == null ? "" : " (clients add ;token=<$" + ConnectSettings.TOKEN_ENV + ">)"));
      System.out.println("Stop with Ctrl-C (or SIGTERM).");
      System.out.flush();
      // SIGTERM and Ctrl-C run shutdown hooks while this thread waits: stop serving there, then let it return.
      Thread hook = new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "tributary-connect-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      stopped.await();
    }
    return ExitCodes.OK;
  }
}
