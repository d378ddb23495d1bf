package io.github.sparkgpt.jobs.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShownPathsTest {
  @TempDir Path dir;

  @Test
  void reportsNameClusterDirectoriesNotTheirLocalCopies() throws Exception {
    ShownPaths shown =
        new ShownPaths()
            .add(Path.of("/tmp/sparkgpt-input-12"), StoragePath.of("--pretrain", "hdfs://nn/run"))
            .add(Path.of("/tmp/sparkgpt-input-123"), StoragePath.of("--finetune", "hdfs://nn/ft"))
            .add(
                Path.of("/data/local"),
                StoragePath.of("--preprocess", "/data/local")); // local: shown as it is
    Path html = dir.resolve("report.html");
    Files.writeString(
        html, "<p>/tmp/sparkgpt-input-12</p><p>/tmp/sparkgpt-input-123/r1</p><p>/data/local</p>");
    shown.rewrite(html);
    assertEquals(
        "<p>hdfs://nn/run</p><p>hdfs://nn/ft/r1</p><p>/data/local</p>", Files.readString(html));
    assertEquals(
        "hdfs://nn/run/metrics.jsonl not found",
        shown.rewrite("/tmp/sparkgpt-input-12/metrics.jsonl not found"));
  }
}
