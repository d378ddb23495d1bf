package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.write.OutputDirectory;
import io.github.sparkgpt.pipeline.write.RunLease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run ids name a directory directly inside --output, and only a run this project started is ever
 * removed.
 */
class TaskRunFilesTest {
  private static Path earlierRuns(Path out) throws Exception {
    Path earlier = Files.createDirectories(out.resolve("run-1"));
    Files.writeString(earlier.resolve("metrics.json"), "{}");
    Files.writeString(earlier.resolve(OutputDirectory.SUCCESS), "");
    return earlier;
  }

  @Test
  void runIdsThatLeaveTheOutputAreRefused(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out/runs");
    for (String id :
        List.of("..", ".", "a/b", "/abs", "../runs", "-x", "_x", ".hidden", "a\\b", "")) {
      UsageException e =
          assertThrows(UsageException.class, () -> TaskRunFiles.runDirectory(out, id), id);
      assertTrue(e.getMessage().startsWith("--run-id"), e.getMessage());
    }
    assertEquals(out.resolve("sst2-4shot_v1.2"), TaskRunFiles.runDirectory(out, "sst2-4shot_v1.2"));
    assertEquals(
        out.resolve("daily-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC)),
        TaskRunFiles.runDirectory(out, "daily-{date}"));
    // relative outputs, with .. inside them, still get a direct child
    assertEquals(Path.of("a/../b/r"), TaskRunFiles.runDirectory(Path.of("a/../b"), "r"));
  }

  @Test
  void fewshotAndFinetuneWithRunIdDotDotFailWithoutTouchingEarlierRuns(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("out/runs");
    Path earlier = earlierRuns(out);
    for (String id : List.of("..", ".")) {
      String err =
          Console.err(
              () ->
                  assertEquals(
                      2,
                      FewShotCommand.run(
                          "--checkpoint",
                          "c",
                          "--eval",
                          "e",
                          "--output",
                          out.toString(),
                          "--run-id",
                          id)));
      assertEquals(1, err.strip().lines().count(), err);
      assertTrue(err.contains("--run-id '" + id + "'"), err);
      err =
          Console.err(
              () ->
                  assertEquals(
                      2,
                      FinetuneJob.run(
                          "--checkpoint",
                          "c",
                          "--train",
                          "t",
                          "--validation",
                          "v",
                          "--output",
                          out.toString(),
                          "--run-id",
                          id)));
      assertTrue(err.contains("--run-id '" + id + "'"), err);
    }
    assertTrue(Files.exists(earlier.resolve("metrics.json")), "earlier runs survive");
  }

  @Test
  void startFreshRemovesOnlyAPartialRunThisProjectStarted(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Path foreign = Files.createDirectories(out.resolve("r"));
    Files.writeString(foreign.resolve("notes.txt"), "not a run");
    UsageException e =
        assertThrows(UsageException.class, () -> TaskRunFiles.startFresh("fewshot", foreign));
    assertTrue(
        e.getMessage().contains(foreign.toString())
            && e.getMessage().contains(TaskRunFiles.STARTED),
        e.getMessage());
    assertEquals("not a run", Files.readString(foreign.resolve("notes.txt")));
    // a file named like the run id, and a symlink to someone's directory, are refused too
    Path file = Files.writeString(out.resolve("f"), "x");
    assertThrows(UsageException.class, () -> TaskRunFiles.startFresh("fewshot", file));
    Path link = Files.createSymbolicLink(out.resolve("l"), foreign);
    Files.writeString(foreign.resolve(TaskRunFiles.STARTED), "{}");
    assertThrows(UsageException.class, () -> TaskRunFiles.startFresh("fewshot", link));
    assertEquals("not a run", Files.readString(foreign.resolve("notes.txt")));

    // ours (the marker a start writes): removed and started again, with a fresh marker
    Console.out(
        () -> {
          try {
            TaskRunFiles.startFresh("fewshot", foreign);
          } catch (Exception ex) {
            throw new RuntimeException(ex);
          }
        });
    assertFalse(Files.exists(foreign.resolve("notes.txt")));
    assertTrue(Files.exists(foreign.resolve(TaskRunFiles.STARTED)));
    // an empty directory is simply used
    Path empty = Files.createDirectories(out.resolve("e"));
    TaskRunFiles.startFresh("fewshot", empty);
    assertTrue(Files.exists(empty.resolve(TaskRunFiles.STARTED)));
  }

  @Test
  void aSecondRunWithTheSameIdIsRefusedWhileTheFirstHoldsTheLease(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("out");
    Path earlier = earlierRuns(out);
    Path run = TaskRunFiles.runDirectory(out, "r");
    try (RunLease first = TaskRunFiles.lease("fewshot", run, RunLease.Policy.DEFAULT)) {
      String err =
          Console.err(
              () ->
                  assertEquals(
                      1,
                      FewShotCommand.run(
                          "--checkpoint",
                          "c",
                          "--eval",
                          "e",
                          "--output",
                          out.toString(),
                          "--run-id",
                          "r")));
      assertTrue(
          err.contains("in use by") && err.contains("pid " + ProcessHandle.current().pid()), err);
      assertEquals(1, err.strip().lines().count(), err);
    }
    assertTrue(Files.exists(earlier.resolve("metrics.json")));
  }
}
