package io.tributary.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What spark-submit's YARN client said about the application, read from its output line by line: the
 * application id and, in cluster mode, the final status. spark-submit exits non-zero when a cluster-mode
 * application FAILED or was KILLED (with {@code spark.yarn.submit.waitAppCompletion}, the default); this
 * also covers a client configured not to wait, whose exit code says nothing.
 */
final class YarnOutcome {
  private static final Pattern APP_ID = Pattern.compile("\\b(application_\\d+_\\d+)\\b");
  /** The client's application report ({@code final status: SUCCEEDED}), logged at INFO. */
  private static final Pattern FINAL_STATUS = Pattern.compile("final status: ([A-Z]+)");
  /** The exceptions the client throws whatever its log level. */
  private static final Pattern FAILED = Pattern.compile("Application application_\\d+_\\d+ finished with failed status");
  private static final Pattern KILLED = Pattern.compile("Application application_\\d+_\\d+ is killed");

  private String applicationId;
  private String finalStatus;

  /** Takes one line of spark-submit's output into account. */
  synchronized void read(String line) {
    Matcher id = APP_ID.matcher(line);
    if (applicationId == null && id.find()) {
      applicationId = id.group(1);
    }
    Matcher status = FINAL_STATUS.matcher(line);
    if (status.find() && !status.group(1).equals("UNDEFINED")) {
      finalStatus = status.group(1);
    } else if (FAILED.matcher(line).find()) {
      finalStatus = "FAILED";
    } else if (KILLED.matcher(line).find()) {
      finalStatus = "KILLED";
    }
  }

  synchronized String applicationId() {
    return applicationId;
  }

  synchronized String finalStatus() {
    return finalStatus;
  }

  /** The command's exit code: spark-submit's when it failed, 1 when the application did not succeed. */
  synchronized int exitCode(int sparkSubmitExit) {
    if (sparkSubmitExit != 0) {
      return sparkSubmitExit;
    }
    return finalStatus == null || finalStatus.equals("SUCCEEDED") ? 0 : 1;
  }

  /** One line for the user, e.g. {@code YARN application application_1_0001 finished: SUCCEEDED}. */
  synchronized String summary(boolean clusterMode, int sparkSubmitExit) {
    String app = applicationId == null ? "YARN application (id not logged by spark-submit)" : "YARN application " + applicationId;
    if (clusterMode && (finalStatus != null || sparkSubmitExit == 0)) {
      String status = finalStatus != null ? finalStatus : "SUCCEEDED";
      return app + " finished: " + status + (sparkSubmitExit == 0 ? "" : " (spark-submit exit code " + sparkSubmitExit + ")");
    }
    if (clusterMode) {
      return app + ": spark-submit failed with exit code " + sparkSubmitExit + " (its output above says why)";
    }
    return app + ": the driver exited with code " + sparkSubmitExit;
  }
}
