package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preprocess on local[2], then the same corpus moved to another directory: document ids are
 * relative to the input root, so the train/validation split, the token counts and the rejections
 * are the same. The corpus includes a hard-wrapped book that the reader unwraps and splits into
 * chapters, and a symbolic link loop.
 */
class PreprocessRelocationTest {
  @TempDir Path dir;

  /** A book as plain-text e-books come: chapters of paragraphs hard-wrapped at 70 columns. */
  static String book(Random rnd, int chapters) {
    StringBuilder sb = new StringBuilder("THE SYNTHETIC BOOK\n\nBy Nobody\n\n\n");
    for (int c = 1; c <= chapters; c++) {
      sb.append("CHAPTER ").append(c).append("\n\n");
      for (String paragraph : SyntheticCorpus.document(rnd).split("\n\n")) {
        int col = 0;
        for (String w : paragraph.split(" ")) {
          if (col > 0 && col + 1 + w.length() > 70) {
            sb.append('\n');
            col = 0;
          } else if (col > 0) {
            sb.append(' ');
            col++;
          }
          sb.append(w);
          col += w.length();
        }
        sb.append("\n\n");
      }
    }
    return sb.toString();
  }

  private int preprocess(Path input, Path output) {
    return PreprocessJob.run(
        "--master",
        "local[2]",
        "--input",
        input.toString(),
        "--output",
        output.toString(),
        "--vocab-size",
        "400",
        "--context-length",
        "32",
        "--validation-fraction",
        "0.3",
        "--set",
        "dedup.minhash.num_partitions=2",
        "--set",
        "read.split_max_bytes=2000",
        "--set",
        "read.split_min_bytes=200");
  }

  @Test
  void aMovedCorpusKeepsItsSplitAndTokenCounts() throws Exception {
    Path corpus = dir.resolve("first/place/corpus");
    new SyntheticCorpus().write(corpus, 30, 11);
    Files.writeString(corpus.resolve("text/book.txt"), book(new Random(5), 12));
    // A relative link back to the corpus root (it survives the move): listed once, counted, not
    // followed forever.
    Files.createSymbolicLink(corpus.resolve("text/loop"), Path.of(".."));
    assertEquals(0, preprocess(corpus, dir.resolve("out1")));

    Path moved = dir.resolve("elsewhere/corpus");
    Files.createDirectories(moved.getParent());
    Files.move(corpus, moved);
    assertEquals(0, preprocess(moved, dir.resolve("out2")));

    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(dir.resolve("out1/stats.json").toFile());
    JsonNode second = json.readTree(dir.resolve("out2/stats.json").toFile());
    for (String split : List.of("train", "validation")) {
      JsonNode a = first.get("tokens").get(split);
      JsonNode b = second.get("tokens").get(split);
      assertTrue(a.get("documents").asLong() > 0, split + " has documents");
      assertEquals(a.get("documents").asLong(), b.get("documents").asLong(), split + " documents");
      assertEquals(
          a.get("document_tokens").asLong(), b.get("document_tokens").asLong(), split + " tokens");
    }
    JsonNode read = first.get("stages").get(0);
    assertEquals("read", read.get("stage").asText());
    assertEquals(1, read.get("counters").get("split_files").asLong(), read.toString());
    assertTrue(read.get("counters").get("split_parts").asLong() >= 12, read.toString());
    assertEquals(1, read.get("counters").get("unwrap_documents").asLong(), read.toString());
    assertEquals(1, read.get("counters").get("listing_symlink_loops").asLong(), read.toString());
    assertEquals(rejectedIds(dir.resolve("out1")), rejectedIds(dir.resolve("out2")));
    assertTrue(rejectedIds(dir.resolve("out1")).contains("corpus/records.jsonl#L21"));
  }

  private static Set<String> rejectedIds(Path output) {
    SparkSession spark =
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    try {
      Set<String> ids = new TreeSet<>();
      for (Row r : spark.read().parquet(output.resolve("rejected").toString()).collectAsList())
        ids.add(r.getString(0));
      return ids;
    } finally {
      spark.stop();
    }
  }
}
