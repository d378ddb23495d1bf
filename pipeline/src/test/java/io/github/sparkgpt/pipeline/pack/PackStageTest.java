package io.github.sparkgpt.pipeline.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.SparkTestSession;
import io.github.sparkgpt.pipeline.stats.PreprocessStats;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.tokenizer.SpecialTokens;
import io.github.sparkgpt.pipeline.write.ShardInfo;
import io.github.sparkgpt.pipeline.write.ShardSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackStageTest {
  private static Packing.SplitTotals totals(long documents, long tokens) {
    Packing.SplitTotals t = new Packing.SplitTotals();
    t.documents = documents;
    t.tokens = tokens;
    return t;
  }

  @Test
  void bindsAndValidatesItsSection() {
    PackStage stage =
        ConfigBinder.bind(
            new PackStage(1),
            ConfigFactory.parseString(
                "context_length = 16\nvalidation_fraction = 0.1\nwindow_split_below_documents = 5"),
            "pack");
    stage.validate();
    assertEquals(16, stage.contextLength());
    assertEquals("pack", stage.name());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new PackStage(1).setContextLength(0).validate());
    assertEquals("pack.context_length must be >= 1, got 0", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new PackStage(1).setValidationFraction(1).validate());
    assertThrows(
        IllegalArgumentException.class,
        () -> new PackStage(1).setWindowSplitBelowDocuments(-1).validate());
  }

  @Test
  void splitsByWindowForFewDocumentsOrWhenASideWouldHoldNoFullRow() {
    PackStage stage =
        new PackStage(1)
            .setContextLength(9)
            .setValidationFraction(0.1)
            .setWindowSplitBelowDocuments(5);
    assertEquals(
        "4 documents < pack.window_split_below_documents = 5",
        stage.windowSplitReason(new Packing.SplitTotals[] {totals(3, 1000), totals(1, 100)}));
    assertNull(
        stage.windowSplitReason(new Packing.SplitTotals[] {totals(9, 1000), totals(1, 100)}));
    assertEquals(
        "split by document, validation would hold no full sequence",
        stage.windowSplitReason(new Packing.SplitTotals[] {totals(9, 1000), totals(1, 8)}));
    assertEquals(
        "split by document, train would hold no full sequence",
        stage.windowSplitReason(new Packing.SplitTotals[] {totals(9, 0), totals(1, 100)}));
  }

  @Test
  void packsEveryTokenIntoRowsAndWarnsOfAnEmptyValidation(@TempDir java.nio.file.Path dir) {
    SparkSession spark = SparkTestSession.get();
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 6; i++)
      docs.add(Document.of("d" + i, "s", "the cat sat on the mat number " + i));
    BpeTokenizer tokenizer =
        new BpeTrainer().setVocabSize(300).trainOnCounts(Map.of("the", 4L, " cat", 2L));
    int eot = tokenizer.specialTokenId(SpecialTokens.END_OF_TEXT);
    PreprocessStats stats = new PreprocessStats();
    PackStage stage =
        new PackStage(7)
            .setContextLength(8)
            .setValidationFraction(0)
            .setWindowSplitBelowDocuments(0);
    PackStage.Packed packed =
        stage.run(
            spark,
            JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(docs, 2),
            tokenizer,
            eot,
            new ShardSettings().setMinTrainShards(1),
            new Path(dir.toUri()),
            stats);
    long streamTokens = docs.stream().mapToLong(d -> tokenizer.encode(d.text()).length + 1).sum();
    long rows = packed.train().stream().mapToLong(ShardInfo::rows).sum();
    assertNull(packed.windowSplitReason());
    assertTrue(
        rows > 0 && rows <= streamTokens / 9, rows + " rows of 9 from " + streamTokens + " tokens");
    assertEquals(List.of(), packed.validation());
    assertEquals(rows, stats.rows(false));
    assertTrue(
        stats
            .warnings()
            .get(0)
            .startsWith("the validation split is empty (pack.validation_fraction = 0)"),
        stats.warnings().toString());
  }
}
