package io.github.sparkgpt.pipeline.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.CorpusResult;
import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentChain;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.SparkTestSession;
import io.github.sparkgpt.pipeline.StageOutput;
import io.github.sparkgpt.pipeline.filter.ChineseText;
import io.github.sparkgpt.pipeline.filter.quality.C4QualityFilter;
import io.github.sparkgpt.pipeline.stats.PreprocessStats;
import io.github.sparkgpt.pipeline.stats.StageStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * A perturbed copy (2% of words changed) of a long hard-wrapped book, through C4's line rule and
 * near-dedup: found when signatures are taken before the line rule, missed when taken after it (the
 * rule keeps different lines of the two copies, because every changed word moves the line breaks
 * after it).
 */
class SignatureBeforeQualityTest {
  private static final JavaSparkContext SC =
      JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());

  /** Words of an e-book: sentences of 6-20 words, paragraphs of 3-8 sentences. */
  private static List<List<String>> book(Random rnd, int paragraphs) {
    String[] vocab = new String[3000];
    for (int i = 0; i < vocab.length; i++) {
      char[] w = new char[2 + rnd.nextInt(8)];
      for (int j = 0; j < w.length; j++) w[j] = (char) ('a' + rnd.nextInt(26));
      vocab[i] = new String(w);
    }
    List<List<String>> out = new ArrayList<>();
    for (int p = 0; p < paragraphs; p++) {
      List<String> words = new ArrayList<>();
      int sentences = 3 + rnd.nextInt(6);
      for (int s = 0; s < sentences; s++) {
        int n = 6 + rnd.nextInt(15);
        for (int k = 0; k < n; k++)
          words.add(vocab[rnd.nextInt(vocab.length)] + (k == n - 1 ? "." : ""));
      }
      out.add(words);
    }
    return out;
  }

  /** Paragraphs hard-wrapped at 70 columns, blank lines between them. */
  private static String wrap(List<List<String>> paragraphs) {
    StringBuilder sb = new StringBuilder();
    for (List<String> p : paragraphs) {
      int col = 0;
      for (String w : p) {
        if (col > 0 && col + 1 + w.length() > 70) {
          sb.append('\n');
          col = 0;
        }
        if (col > 0) {
          sb.append(' ');
          col++;
        }
        sb.append(w);
        col += w.length();
      }
      sb.append("\n\n");
    }
    return sb.toString().strip();
  }

  private static List<List<String>> perturb(
      List<List<String>> paragraphs, double fraction, Random rnd) {
    List<List<String>> out = new ArrayList<>();
    for (List<String> p : paragraphs) {
      List<String> q = new ArrayList<>(p);
      for (int i = 0; i < q.size(); i++) {
        if (rnd.nextDouble() < fraction) {
          String end = q.get(i).endsWith(".") ? "." : "";
          q.set(i, "x" + Integer.toString(rnd.nextInt(1 << 20), 36) + end);
        }
      }
      out.add(q);
    }
    return out;
  }

  private record Run(Map<String, String> rejected, List<StageStats> stats) {}

  private static Run run(List<Document> docs, List<DocumentStage> stages) {
    List<StageOutput> in = docs.stream().map(StageOutput::kept).collect(Collectors.toList());
    DocumentChain.Result chained = new DocumentChain(stages).run(SC.parallelize(in, 2));
    try (CorpusResult r = new MinHashDedup().run(chained.kept())) {
      Map<String, String> rejected =
          r.rejected().collect().stream()
              .collect(Collectors.toMap(RejectedDocument::id, RejectedDocument::detail));
      chained.unpersist();
      return new Run(rejected, chained.stats());
    }
  }

  @Test
  void perturbedCopyOfAHardWrappedBookIsFoundThroughC4sLineRule() {
    Random rnd = new Random(12);
    List<List<String>> original = book(rnd, 300);
    String a = wrap(original);
    String b = wrap(perturb(original, 0.02, rnd));
    List<Document> docs =
        List.of(
            Document.of("book", "t", a),
            Document.of("book-copy", "t", b),
            Document.of("other", "t", wrap(book(new Random(99), 300))));
    MinHashSignatureStage signatures = new MinHashDedup().signatureStage();

    Run before = run(docs, List.of(signatures, new C4QualityFilter()));
    assertEquals(Map.of("book-copy", "book"), before.rejected());
    Run after = run(docs, List.of(new C4QualityFilter()));
    assertEquals(Map.of(), after.rejected(), "signatures of C4's output miss the copy");

    // C4 removed most of each book (lines of a hard-wrapped book rarely end a sentence): flagged,
    // with the rule.
    StageStats c4 = before.stats().get(2);
    assertEquals("c4_quality", c4.stage());
    assertEquals(3, c4.counters().get("documents_flagged_removed_share"));
    StageStats.Flagged book =
        c4.flagged().stream().filter(f -> f.id().equals("book")).findFirst().orElseThrow();
    assertTrue(book.share() > 0.5, "share " + book.share());
    assertEquals("c4_removed_bytes_no_terminal_punct", book.rules().keySet().iterator().next());
    long lines = c4.counters().get("c4_removed_line_no_terminal_punct");
    long bytes = c4.counters().get("c4_removed_bytes_no_terminal_punct");
    assertTrue(lines > 1000 && bytes > 50_000, lines + " lines, " + bytes + " bytes");
    assertEquals(
        c4.bytesIn() - c4.bytesOut(), c4.counters().get("bytes_removed_from_kept_documents"));

    PreprocessStats stats = new PreprocessStats();
    before.stats().forEach(stats::addStage);
    String summary = stats.summary("out");
    assertTrue(summary.contains("c4_quality removed more than 50% of 3 kept documents:"), summary);
    assertTrue(
        summary.matches(
            "(?s).*\\n"
                + "  \\d+% of book \\([\\d,]+ bytes\\): c4_removed_bytes_no_terminal_punct"
                + " \\d+%.*"),
        summary);
    assertTrue(
        summary.contains(
            String.format(
                "c4_quality removed from kept and dropped documents: "
                    + "c4_no_terminal_punct %,d lines, %,d bytes;",
                lines, bytes)),
        summary);
    @SuppressWarnings("unchecked")
    Map<String, Object> c4Json = ((List<Map<String, Object>>) stats.toJson().get("stages")).get(2);
    assertEquals(3, ((List<?>) c4Json.get("flagged_documents")).size());
    assertEquals(
        Map.of("lines", lines, "bytes", bytes),
        ((Map<?, ?>) c4Json.get("removed_by_rule")).get("c4_no_terminal_punct"));
  }

  @Test
  void nearDuplicateChineseDocumentsAreFound() {
    String base = ChineseText.PROSE;
    // Three words changed in ~300: one shingle set in Chinese words differs in at most 15 of ~300
    // shingles.
    String copy = base.replace("收集大量的文本", "收集海量的文本").replace("导航栏", "菜单栏").replace("固定长度", "统一长度");
    String unrelated = "春天来了，山上的花都开了。小河里的冰化了，河水哗哗地流着。农民们在田里忙着播种，孩子们在草地上放风筝。".repeat(3);
    List<Document> docs =
        List.of(
            ChineseText.doc("zh-a", base),
            ChineseText.doc("zh-b", copy),
            ChineseText.doc("zh-c", unrelated));
    Run r = run(docs, List.of(new MinHashDedup().signatureStage()));
    assertEquals(Map.of("zh-b", "zh-a"), r.rejected());

    Shingler zh = new Shingler(5);
    zh.shingle(base, "zh");
    Shingler none = new Shingler(5);
    none.shingle(base);
    assertTrue(
        zh.count() > 200 && none.count() < 40,
        zh.count() + " shingles in words, " + none.count() + " in clauses");
  }
}
