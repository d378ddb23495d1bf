package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerStageTest {
  private static final JavaSparkContext SC =
      JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
  private static final Configuration CONF = new Configuration();

  private static JavaRDD<Document> docs() {
    return SC.parallelize(
        List.of(
            Document.of("a", "s", "the cat sat on the mat"),
            Document.of("b", "s", "the dog sat on the log")),
        2);
  }

  @Test
  void trainsWithTheSpecialTokensFirstAfterTheMerges() {
    TokenizerStage.Output out =
        new TokenizerStage(new BpeTrainer().setVocabSize(300)).run(docs(), CONF);
    BpeTokenizer t = out.tokenizer();
    assertEquals(t.specialTokenId(SpecialTokens.END_OF_TEXT), out.endOfTextId());
    for (String s : SpecialTokens.DEFAULTS) assertTrue(t.hasSpecialToken(s), s);
    assertArrayEquals(HfTokenizerJson.toJson(t, true).getBytes(StandardCharsets.UTF_8), out.file());
  }

  @Test
  void copiesAGivenFileByteForByte(@TempDir Path dir) throws Exception {
    BpeTokenizer trained =
        new BpeTrainer().setVocabSize(300).trainOnCounts(Map.of("cat", 3L, "sat", 2L));
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, HfTokenizerJson.toJson(trained, true) + "\n");
    TokenizerStage stage = new TokenizerStage(new BpeTrainer()).setPath(file.toString());
    stage.checkReadable(CONF);
    TokenizerStage.Output out = stage.run(docs(), CONF);
    assertArrayEquals(Files.readAllBytes(file), out.file());
    assertEquals(trained.specialTokenId(SpecialTokens.END_OF_TEXT), out.endOfTextId());
  }

  @Test
  void refusesATokenizerWithoutEndOfTextAndAMissingFile(@TempDir Path dir) throws Exception {
    BpeTrainer noEot =
        new BpeTrainer().setVocabSize(300).setSpecialTokens(List.of(SpecialTokens.START));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new TokenizerStage(noEot).run(docs(), CONF));
    assertTrue(e.getMessage().contains("has no <|endoftext|> special token"), e.getMessage());
    TokenizerStage missing =
        new TokenizerStage(new BpeTrainer()).setPath(dir.resolve("nope.json").toString());
    e = assertThrows(IllegalArgumentException.class, () -> missing.checkReadable(CONF));
    assertTrue(e.getMessage().startsWith("tokenizer file not found: "), e.getMessage());
  }
}
