package io.github.sparkgpt.pipeline.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryTest {
  private final Configuration conf = new Configuration();

  @Test
  void commitMovesTemporaryIntoPlaceAndMarksSuccessLast(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("out");
    OutputDirectory out = OutputDirectory.prepare(target.toString(), false, conf);
    assertFalse(Files.exists(target), "nothing visible before commit");
    Files.writeString(Path.of(out.temporary().toUri()).resolve("manifest.json"), "{}");
    out.commit();
    assertTrue(Files.exists(target.resolve("manifest.json")));
    assertTrue(Files.exists(target.resolve(OutputDirectory.SUCCESS)));
    try (var listing = Files.list(dir)) {
      assertEquals(1, listing.count(), "only the target remains, the temporary directory is gone");
    }
  }

  @Test
  void completeOutputIsRefusedWithoutOverwrite(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("out");
    OutputDirectory.prepare(target.toString(), false, conf).commit();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> OutputDirectory.prepare(target.toString(), false, conf));
    assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    OutputDirectory again = OutputDirectory.prepare(target.toString(), true, conf);
    assertTrue(again.replacesExisting());
    again.abort();
  }

  @Test
  void incompleteOutputIsReplacedAndAbortLeavesTargetAlone(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("out");
    Files.createDirectories(target.resolve("train"));
    Files.writeString(target.resolve("train/stale.parquet"), "x");
    OutputDirectory out = OutputDirectory.prepare(target.toString(), false, conf);
    assertTrue(out.replacesExisting());
    out.abort();
    assertTrue(Files.exists(target.resolve("train/stale.parquet")), "abort never touches the target");
    OutputDirectory.prepare(target.toString(), false, conf).commit();
    assertFalse(Files.exists(target.resolve("train/stale.parquet")));
    assertTrue(OutputDirectory.isComplete(target.toString(), conf));
  }

  @Test
  void aFailedRunIsMovedInPlaceWithoutSuccessButNeverOverACompleteRun(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("out");
    OutputDirectory failed = OutputDirectory.prepare(target.toString(), false, conf);
    Files.writeString(Path.of(failed.temporary().toUri()).resolve("stats.json"), "{}");
    assertEquals(target, Path.of(failed.commitIncomplete().toUri()));
    assertTrue(Files.exists(target.resolve("stats.json")));
    assertFalse(OutputDirectory.isComplete(target.toString(), conf), "a failed run never looks complete");

    OutputDirectory good = OutputDirectory.prepare(target.toString(), false, conf);   // replaces it, no --overwrite
    Files.writeString(Path.of(good.temporary().toUri()).resolve("manifest.json"), "{}");
    good.commit();
    OutputDirectory again = OutputDirectory.prepare(target.toString(), true, conf);
    Files.writeString(Path.of(again.temporary().toUri()).resolve("stats.json"), "{\"failed\": true}");
    assertEquals(again.temporary(), again.commitIncomplete(), "the reports stay in the temporary directory");
    assertTrue(Files.exists(target.resolve("manifest.json")) && OutputDirectory.isComplete(target.toString(), conf),
        "the complete run is kept");
  }

  @Test
  void outputThatIsAFileIsRefused(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertThrows(IllegalStateException.class, () -> OutputDirectory.prepare(file.toString(), true, conf));
  }
}
