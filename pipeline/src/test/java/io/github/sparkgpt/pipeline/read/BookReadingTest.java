package io.github.sparkgpt.pipeline.read;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.SparkTestSession;
import io.github.sparkgpt.pipeline.StageOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text files as books come (hard-wrapped, one file per book), ids relative to the input root,
 * symlink loops.
 */
class BookReadingTest {
  @TempDir Path dir;

  private static final SparkSession SPARK = SparkTestSession.get();

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, UTF_8);
    return p;
  }

  private static List<StageOutput> read(CorpusReader reader, String... paths) {
    return reader.read(SPARK, List.of(paths)).collect();
  }

  private static Map<String, Document> kept(List<StageOutput> out) {
    Map<String, Document> m = new TreeMap<>();
    for (StageOutput o : out) if (o.isKept()) m.put(o.document().id(), o.document());
    return m;
  }

  private static Map<String, Long> counters(List<StageOutput> out) {
    Map<String, Long> m = new TreeMap<>();
    for (StageOutput o : out)
      if (o.isCounts()) o.counts().forEach((k, v) -> m.merge(k, v, Long::sum));
    return m;
  }

  private List<String> planIds(String... inputs) {
    return new CorpusReader()
        .plan(new Configuration(), List.of(inputs)).files().stream().map(InputFile::id).toList();
  }

  @Test
  void aHardWrappedNovelIsUnwrappedAndSplitIntoChaptersWithStableIds() throws IOException {
    String novel = TextSplitterTest.novel(6, 8);
    write("library/austen/novel.txt", novel);
    write("library/notes.txt", "A short note.\nOn two lines.");
    ReadOptions.Builder options =
        ReadOptions.builder().setSplitMaxBytes(8_000).setSplitMinBytes(500);
    List<StageOutput> out =
        read(new CorpusReader(options.build()), dir.resolve("library").toString());
    Map<String, Document> docs = kept(out);
    assertEquals(
        List.of(
            "library/austen/novel.txt#part=1",
            "library/austen/novel.txt#part=2",
            "library/austen/novel.txt#part=3",
            "library/austen/novel.txt#part=4",
            "library/austen/novel.txt#part=5",
            "library/austen/novel.txt#part=6",
            "library/notes.txt"),
        List.copyOf(docs.keySet()));
    Document chapter2 = docs.get("library/austen/novel.txt#part=2");
    assertTrue(
        chapter2
            .text()
            .startsWith("CHAPTER II.\n\n" + HardWrapTest.PARAGRAPHS.get(0) + " (chapter 2,"),
        chapter2.text());
    assertEquals(
        dir.resolve("library/austen/novel.txt").toUri().getPath(),
        java.net.URI.create(chapter2.source()).getPath(),
        "source keeps the full path");
    assertEquals(
        "A short note.\nOn two lines.",
        docs.get("library/notes.txt").text(),
        "not wrapped, not joined");
    long wrappedBreaks = 0;
    for (int c = 1; c <= 6; c++) {
      for (int p = 0; p < 8; p++) {
        wrappedBreaks +=
            HardWrapTest.wrap(
                    HardWrapTest.PARAGRAPHS.get(p % HardWrapTest.PARAGRAPHS.size())
                        + " (chapter "
                        + c
                        + ", paragraph "
                        + p
                        + ")",
                    70)
                .chars()
                .filter(ch -> ch == '\n')
                .count();
      }
    }
    assertEquals(
        Map.of(
            TextFileRecords.UNWRAPPED_DOCUMENTS,
            1L,
            TextFileRecords.LINES_JOINED,
            wrappedBreaks,
            TextFileRecords.SPLIT_FILES,
            1L,
            TextFileRecords.SPLIT_PARTS,
            6L),
        counters(out));

    // Both off: the file is one document with its lines, as before, and nothing is counted.
    List<StageOutput> whole =
        read(
            new CorpusReader(options.setUnwrap("never").setSplit("never").build()),
            dir.resolve("library").toString());
    assertEquals(novel, kept(whole).get("library/austen/novel.txt").text());
    assertEquals(Map.of(), counters(whole));
  }

  @Test
  void aLongFileWithoutHeadingsIsSplitBetweenParagraphs() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 200; i++)
      sb.append("Paragraph ").append(i).append(" says something of no importance.\n\n");
    write("log.txt", sb.toString());
    List<StageOutput> out =
        read(
            new CorpusReader(
                ReadOptions.builder().setSplitMaxBytes(1_000).setSplitMinBytes(100).build()),
            dir.resolve("log.txt").toString());
    Map<String, Document> docs = kept(out);
    assertTrue(docs.size() >= sb.length() / 1_000, docs.size() + " parts");
    for (Document d : docs.values()) {
      assertTrue(d.id().startsWith("log.txt#part="), d.id());
      assertTrue(d.utf8Bytes() <= 1_000);
    }
    assertEquals(
        200, docs.values().stream().mapToLong(d -> d.text().split("Paragraph ").length - 1).sum());

    // Binary data named .txt is rejected once for the file, not once per part.
    byte[] noise = new byte[5_000];
    new java.util.Random(3).nextBytes(noise);
    Files.write(dir.resolve("blob.txt"), noise);
    List<StageOutput> blob =
        read(
            new CorpusReader(ReadOptions.builder().setSplitMaxBytes(1_000).build()),
            dir.resolve("blob.txt").toString());
    assertEquals(
        List.of("blob.txt read_binary_content"),
        blob.stream()
            .filter(StageOutput::isRejected)
            .map(o -> o.rejected().id() + " " + o.rejected().reason())
            .toList());
    assertEquals(1, blob.size());
  }

  @Test
  void idsAreRelativeToTheInputRootAndSurviveAMove() throws IOException {
    write("a/corpus/one.txt", "one");
    write("a/corpus/sub/two.jsonl", "{\"text\": \"two\"}\n");
    assertEquals(
        List.of("corpus/one.txt", "corpus/sub/two.jsonl"),
        planIds(dir.resolve("a/corpus").toString()));
    assertEquals(List.of("one.txt"), planIds(dir.resolve("a/corpus/one.txt").toString()));
    assertEquals(List.of("corpus/sub/two.jsonl"), planIds(dir.resolve("a/corpus") + "/*/*.jsonl"));
    assertEquals(
        List.of("corpus/one.txt", "corpus/sub/two.jsonl"),
        planIds("file:" + dir.resolve("a/corpus")));

    Files.createDirectories(dir.resolve("b/deeper"));
    Files.move(dir.resolve("a/corpus"), dir.resolve("b/deeper/corpus"));
    assertEquals(
        List.of("corpus/one.txt", "corpus/sub/two.jsonl"),
        planIds(dir.resolve("b/deeper/corpus").toString()));
    List<String> docIds =
        kept(read(new CorpusReader(), dir.resolve("b/deeper/corpus").toString())).keySet().stream()
            .toList();
    assertEquals(List.of("corpus/one.txt", "corpus/sub/two.jsonl#L1"), docIds);
  }

  @Test
  void inputsThatWouldShareIdsKeepTheirFullPaths() throws IOException {
    Path x = write("x/data/a.txt", "from x");
    Path y = write("y/data/a.txt", "from y");
    write("x/data/b.txt", "only in x");
    List<String> ids = planIds(dir.resolve("x/data").toString(), dir.resolve("y/data").toString());
    assertEquals(List.of("file:" + x, "data/b.txt", "file:" + y), ids);
  }

  @Test
  void symlinkLoopsAreSkippedAndCounted() throws IOException {
    write("corpus/a.txt", "alpha");
    write("corpus/sub/b.txt", "beta");
    Files.createSymbolicLink(dir.resolve("corpus/sub/loop"), dir.resolve("corpus"));
    Files.createSymbolicLink(dir.resolve("corpus/sub/self"), Path.of("."));
    ReadPlan plan =
        new CorpusReader().plan(new Configuration(), List.of(dir.resolve("corpus").toString()));
    assertEquals(
        List.of("corpus/a.txt", "corpus/sub/b.txt"),
        plan.files().stream().map(InputFile::id).toList());
    assertEquals(Map.of(ReadPlan.SYMLINK_LOOPS, 2L), plan.counters());
    assertEquals(2, plan.skipped().size());
    assertTrue(plan.skipped().get(0).contains("corpus/sub/loop"), plan.skipped().toString());

    // Two links to one directory outside the input: listed once, the second counted.
    write("shared/c.txt", "gamma");
    Files.createDirectories(dir.resolve("links"));
    Files.createSymbolicLink(dir.resolve("links/first"), dir.resolve("shared"));
    Files.createSymbolicLink(dir.resolve("links/second"), dir.resolve("shared"));
    ReadPlan links =
        new CorpusReader().plan(new Configuration(), List.of(dir.resolve("links").toString()));
    assertEquals(List.of("links/first/c.txt"), links.files().stream().map(InputFile::id).toList());
    assertEquals(Map.of(ReadPlan.REPEATED_DIRECTORIES, 1L), links.counters());
    assertFalse(read(new CorpusReader(), dir.resolve("corpus").toString()).isEmpty());
  }
}
