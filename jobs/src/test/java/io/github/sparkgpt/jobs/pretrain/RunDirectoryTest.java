package io.github.sparkgpt.jobs.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints are fsynced before they are published, and a complete one is never deleted before its
 * replacement.
 */
class RunDirectoryTest {
  /** The disk, recording syncs, with moves that fail when {@code failMove} says so. */
  static final class Recording implements RunDirectory.FileOps {
    final List<Path> synced = new ArrayList<>();
    java.util.function.BiPredicate<Path, Path> failMove = (a, b) -> false;

    @Override
    public void move(Path from, Path to) throws IOException {
      if (failMove.test(from, to)) throw new IOException("injected move failure");
      RunDirectory.DISK.move(from, to);
    }

    @Override
    public void sync(Path p) throws IOException {
      synced.add(p);
      RunDirectory.DISK.sync(p);
    }
  }

  private static RunDirectory.CheckpointWriter files(String content) {
    return dir -> {
      Files.createDirectories(dir.resolve("sub"));
      Files.writeString(dir.resolve("model.zip"), content);
      Files.writeString(dir.resolve("sub/checkpoint.json"), content);
    };
  }

  @Test
  void everyFileAndDirectoryIsSyncedBeforeTheRenameAndTheParentAfter(@TempDir Path dir)
      throws Exception {
    Recording disk = new Recording();
    RunDirectory run = new RunDirectory(dir, disk);
    Path cp = run.saveCheckpoint(files("a"), 40, 3);
    assertEquals("a", Files.readString(cp.resolve("model.zip")));
    List<String> names = disk.synced.stream().map(p -> p.getFileName().toString()).toList();
    assertEquals(5, names.size(), names.toString());
    assertTrue(
        names.subList(0, 2).containsAll(List.of("model.zip", "checkpoint.json")),
        "files first: " + names);
    assertTrue(
        names.get(3).startsWith(".tmp-step-000040-"),
        "the temp directory before the rename: " + names);
    assertEquals(RunDirectory.CHECKPOINTS, names.get(4), "then the directory that gained it");
  }

  @Test
  void aFailedMoveKeepsTheCompleteCheckpointOfThatStep(@TempDir Path dir) throws Exception {
    Recording disk = new Recording();
    RunDirectory run = new RunDirectory(dir, disk);
    run.saveCheckpoint(files("complete"), 40, 3);
    disk.failMove = (from, to) -> from.getFileName().toString().startsWith(".tmp-");
    IOException e = assertThrows(IOException.class, () -> run.saveCheckpoint(files("new"), 40, 3));
    assertTrue(e.getMessage().contains("back in place"), e.getMessage());
    assertEquals("complete", Files.readString(run.checkpointDir(40).resolve("model.zip")));
    assertEquals(List.of(40L), run.checkpointSteps());
    // a failing writer leaves the complete one alone too
    assertThrows(
        IOException.class,
        () ->
            run.saveCheckpoint(
                d -> {
                  Files.createDirectories(d);
                  throw new IOException("disk full");
                },
                40,
                3));
    assertEquals("complete", Files.readString(run.checkpointDir(40).resolve("model.zip")));
  }

  @Test
  void replacingAStepLeavesNoAsideCopy(@TempDir Path dir) throws Exception {
    RunDirectory run = new RunDirectory(dir);
    run.saveCheckpoint(files("a"), 40, 3);
    run.saveCheckpoint(files("b"), 40, 3);
    assertEquals("b", Files.readString(run.checkpointDir(40).resolve("model.zip")));
    try (var s = Files.list(dir.resolve(RunDirectory.CHECKPOINTS))) {
      assertEquals(List.of("step-000040"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void resumeCleanupRemovesOnlyItsOwnTempDirectoriesAndRestoresAStepMovedAside(@TempDir Path dir)
      throws Exception {
    RunDirectory run = new RunDirectory(dir);
    Path cps = Files.createDirectories(dir.resolve(RunDirectory.CHECKPOINTS));
    Path partial = Files.createDirectories(cps.resolve(".tmp-step-000048-123"));
    Path aside =
        Files.createDirectories(
            cps.resolve(".old-step-000040-456")); // killed between the two renames
    Files.writeString(aside.resolve("model.zip"), "complete");
    Path replaced = Files.createDirectories(cps.resolve(".old-step-000032-789"));
    run.saveCheckpoint(files("new"), 32, 3);
    List<Path> foreign =
        List.of(
            Files.createDirectories(cps.resolve(".tmp-mine")),
            Files.createDirectories(cps.resolve("notes")),
            Files.writeString(cps.resolve(".tmp-step-1-2"), "a file"));

    List<String> done = run.removeIncompleteCheckpoints();
    assertEquals(3, done.size(), done.toString());
    assertFalse(Files.exists(partial));
    assertFalse(Files.exists(replaced));
    assertEquals(
        "complete",
        Files.readString(run.checkpointDir(40).resolve("model.zip")),
        "restored, not deleted");
    assertEquals(List.of(32L, 40L), run.checkpointSteps());
    foreign.forEach(p -> assertTrue(Files.exists(p), "not ours, kept: " + p));
  }
}
