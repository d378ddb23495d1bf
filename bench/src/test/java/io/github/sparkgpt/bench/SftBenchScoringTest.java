package io.github.sparkgpt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SftBench's own logic: the nearest training prompt, the few-shot layout, and the scoring. */
class SftBenchScoringTest {
  private static final ResponseTemplate TEMPLATE =
      ResponseTemplate.of("sft", "Question: {prompt}\nAnswer: ");

  @Test
  void retrievalPicksThePromptSharingTheRarestWords() {
    PromptRetrieval r =
        new PromptRetrieval(
            List.of(
                "What does CPU stand for?",
                "What does RAM stand for?",
                "Correct this sentence: Their going home."));
    assertEquals(1, r.nearest("what does ram stand for"));
    assertEquals(0, r.nearest("Is the CPU fast?"));
    // "their" and "home" are in one prompt only; "correct this sentence" would tie with nothing
    assertEquals(2, r.nearest("Correct this sentence: Their house."));
    assertEquals(0, r.nearest("zzz"), "no shared word: the first prompt");
  }

  @Test
  void retrievalWeighsRareWordsAboveCommonOnes() {
    PromptRetrieval r =
        new PromptRetrieval(
            List.of("the cat sat", "the dog sat", "the dog ran", "a bird flew over the dog"));
    // "cat" (one prompt) outweighs "dog" + "ran" shared by others only partly
    assertEquals(0, r.nearest("cat dog"));
    assertEquals(2, r.nearest("dog ran"));
  }

  @Test
  void fewShotPromptHoldsSolvedExamplesThenTheQuery() {
    List<AnswerRows.Row> shots =
        List.of(
            new AnswerRows.Row("What does CPU stand for?", List.of("Central Processing Unit")),
            new AnswerRows.Row("What does RAM stand for?", List.of("Random Access Memory", "x")));
    FewShotPrompts.Prompt p =
        new FewShotPrompts(TEMPLATE, shots, byteTokenizer(), 1000)
            .prompt("What does ROM stand for?");
    assertEquals(
        "Question: What does CPU stand for?\nAnswer: Central Processing Unit\n\n"
            + "Question: What does RAM stand for?\nAnswer: Random Access Memory\n\n"
            + "Question: What does ROM stand for?\nAnswer: ",
        p.text());
    assertEquals(2, p.shots());
  }

  @Test
  void fewShotPromptDropsTheFirstExamplesUntilItFits() {
    List<AnswerRows.Row> shots =
        List.of(new AnswerRows.Row("aaaa", List.of("1")), new AnswerRows.Row("bbbb", List.of("2")));
    String query = TEMPLATE.render("q");
    String last = TEMPLATE.render("bbbb") + "2\n\n";
    int oneShot = bytes(last + query);
    FewShotPrompts layout = new FewShotPrompts(TEMPLATE, shots, byteTokenizer(), oneShot);
    assertEquals(new FewShotPrompts.Prompt(last + query, 1), layout.prompt("q"));
    FewShotPrompts none = new FewShotPrompts(TEMPLATE, shots, byteTokenizer(), oneShot - 1);
    assertEquals(new FewShotPrompts.Prompt(query, 0), none.prompt("q"));
  }

  @Test
  void scoresAreMeansOverRowsWithTheBestAcceptedAnswer() {
    List<AnswerRows.Row> rows =
        List.of(
            new AnswerRows.Row("p", List.of("The cat sat.", "a dog")),
            new AnswerRows.Row("p", List.of("red green blue")));
    AnswerRows.Score s = AnswerRows.score(List.of("dog", "red green"), rows);
    assertEquals(0.5, s.exactMatch(), 1e-12);
    assertEquals((1.0 + 0.8) / 2, s.tokenF1(), 1e-12);
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** One token per byte, so a prompt's length in tokens is its length in UTF-8 bytes. */
  private static BpeTokenizer byteTokenizer() {
    byte[][] tokens = new byte[257][];
    for (int b = 0; b < 256; b++) tokens[b] = new byte[] {(byte) b};
    tokens[256] = "<|endoftext|>".getBytes(StandardCharsets.UTF_8);
    return new BpeTokenizer(tokens, List.of(), Map.of("<|endoftext|>", 256));
  }
}
