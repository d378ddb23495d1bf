package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.sparkgpt.model.FileDigests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineageFilesTest {
  @TempDir Path dir;

  @Test
  void filesByBytesDirectoriesByTheirSha256sumListingAnyUri() throws Exception {
    Path f = dir.resolve("train.tsv");
    Files.writeString(f, "a\tb\n");
    String sha = FileDigests.sha256("a\tb\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(sha, LineageFiles.sha256(f.toString(), new Configuration()));
    assertEquals(sha, LineageFiles.sha256(f.toUri().toString(), new Configuration()));

    Path d = Files.createDirectories(dir.resolve("parts").resolve("sub"));
    Files.writeString(d.resolve("x.jsonl"), "{}\n");
    Files.writeString(dir.resolve("parts").resolve("y.jsonl"), "{}\n{}\n");
    String listing =
        FileDigests.ofListing(
            Map.of(
                "sub/x.jsonl",
                FileDigests.sha256(d.resolve("x.jsonl")),
                "y.jsonl",
                FileDigests.sha256(dir.resolve("parts").resolve("y.jsonl"))));
    assertEquals(
        listing, LineageFiles.sha256(dir.resolve("parts").toString(), new Configuration()));
    Files.writeString(d.resolve("x.jsonl"), "{} \n");
    assertNotEquals(
        listing, LineageFiles.sha256(dir.resolve("parts").toString(), new Configuration()));

    assertEquals(
        List.of("train"),
        List.copyOf(
            LineageFiles.taskFiles(new Configuration(), "train", f.toString(), "test", null)
                .keySet()));
  }
}
