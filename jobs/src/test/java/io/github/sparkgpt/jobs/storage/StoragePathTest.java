package io.github.sparkgpt.jobs.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.jobs.UsageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoragePathTest {
  @Test
  void fileUrisAreTheirLocalPathNotADirectoryNamedFileColon() {
    StoragePath p = StoragePath.of("--output", "file:///tmp/x/run");
    assertTrue(p.isLocal());
    assertEquals(Path.of("/tmp/x/run"), p.local());
    assertEquals(Path.of("/tmp/x/run"), StoragePath.of("--output", "file:/tmp/x/run").local());
    assertEquals(
        Path.of("/tmp/x/run"), StoragePath.of("--output", "file://localhost/tmp/x/run").local());
    assertEquals("file:/tmp/x/run", p.hadoop().toString());
  }

  @Test
  void plainPathsStayAsGiven() {
    StoragePath p = StoragePath.of("--output", "runs/small");
    assertTrue(p.isLocal());
    assertEquals(Path.of("runs/small"), p.local());
    assertEquals(Path.of("runs/small/step"), p.resolve("step").local());
  }

  @Test
  void clusterUrisAreRemote() {
    StoragePath p = StoragePath.of("--output", "hdfs://nn:8020/user/me/run");
    assertFalse(p.isLocal());
    assertEquals("hdfs://nn:8020/user/me/run", p.hadoop().toString());
    assertEquals(
        "hdfs://nn:8020/user/me/run/checkpoints", p.resolve("checkpoints").hadoop().toString());
    assertEquals("run", p.name());
    assertEquals("run", StoragePath.of("--output", "hdfs://nn:8020/user/me/run/").name());
    assertEquals(
        "s3a://bucket/run", StoragePath.of("--output", "s3a://bucket/run").hadoop().toString());
    assertThrows(IllegalStateException.class, p::local);
  }

  @Test
  void unusableUrisAreOneLineUsageErrors() {
    UsageException rel =
        assertThrows(UsageException.class, () -> StoragePath.of("--output", "file:relative/dir"));
    assertTrue(rel.getMessage().startsWith("--output file:relative/dir"), rel.getMessage());
    UsageException host =
        assertThrows(UsageException.class, () -> StoragePath.of("--data", "file://other/x"));
    assertTrue(host.getMessage().contains("other"), host.getMessage());
    assertThrows(UsageException.class, () -> StoragePath.of("--output", "s3a://bucket"));
    assertThrows(UsageException.class, () -> StoragePath.of("--output", "hdfs://nn/a b^"));
  }
}
