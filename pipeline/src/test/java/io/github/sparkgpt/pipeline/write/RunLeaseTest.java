package io.github.sparkgpt.pipeline.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLeaseTest {
  private final Configuration conf = new Configuration();
  private static final RunLease.Policy BREAK = new RunLease.Policy(true, RunLease.DEFAULT_MAX_AGE);

  /** A pid that is not running here: a child process that has exited. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  private static void writeLease(Path output, String host, long pid, Instant started)
      throws Exception {
    Files.writeString(
        output.resolveSibling("." + output.getFileName() + RunLease.SUFFIX),
        "{\"user\":\"alice\",\"host\":\""
            + host
            + "\",\"pid\":"
            + pid
            + ",\"started\":\""
            + started
            + "\",\"job\":\"pretrain\",\"token\":\"t\"}");
  }

  @Test
  void leaseIsExclusiveAndReleasedOnClose(@TempDir Path dir) {
    String out = dir.resolve("run").toString();
    RunLease a = RunLease.acquire(out, "pretrain", RunLease.Policy.DEFAULT, conf);
    assertTrue(Files.exists(dir.resolve(".run.lease")));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> RunLease.acquire(out, "pretrain", BREAK, conf),
            "a live lease is never broken, even with the flag");
    assertTrue(
        e.getMessage().contains("in use by")
            && e.getMessage().contains("pid " + ProcessHandle.current().pid()),
        e.getMessage());
    a.close();
    assertFalse(Files.exists(dir.resolve(".run.lease")));
    RunLease.acquire(out, "pretrain", RunLease.Policy.DEFAULT, conf).close();
  }

  @Test
  void leaseOfADeadProcessOnThisHostIsBrokenOnlyWithTheFlag(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    writeLease(out, RunLease.localHost(), deadPid(), Instant.now());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> RunLease.acquire(out.toString(), "pretrain", RunLease.Policy.DEFAULT, conf));
    assertTrue(
        e.getMessage().contains("stale lease held by alice@")
            && e.getMessage().contains("--break-lease")
            && e.getMessage().contains("is not running"),
        e.getMessage());
    try (RunLease mine = RunLease.acquire(out.toString(), "pretrain", BREAK, conf)) {
      assertEquals(
          ProcessHandle.current().pid(),
          RunLease.read(mine.file().getFileSystem(conf), mine.file()).orElseThrow().pid());
    }
    try (var listing = Files.list(dir)) {
      assertEquals(0, listing.count(), "the broken lease and ours are both gone");
    }
  }

  @Test
  void leaseFromAnotherHostIsStaleOnlyWhenNotRenewedForTheMaxAge(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("run");
    writeLease(out, "elsewhere.example", 1, Instant.now().minus(Duration.ofHours(2)));
    Path lease = dir.resolve(".run.lease");
    Files.setLastModifiedTime(lease, FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
    assertThrows(
        IllegalStateException.class,
        () -> RunLease.acquire(out.toString(), "pretrain", BREAK, conf),
        "started long ago but renewed a minute ago: alive");
    Files.setLastModifiedTime(lease, FileTime.from(Instant.now().minus(Duration.ofMinutes(6))));
    RunLease.acquire(out.toString(), "pretrain", BREAK, conf).close();
  }

  @Test
  void aHeldLeaseIsRenewedSoItNeverLooksStale(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    org.apache.hadoop.fs.Path qualified = new org.apache.hadoop.fs.Path(out.toUri());
    org.apache.hadoop.fs.FileSystem fs = qualified.getFileSystem(conf);
    try (RunLease mine =
        RunLease.acquire(fs, qualified, "pretrain", BREAK, Duration.ofMillis(50))) {
      Path lease = dir.resolve(".run.lease");
      Files.setLastModifiedTime(lease, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
      long deadline = System.currentTimeMillis() + 10_000;
      while (Files.getLastModifiedTime(lease)
          .toInstant()
          .isBefore(Instant.now().minus(Duration.ofMinutes(1)))) {
        assertTrue(System.currentTimeMillis() < deadline, "the lease was not renewed");
        Thread.sleep(20);
      }
    }
    assertFalse(Files.exists(dir.resolve(".run.lease")));
  }

  @Test
  void closeLeavesALeaseThatIsNoLongerOurs(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    RunLease mine = RunLease.acquire(out.toString(), "pretrain", RunLease.Policy.DEFAULT, conf);
    writeLease(out, "elsewhere.example", 1, Instant.now()); // someone broke and re-took it
    mine.close();
    assertTrue(Files.readString(dir.resolve(".run.lease")).contains("elsewhere.example"));
  }
}
