package io.tributary.schedule;

import java.time.Duration;
import org.apache.hadoop.conf.Configuration;

/**
 * A process that takes a job's lease as {@code tributary analyze} does and holds it (renewing) until killed:
 * {@code LeaseHolder LEASE_PATH JOB TTL_SECONDS}. Prints {@code held PID} once it holds the lease.
 */
public final class LeaseHolder {
  private LeaseHolder() {}

  public static void main(String[] args) throws Exception {
    JobLease lease = JobLease.acquire(new Configuration(), args[0], "job " + args[1],
        "tributary analyze --job " + args[1], Duration.ofSeconds(Long.parseLong(args[2])));
    System.out.println("held " + lease.holder().pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
