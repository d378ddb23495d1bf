package io.github.sparkgpt.jobs.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.task.TaskType;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskTokensTest {
  private static final Map<String, Long> COUNTS = Map.of("ab", 5L, " cd", 3L);

  @Test
  void aTokenizerWithOnlyEndOfTextGetsAllThreeAtTheEnd() {
    BpeTokenizer eot =
        new BpeTrainer()
            .setVocabSize(270)
            .setSpecialTokens(List.of("<|endoftext|>"))
            .trainOnCounts(COUNTS);
    int v = eot.vocabSize();
    TaskTokens.Result r = TaskTokens.ensure(eot);
    assertTrue(r.grown());
    assertEquals(v + 3, r.vocabSize());
    assertEquals(List.of("<|start|>", "<|delim|>", "<|extract|>"), r.added());
    assertEquals(
        "the checkpoint's tokenizer lacks <|start|>, <|delim|>, <|extract|>: added as ids "
            + v
            + "-"
            + (v + 2)
            + ", embedding grown to "
            + (v + 3)
            + " rows",
        r.describe(false));
    assertTrue(r.describe(true).endsWith("embedding built with " + (v + 3) + " rows"));
    assertEquals(
        Map.of(
            "checkpoint_vocab_size",
            v,
            "vocab_size",
            v + 3,
            "added_special_tokens",
            Map.of("<|start|>", v, "<|delim|>", v + 1, "<|extract|>", v + 2)),
        r.toMap());
    assertArrayEquals(eot.encode("ab cd <|start|>"), r.tokenizer().encode("ab cd <|start|>"));
    // the encoder now works, with the new ids
    TaskEncoder enc = new TaskEncoder(r.tokenizer(), TaskType.CLASSIFICATION, 16);
    int[] seq =
        enc.encode(
                List.of(new io.github.sparkgpt.pipeline.task.TaskExample("1", List.of("ab"), "x")),
                new io.github.sparkgpt.pipeline.task.LabelMap(List.of("x", "y")),
                0)
            .inputs()[0][0];
    assertEquals(v, seq[0]);
    assertEquals(v + 2, seq[seq.length - 1]);
  }

  @Test
  void onlyTheMissingOnesAreAddedAndACompleteTokenizerIsKept() {
    BpeTokenizer some =
        new BpeTrainer()
            .setVocabSize(270)
            .setSpecialTokens(List.of("<|endoftext|>", "<|delim|>"))
            .trainOnCounts(COUNTS);
    TaskTokens.Result r = TaskTokens.ensure(some);
    int v = some.vocabSize();
    assertEquals(List.of("<|start|>", "<|extract|>"), r.added());
    assertEquals(some.specialTokenId("<|delim|>"), r.tokenizer().specialTokenId("<|delim|>"));
    assertEquals(v, r.tokenizer().specialTokenId("<|start|>"));
    assertTrue(
        r.describe(false)
            .contains("lacks <|start|>, <|extract|>: added as ids " + v + "-" + (v + 1)));

    BpeTokenizer full = new BpeTrainer().setVocabSize(270).trainOnCounts(COUNTS);
    TaskTokens.Result same = TaskTokens.ensure(full);
    assertFalse(same.grown());
    assertSame(full, same.tokenizer());
    assertEquals(Map.of(), same.toMap().get("added_special_tokens"));

    BpeTokenizer oneMissing =
        new BpeTrainer()
            .setVocabSize(270)
            .setSpecialTokens(List.of("<|endoftext|>", "<|start|>", "<|delim|>"))
            .trainOnCounts(COUNTS);
    assertTrue(
        TaskTokens.ensure(oneMissing)
            .describe(false)
            .contains("lacks <|extract|>: added as id " + oneMissing.vocabSize() + ","));
  }
}
