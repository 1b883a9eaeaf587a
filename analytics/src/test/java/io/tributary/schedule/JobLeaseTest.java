package io.tributary.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import io.tributary.testing.MiniHdfs;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease without Spark: one winner among contenders, renewal, release, and an expired lease taken over. */
class JobLeaseTest {
  @TempDir Path dir;

  /** Eight threads, each with its own FileSystem instance (no shared cache), race for one lease: one wins. */
  @Test
  void exactlyOneOfManyContendersGetsTheLease() throws Exception {
    String path = dir.resolve("_locks/clicks.lease").toString();
    int n = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Future<Object>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      results.add(pool.submit(() -> {
        Configuration conf = new Configuration();
        conf.setBoolean("fs.file.impl.disable.cache", true);
        FileSystem.newInstance(conf).close();
        start.await();
        try {
          return JobLease.acquire(conf, path, "job clicks", "test", Duration.ofMinutes(1));
        } catch (JobLease.HeldException e) {
          return e;
        }
      }));
    }
    start.countDown();
    List<JobLease> winners = new ArrayList<>();
    List<JobLease.HeldException> losers = new ArrayList<>();
    for (Future<Object> f : results) {
      Object o = f.get();
      if (o instanceof JobLease l) {
        winners.add(l);
      } else {
        losers.add((JobLease.HeldException) o);
      }
    }
    pool.shutdown();
    assertEquals(1, winners.size());
    JobLease winner = winners.get(0);
    assertTrue(losers.stream().allMatch(e -> e.holder().owner().equals(winner.holder().owner())),
        "every loser names the winner");
    assertTrue(losers.get(0).getMessage().startsWith("job clicks is being run by " + winner.holder().host() + " pid "
        + ProcessHandle.current().pid() + " (test, since "), losers.get(0).getMessage());

    winner.close();
    assertTrue(Files.notExists(Path.of(path)), "released");
    try (JobLease again = JobLease.acquire(new Configuration(), path, "job clicks", "test", Duration.ofMinutes(1))) {
      assertTrue(again.tookOver().isEmpty());
    }
  }

  /** A holder renews its lease while it lives; once it stops, the lease expires and is taken over. */
  @Test
  void aLiveHolderRenewsAndAnExpiredLeaseIsTakenOver() throws Exception {
    String path = dir.resolve("_locks/clicks.lease").toString();
    Configuration conf = new Configuration();
    JobLease first = JobLease.acquire(conf, path, "job clicks", "first", Duration.ofSeconds(1));
    Thread.sleep(2_000);
    JobLease.HeldException held = assertThrows(JobLease.HeldException.class,
        () -> JobLease.acquire(conf, path, "job clicks", "second", Duration.ofSeconds(1)));
    assertTrue(held.holder().expires().isAfter(first.holder().expires()), "renewed past its first expiry");

    first.close();

    // What a crashed holder leaves: a lease nobody renews, past its expiry.
    JobLease.Holder crashed = new JobLease.Holder("crashed-owner", "elsewhere", 4242, "tributary analyze --job clicks",
        Instant.now().minusSeconds(120), Instant.now().minusSeconds(60));
    Files.writeString(Path.of(path), crashed.encode());
    try (JobLease second = JobLease.acquire(conf, path, "job clicks", "second", Duration.ofSeconds(30))) {
      assertEquals(crashed, second.tookOver().orElseThrow());
      assertTrue(Files.readString(Path.of(path)).contains("what=second"));
      assertEquals(List.of("clicks.lease"), Files.list(Path.of(path).getParent()).map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith(".")).toList(), "the expired lease was moved aside and removed");
    }
  }

  /** The same on HDFS: create-if-absent decided by the NameNode, renewal by rename, takeover of an expired lease. */
  @Test
  void onHdfsTheLeaseIsExclusiveRenewedAndTakenOverWhenExpired() throws Exception {
    try (MiniHdfs hdfs = MiniHdfs.start()) {
      String path = hdfs.uri() + "/lake/_locks/clicks.lease";
      Configuration a = new Configuration();
      a.setBoolean("fs.hdfs.impl.disable.cache", true);
      Configuration b = new Configuration(a);
      JobLease first = JobLease.acquire(a, path, "job clicks", "first", Duration.ofSeconds(1));
      Thread.sleep(2_000);
      JobLease.HeldException held = assertThrows(JobLease.HeldException.class,
          () -> JobLease.acquire(b, path, "job clicks", "second", Duration.ofSeconds(1)));
      assertEquals(first.holder().owner(), held.holder().owner());
      assertTrue(held.holder().expires().isAfter(first.holder().expires()), "renewed past its first expiry");
      first.close();

      FileSystem fs = FileSystem.newInstance(java.net.URI.create(hdfs.uri()), b);
      JobLease.Holder crashed = new JobLease.Holder("crashed-owner", "elsewhere", 4242, "tributary analyze",
          Instant.now().minusSeconds(120), Instant.now().minusSeconds(60));
      try (var out = fs.create(new org.apache.hadoop.fs.Path(path), true)) {
        out.write(crashed.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      try (JobLease second = JobLease.acquire(b, path, "job clicks", "second", Duration.ofSeconds(30))) {
        assertEquals(crashed, second.tookOver().orElseThrow());
      }
      assertTrue(!fs.exists(new org.apache.hadoop.fs.Path(path)), "released");
      fs.close();
    }
  }
}
