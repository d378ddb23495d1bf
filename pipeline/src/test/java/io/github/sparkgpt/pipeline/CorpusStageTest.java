package io.github.sparkgpt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sparkgpt.pipeline.stats.StageStats;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

class CorpusStageTest {
  private static final JavaSparkContext SC =
      JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());

  /** Drops documents with an empty text under {@code reason}, declaring {@code declared}. */
  private record DropEmpty(String reason, List<String> declared) implements CorpusStage {
    @Override
    public String name() {
      return "drop_empty";
    }

    @Override
    public List<String> dropReasons() {
      return declared;
    }

    @Override
    public CorpusResult run(JavaRDD<Document> docs) {
      String why = reason;
      JavaRDD<StageOutput> out =
          docs.map(
                  d ->
                      d.text().isEmpty()
                          ? StageOutput.rejected(RejectedDocument.of(d, "drop_empty", why, null))
                          : StageOutput.kept(d))
              .persist(StorageLevel.MEMORY_ONLY());
      long dropped = out.filter(o -> !o.isKept()).count();
      return new CorpusResult(
          out, new StageStats("drop_empty").set(2, 2 - dropped, 0, 0).addDrops(why, dropped));
    }
  }

  @Test
  void aDropUnderAnUndeclaredReasonFails() {
    JavaRDD<Document> docs =
        SC.parallelize(List.of(Document.of("a", "s", ""), Document.of("b", "s", "text")));
    try (CorpusResult ok =
        CorpusStage.runDeclared(new DropEmpty("empty", List.of("empty")), docs)) {
      assertEquals(List.of("b"), ok.kept().map(Document::id).collect());
    }
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> CorpusStage.runDeclared(new DropEmpty("empty", List.of("blank")), docs));
    assertEquals(
        "drop_empty dropped documents for [empty] but declares only [blank]", e.getMessage());
  }
}
