package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corpora of very few documents, and corpora that keep none, end to end on local[2]. */
class PreprocessSplitsJobTest {
  @TempDir Path dir;

  @Test
  void twoLargeDocumentsGetANonEmptyValidationSplitOfWindows() throws Exception {
    Random rnd = new Random(3);
    Path in = Files.createDirectories(dir.resolve("books"));
    for (String book : new String[] {"first.txt", "second.txt"}) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 12; i++)
        text.append(i > 0 ? "\n\n" : "").append(SyntheticCorpus.document(rnd));
      Files.writeString(in.resolve(book), text);
    }
    Path out = dir.resolve("out");
    String console =
        Console.out(
            () ->
                assertEquals(
                    0,
                    PreprocessJob.run(
                        "--master",
                        "local[2]",
                        "--input",
                        in.toString(),
                        "--output",
                        out.toString(),
                        "--vocab-size",
                        "300",
                        "--context-length",
                        "32")));
    JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals("window", m.get("split_mode").asText());
    long train = m.get("splits").get("train").get("rows").asLong();
    long validation = m.get("splits").get("validation").get("rows").asLong();
    assertTrue(
        train > 50 && validation >= 1, train + " train, " + validation + " validation sequences");
    assertEquals(
        Math.max(1, Math.round(0.02 * (train + validation))),
        validation,
        "2% of the windows, at least one");
    System.out.printf(
        "two documents: %d train and %d validation sequences of 33 tokens (split by window)%n",
        train, validation);
    JsonNode stats = new ObjectMapper().readTree(out.resolve("stats.json").toFile());
    assertEquals("window", stats.get("split").get("mode").asText());
    assertTrue(
        stats
            .get("split")
            .get("reason")
            .asText()
            .contains("2 documents < pack.window_split_below_documents"),
        stats.get("split").toString());
    assertEquals(
        2,
        stats.get("tokens").get("train").get("documents").asLong(),
        "both books have text in train");
    String summary = Files.readString(out.resolve("summary.txt"));
    assertTrue(summary.contains("split: by sequence window (2 documents"), summary);
    assertTrue(console.contains("split: by sequence window"), console);
    assertFalse(summary.contains("WARNING"), summary);
  }

  @Test
  void aRunThatKeepsNoDocumentFailsWithTheTopReasonsAndDoesNotLookComplete() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    for (int i = 0; i < 3; i++) {
      Files.writeString(
          in.resolve("short-" + i + ".txt"),
          "The council met on day "
              + i
              + " and discussed the new road to the school. It rained all afternoon, and the"
              + " meeting ran late into the evening.");
    }
    Files.writeString(
        in.resolve("german.txt"),
        "Die Regierung hat im vergangenen Jahr viele neue Gesetze beschlossen, und der Ausschuss"
            + " hat die Vorschläge der Bürger sorgfältig geprüft. Die Bauern im Tal haben eine gute"
            + " Ernte eingebracht, und die neuen Straßen verbinden jetzt alle Dörfer der Region.");
    Path out = dir.resolve("out");
    String err =
        Console.err(
            () ->
                assertEquals(
                    JobRunner.FAILED,
                    PreprocessJob.run(
                        "--master",
                        "local[2]",
                        "--input",
                        in.toString(),
                        "--output",
                        out.toString())));
    // (Spark's own start-up warnings may precede it when this is the JVM's first session)
    List<String> ours = err.lines().filter(l -> l.startsWith("preprocess:")).toList();
    assertEquals(1, ours.size(), err);
    err = ours.get(0);
    assertTrue(
        err.startsWith("preprocess: failed: kept 0 of 4 documents; top drop reasons: "), err);
    assertTrue(err.contains("language_not_allowed=1 (language)"), err);
    assertTrue(err.contains("=3 (gopher_quality)"), "the short documents: " + err);
    // The reports are there to inspect, but nothing that makes it look like a usable output.
    assertTrue(
        Files.exists(out.resolve("stats.json")) && Files.isDirectory(out.resolve("rejected")), err);
    assertTrue(
        Files.readString(out.resolve("summary.txt")).contains("WARNING: no document was kept"));
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
    assertFalse(Files.exists(out.resolve("manifest.json")));
    // and the next run replaces it without --overwrite
    String again =
        Console.err(
            () ->
                assertEquals(
                    JobRunner.FAILED,
                    PreprocessJob.run(
                        "--master",
                        "local[2]",
                        "--input",
                        in.toString(),
                        "--output",
                        out.toString())));
    assertFalse(again.contains("--overwrite"), again);
  }
}
