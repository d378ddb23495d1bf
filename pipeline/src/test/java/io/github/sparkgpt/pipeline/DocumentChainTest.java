package io.github.sparkgpt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.stats.StageStats;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class DocumentChainTest {
  /** Upper-cases text and counts characters changed. */
  static final class Upper implements DocumentStage {
    @Override
    public String name() {
      return "upper";
    }

    @Override
    public Verdict apply(Document doc, StageCounters c) {
      c.add("chars_upcased", doc.text().chars().filter(Character::isLowerCase).count());
      return Verdict.keep(doc.withText(doc.text().toUpperCase()));
    }
  }

  /** Drops documents shorter than 5 characters; throws on the text "BOOM". */
  static final class MinLength implements DocumentStage {
    @Override
    public String name() {
      return "min_length";
    }

    @Override
    public Verdict apply(Document doc, StageCounters c) {
      if (doc.text().equals("BOOM")) throw new IllegalStateException("kaboom");
      return doc.text().length() < 5 ? Verdict.drop("min_length_short") : Verdict.keep(doc);
    }
  }

  /**
   * Fails on some documents the way real code fails: deep recursion, a broken assertion, a JVM out
   * of memory.
   */
  static final class Fragile implements DocumentStage {
    @Override
    public String name() {
      return "fragile";
    }

    @Override
    public Verdict apply(Document doc, StageCounters c) {
      switch (doc.text()) {
        case "deep" -> recurse(0);
        case "assert" -> throw new AssertionError("invariant broken");
        case "oom" -> throw new OutOfMemoryError("Java heap space");
        default -> {}
      }
      return Verdict.keep(doc);
    }

    private static int recurse(int depth) {
      return recurse(depth + 1) + 1;
    }
  }

  /** Keeps the first 4 of every 10 characters, attributing the removal to rule "cut". */
  static final class Cut implements DocumentStage {
    @Override
    public String name() {
      return "cut";
    }

    @Override
    public Verdict apply(Document doc, StageCounters c) {
      String kept = doc.text().substring(0, doc.text().length() * 4 / 10);
      c.add("cut" + StageCounters.REMOVED_BYTES + "tail", doc.text().length() - kept.length());
      return Verdict.keep(doc.withText(kept));
    }
  }

  @Test
  void errorsOtherThanAJvmInTroubleQuarantineTheDocumentAndCountersReachTheReadStage() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    List<StageOutput> in =
        List.of(
            StageOutput.kept(Document.of("ok", "s", "fine text")),
            StageOutput.kept(Document.of("so", "s", "deep")),
            StageOutput.kept(Document.of("as", "s", "assert")),
            StageOutput.counts(Map.of("warc_records_response", 3L)),
            StageOutput.counts(Map.of("warc_records_response", 2L, "warc_skipped_request", 1L)));
    DocumentChain.Result r = new DocumentChain(List.of(new Fragile())).run(jsc.parallelize(in, 2));
    assertEquals(List.of("ok"), r.kept().map(Document::id).collect());
    Map<String, RejectedDocument> rejected =
        r.rejected().collect().stream().collect(Collectors.toMap(RejectedDocument::id, x -> x));
    assertEquals(2, rejected.size(), "counts are no rejections: " + rejected);
    assertEquals("fragile_error", rejected.get("so").reason());
    assertTrue(
        rejected.get("so").detail().startsWith("java.lang.StackOverflowError"),
        rejected.get("so").detail());
    assertEquals("fragile_error", rejected.get("as").reason());
    assertEquals("java.lang.AssertionError: invariant broken", rejected.get("as").detail());
    StageStats read = r.stats().get(0);
    assertEquals(3, read.docsIn(), "counts are no documents");
    assertEquals(Map.of("warc_records_response", 5L, "warc_skipped_request", 1L), read.counters());
    assertEquals(3, r.stats().get(1).docsIn());
    assertEquals(1, r.stats().get(1).docsOut());
    r.unpersist();

    // A JVM out of memory is not the document's fault: the task fails (and Spark may run it again
    // elsewhere).
    org.junit.jupiter.api.Assertions.assertThrows(
        OutOfMemoryError.class,
        () ->
            DocumentChain.guarded(
                new Fragile(), Document.of("x", "s", "oom"), new StageCounters()));
  }

  @Test
  void flagsDocumentsAStageCutByMoreThanTheShare() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    JavaRDD<StageOutput> rdd =
        jsc.parallelize(
            List.of(
                StageOutput.kept(Document.of("book", "s", "x".repeat(1000))),
                StageOutput.kept(Document.of("page", "s", "y".repeat(10)))),
            2);
    DocumentChain.Result r = new DocumentChain(List.of(new Cut())).run(rdd);
    StageStats cut = r.stats().get(1);
    assertEquals(2, cut.counters().get("documents_flagged_removed_share"));
    assertEquals(606, cut.counters().get("bytes_removed_from_kept_documents"));
    assertEquals(
        List.of("book", "page"),
        cut.flagged().stream().map(StageStats.Flagged::id).sorted().toList());
    StageStats.Flagged book =
        cut.flagged().stream().filter(f -> f.id().equals("book")).findFirst().orElseThrow();
    assertEquals(1000, book.bytesBefore());
    assertEquals(600, book.bytesRemoved());
    assertEquals(Map.of("cut_removed_bytes_tail", 600L), book.rules());
    r.unpersist();

    DocumentChain.Result lenient = new DocumentChain(List.of(new Cut()), 0.9).run(rdd);
    assertEquals(null, lenient.stats().get(1).counters().get("documents_flagged_removed_share"));
    assertTrue(lenient.stats().get(1).flagged().isEmpty());
    lenient.unpersist();
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new DocumentChain(List.of(new Cut()), 1.5));
  }

  @Test
  void runsStagesInOrderCountsDropsAndQuarantinesStageErrors() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    List<StageOutput> in =
        List.of(
            StageOutput.kept(Document.of("a", "s", "hello world")),
            StageOutput.kept(Document.of("b", "s", "hi")),
            StageOutput.kept(Document.of("c", "s", "boom")),
            StageOutput.rejected(
                new RejectedDocument("s#L9", "s", "read", "read_malformed_json", null, "{oops")),
            StageOutput.kept(Document.of("d", "s", "another one")));
    JavaRDD<StageOutput> rdd = jsc.parallelize(in, 3);
    DocumentChain.Result r = new DocumentChain(List.of(new Upper(), new MinLength())).run(rdd);

    assertEquals(
        List.of("HELLO WORLD", "ANOTHER ONE"),
        r.kept().map(Document::text).collect().stream()
            .sorted((x, y) -> y.compareTo(x))
            .collect(Collectors.toList()));
    Map<String, RejectedDocument> rejected =
        r.rejected().collect().stream().collect(Collectors.toMap(RejectedDocument::id, x -> x));
    assertEquals("min_length_short", rejected.get("b").reason());
    assertEquals("min_length_error", rejected.get("c").reason());
    assertTrue(rejected.get("c").detail().contains("kaboom"));
    assertEquals("read_malformed_json", rejected.get("s#L9").reason());

    List<StageStats> stats = r.stats();
    assertEquals(
        List.of("read", "upper", "min_length"), stats.stream().map(StageStats::stage).toList());
    assertEquals(5, stats.get(0).docsIn());
    assertEquals(4, stats.get(0).docsOut());
    assertEquals(4, stats.get(1).docsOut());
    assertEquals(2, stats.get(2).docsOut());
    assertEquals(Map.of("min_length_short", 1L, "min_length_error", 1L), stats.get(2).drops());
    assertEquals(10 + 2 + 4 + 10, stats.get(1).counters().get("chars_upcased"));
    assertEquals(
        stats.get(1).bytesIn(), stats.get(1).bytesOut(), "upper-casing ASCII keeps the size");
    r.unpersist();
  }
}
