package io.github.sparkgpt.jobs.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage layer's copies and commits, through Hadoop's FileSystem on file: URIs. */
class RemoteFilesTest {
  @TempDir Path dir;
  final RemoteFiles files = new RemoteFiles(new Configuration());

  private org.apache.hadoop.fs.Path uri(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  private Path stage(String name, String content) throws Exception {
    Path src = dir.resolve(name);
    Files.createDirectories(src.resolve("sub"));
    Files.writeString(src.resolve("a.txt"), content);
    Files.writeString(src.resolve("sub/b.txt"), "b");
    Files.writeString(src.resolve(OutputDirectory.SUCCESS), "");
    return src;
  }

  @Test
  void publishesADirectoryByRenameWithSuccessWrittenAfterIt() throws Exception {
    Path target = dir.resolve("out/run");
    files.publishDirectory(stage("src", "one"), uri(target), true);
    assertEquals("one", Files.readString(target.resolve("a.txt")));
    assertEquals("b", Files.readString(target.resolve("sub/b.txt")));
    assertTrue(Files.exists(target.resolve(OutputDirectory.SUCCESS)));
    // a second publish replaces the first: old renamed aside, new renamed in, old deleted; no
    // hidden leftovers
    files.publishDirectory(stage("src2", "two"), uri(target), false);
    assertEquals("two", Files.readString(target.resolve("a.txt")));
    assertFalse(
        Files.exists(target.resolve(OutputDirectory.SUCCESS)),
        "the local _SUCCESS is never uploaded");
    try (Stream<Path> s = Files.list(dir.resolve("out"))) {
      assertEquals(List.of("run"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void publishesAFileOverTheOldOne() throws Exception {
    Path f = dir.resolve("m.jsonl");
    Files.writeString(f, "1\n");
    Path target = dir.resolve("remote/m.jsonl");
    files.publishFile(f, uri(target));
    Files.writeString(f, "1\n2\n");
    files.publishFile(f, uri(target));
    assertEquals("1\n2\n", Files.readString(target));
  }

  @Test
  void downloadsWhatTheFilterKeeps() throws Exception {
    Path src = stage("src", "x");
    Path dst = dir.resolve("copy");
    int n = files.download(uri(src), dst, rel -> !rel.contains("/"));
    assertEquals(2, n); // a.txt and _SUCCESS, not sub/
    assertTrue(Files.exists(dst.resolve("a.txt")));
    assertFalse(Files.exists(dst.resolve("sub")));
  }

  @Test
  void readersRequireSuccessInJobOutputs() throws Exception {
    Completeness c = new Completeness(files);
    Path out = stage("pre", "x");
    c.requireOutput(
        "--data", StoragePath.of("--data", out.toUri().toString()), "preprocess output");
    Files.delete(out.resolve(OutputDirectory.SUCCESS));
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                c.requireOutput(
                    "--data",
                    StoragePath.of("--data", out.toUri().toString()),
                    "preprocess output"));
    assertTrue(
        e.getMessage().startsWith("--data " + out)
            && e.getMessage().contains(OutputDirectory.SUCCESS),
        e.getMessage());
  }

  @Test
  void stagedLocalOutputsAreWrittenInPlace() throws Exception {
    try (Storage storage = new Storage(files)) {
      Path target = dir.resolve("x/run");
      StagedDirectory out = storage.output(StoragePath.of("--output", target.toUri().toString()));
      assertEquals(target, out.local());
      assertFalse(out.isRemote());
      out.publishAll(); // nothing to do for a local target
      assertTrue(storage.scratch().directories().isEmpty());
    }
  }

  @Test
  void scratchDirectoriesAreRemovedOnClose() {
    Path d;
    try (LocalScratch s = new LocalScratch()) {
      d = s.newDirectory("test");
      assertTrue(Files.isDirectory(d));
    }
    assertFalse(Files.exists(d));
  }
}
