package io.github.sparkgpt.pipeline.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryTest {
  private final Configuration conf = new Configuration();

  @AfterEach
  void noFailures() {
    FailingRenameFileSystem.failWhen = (src, dst) -> false;
  }

  private static void writeInto(OutputDirectory out, String file, String text) throws Exception {
    Files.writeString(Path.of(out.temporary().toUri().getPath()).resolve(file), text);
  }

  @Test
  void commitMovesTemporaryIntoPlaceAndMarksSuccessLast(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("out");
    OutputDirectory out = OutputDirectory.prepare(target.toString(), false, conf);
    assertFalse(Files.exists(target), "nothing visible before commit");
    writeInto(out, "manifest.json", "{}");
    out.commit();
    assertTrue(Files.exists(target.resolve("manifest.json")));
    assertTrue(Files.exists(target.resolve(OutputDirectory.SUCCESS)));
    assertTrue(
        Files.exists(target.resolve(OutputDirectory.STARTED)),
        "the start marker travels with the output");
    try (var listing = Files.list(dir)) {
      assertEquals(1, listing.count(), "only the target remains: no temporary directory, no lease");
    }
  }

  @Test
  void completeOutputIsRefusedWithoutOverwrite(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("out");
    OutputDirectory.prepare(target.toString(), false, conf).commit();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> OutputDirectory.prepare(target.toString(), false, conf));
    assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    OutputDirectory again = OutputDirectory.prepare(target.toString(), true, conf);
    assertTrue(again.replacesExisting());
    again.abort();
  }

  @Test
  void incompleteOutputOfOursIsReplacedAndAbortLeavesTargetAlone(@TempDir Path dir)
      throws Exception {
    Path target = dir.resolve("out");
    Files.createDirectories(target.resolve("train"));
    Files.writeString(target.resolve("train/stale.parquet"), "x");
    Files.writeString(target.resolve(OutputDirectory.STARTED), "{}");
    OutputDirectory out = OutputDirectory.prepare(target.toString(), false, conf);
    assertTrue(out.replacesExisting());
    out.abort();
    assertTrue(
        Files.exists(target.resolve("train/stale.parquet")), "abort never touches the target");
    OutputDirectory.prepare(target.toString(), false, conf).commit();
    assertFalse(Files.exists(target.resolve("train/stale.parquet")));
    assertTrue(OutputDirectory.isComplete(target.toString(), conf));
  }

  @Test
  void foreignDirectoryWithoutMarkerIsRefusedAndKept(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("home");
    Files.createDirectories(target);
    Files.writeString(target.resolve("thesis.tex"), "years of work");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OutputDirectory.prepare(target.toString(), true, conf));
    assertTrue(
        e.getMessage().contains(target.toString())
            && e.getMessage().contains(OutputDirectory.STARTED),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    // A complete output of another tool (Spark writes _SUCCESS too) is not ours either, even with
    // --overwrite.
    Files.writeString(target.resolve(OutputDirectory.SUCCESS), "");
    assertThrows(
        IllegalArgumentException.class,
        () -> OutputDirectory.prepare(target.toString(), true, conf));
    assertEquals("years of work", Files.readString(target.resolve("thesis.tex")));
    try (var listing = Files.list(dir)) {
      assertEquals(1, listing.count(), "no temporary directory or lease left behind");
    }
  }

  @Test
  void emptyExistingDirectoryIsUsed(@TempDir Path dir) throws Exception {
    Path target = Files.createDirectories(dir.resolve("out"));
    OutputDirectory.prepare(target.toString(), false, conf).commit();
    assertTrue(OutputDirectory.isComplete(target.toString(), conf));
  }

  @Test
  void aFailedRunIsMovedInPlaceWithoutSuccessButNeverOverACompleteRun(@TempDir Path dir)
      throws Exception {
    Path target = dir.resolve("out");
    OutputDirectory failed = OutputDirectory.prepare(target.toString(), false, conf);
    Files.writeString(Path.of(failed.temporary().toUri()).resolve("stats.json"), "{}");
    assertEquals(target, Path.of(failed.commitIncomplete().toUri()));
    assertTrue(Files.exists(target.resolve("stats.json")));
    assertFalse(
        OutputDirectory.isComplete(target.toString(), conf), "a failed run never looks complete");

    OutputDirectory good =
        OutputDirectory.prepare(target.toString(), false, conf); // replaces it, no --overwrite
    Files.writeString(Path.of(good.temporary().toUri()).resolve("manifest.json"), "{}");
    good.commit();
    OutputDirectory again = OutputDirectory.prepare(target.toString(), true, conf);
    Files.writeString(
        Path.of(again.temporary().toUri()).resolve("stats.json"), "{\"failed\": true}");
    assertEquals(
        again.temporary(), again.commitIncomplete(), "the reports stay in the temporary directory");
    assertTrue(
        Files.exists(target.resolve("manifest.json"))
            && OutputDirectory.isComplete(target.toString(), conf),
        "the complete run is kept");
  }

  @Test
  void outputThatIsAFileIsRefused(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertThrows(
        IllegalStateException.class, () -> OutputDirectory.prepare(file.toString(), true, conf));
  }

  @Test
  void outputOverlappingAnInputIsRefusedInEveryForm(@TempDir Path dir) throws Exception {
    Path corpus = Files.createDirectories(dir.resolve("data/corpus"));
    Files.writeString(corpus.resolve("a.txt"), "text");
    Path link = Files.createSymbolicLink(dir.resolve("link"), corpus);
    String in = corpus.toString();
    // equals (plain, file: URI, with .., through a symlink), contains, lies inside; glob inputs too
    List<String[]> cases =
        List.of(
            new String[] {in, in},
            new String[] {in, "file://" + in},
            new String[] {in, dir.resolve("data/other/../corpus").toString()},
            new String[] {"file://" + in + "/", in},
            new String[] {in, link.toString()},
            new String[] {in, dir.resolve("data").toString()},
            new String[] {in, corpus.resolve("pre").toString()},
            new String[] {corpus.resolve("*.txt").toString(), in},
            new String[] {dir.resolve("data/*").toString(), corpus.toString()});
    for (String[] c : cases) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  OutputDirectory.prepare(
                      c[1], List.of(c[0]), true, "preprocess", RunLease.Policy.DEFAULT, conf),
              "input " + c[0] + " output " + c[1]);
      assertTrue(
          e.getMessage().contains("input " + c[0]) && e.getMessage().startsWith("output "),
          e.getMessage());
    }
    assertEquals("text", Files.readString(corpus.resolve("a.txt")));
    // a sibling is fine, and so is a directory next to the files a glob matches
    OutputDirectory.prepare(
            dir.resolve("data/pre").toString(),
            List.of(in),
            false,
            "preprocess",
            RunLease.Policy.DEFAULT,
            conf)
        .abort();
    OutputDirectory.prepare(
            corpus.resolve("pre").toString(),
            List.of(corpus.resolve("*.txt").toString()),
            false,
            "preprocess",
            RunLease.Policy.DEFAULT,
            conf)
        .abort();
  }

  @Test
  void failedRenameIntoPlaceKeepsThePreviousOutput(@TempDir Path dir) throws Exception {
    Configuration failing = FailingRenameFileSystem.configuration();
    String target = FailingRenameFileSystem.uri(dir.resolve("out"));
    OutputDirectory first = OutputDirectory.prepare(target, false, failing);
    writeInto(first, "manifest.json", "old");
    first.commit();

    OutputDirectory second = OutputDirectory.prepare(target, true, failing);
    writeInto(second, "manifest.json", "new");
    FailingRenameFileSystem.failWhen = (src, dst) -> src.getName().contains(".tmp-");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, second::commit);
    second.abort();
    assertTrue(e.getMessage().contains("previous output is back in"), e.getMessage());
    assertEquals(
        "old",
        Files.readString(dir.resolve("out/manifest.json")),
        "the complete previous output survives");
    assertTrue(Files.exists(dir.resolve("out/_SUCCESS")));
  }

  @Test
  void whenNothingCanBeRenamedBackTheMessageSaysWhereTheCompleteCopyIs(@TempDir Path dir)
      throws Exception {
    Configuration failing = FailingRenameFileSystem.configuration();
    String target = FailingRenameFileSystem.uri(dir.resolve("out"));
    OutputDirectory first = OutputDirectory.prepare(target, false, failing);
    writeInto(first, "manifest.json", "old");
    first.commit();

    OutputDirectory second = OutputDirectory.prepare(target, true, failing);
    FailingRenameFileSystem.failWhen =
        (src, dst) -> !dst.getName().contains(".old-"); // only the move aside works
    UncheckedIOException e = assertThrows(UncheckedIOException.class, second::commit);
    second.abort();
    String aside = e.getMessage().replaceAll(".*previous output is kept in (\\S+).*", "$1");
    Path kept = Path.of(new org.apache.hadoop.fs.Path(aside).toUri().getPath());
    assertEquals("old", Files.readString(kept.resolve("manifest.json")), e.getMessage());
    assertTrue(Files.exists(kept.resolve("_SUCCESS")));
  }

  @Test
  void secondRunIntoTheSameOutputIsRefusedWhileTheFirstHoldsTheLease(@TempDir Path dir)
      throws Exception {
    Path target = dir.resolve("out");
    OutputDirectory first = OutputDirectory.prepare(target.toString(), false, conf);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> OutputDirectory.prepare(target.toString(), true, conf));
    assertTrue(
        e.getMessage().contains("in use by " + System.getProperty("user.name"))
            && e.getMessage().contains("pid " + ProcessHandle.current().pid()),
        e.getMessage());
    first.commit();
    assertTrue(
        OutputDirectory.isComplete(target.toString(), conf), "the second run deleted nothing");
    OutputDirectory.prepare(target.toString(), true, conf).abort(); // released at commit
  }
}
