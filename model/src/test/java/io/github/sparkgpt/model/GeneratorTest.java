package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

class GeneratorTest {

  private static final List<int[]> PROMPTS =
      List.of(
          new int[] {5, 9, 14, 2, 33},
          new int[] {7},
          new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9},
          new int[] {60, 61});

  private static final ComputationGraph NET =
      GptModel.create(GptConfig.tiny().setInitStd(0.3), 1e-3, 9);

  @Test
  void batchedGreedyTokensEqualOnePromptAtATime() {
    Generator g = new Generator(new Inference(NET)).setTemperature(0).setMaxNewTokens(6);
    assertBatchedEqualsUnbatched(g);
  }

  @Test
  void seededSamplingIsReproducibleAndIndependentOfTheBatch() {
    Generator g =
        new Generator(new Inference(NET))
            .setTemperature(1.2)
            .setTopK(20)
            .setTopP(0.9)
            .setMaxNewTokens(6)
            .setSeed(3);
    List<int[]> a = g.complete(PROMPTS, (row, t) -> false);
    List<int[]> b = g.complete(PROMPTS, (row, t) -> false);
    for (int r = 0; r < PROMPTS.size(); r++) assertArrayEquals(a.get(r), b.get(r));
    assertBatchedEqualsUnbatched(g);
  }

  private static void assertBatchedEqualsUnbatched(Generator g) {
    List<int[]> batched = g.setBatchSize(32).complete(PROMPTS, (row, t) -> false);
    List<int[]> pairs = g.setBatchSize(2).complete(PROMPTS, (row, t) -> false);
    for (int r = 0; r < PROMPTS.size(); r++) {
      int[] one = g.generate(PROMPTS.get(r));
      int[] expected = java.util.Arrays.copyOfRange(one, PROMPTS.get(r).length, one.length);
      assertEquals(6, expected.length);
      assertArrayEquals(expected, batched.get(r), "row " + r);
      assertArrayEquals(expected, pairs.get(r), "row " + r);
    }
  }

  @Test
  void aStopConditionEndsOnlyItsRow() {
    Generator g = new Generator(new Inference(NET)).setTemperature(0).setMaxNewTokens(6);
    List<Integer> asked = new ArrayList<>();
    List<int[]> out =
        g.complete(
            PROMPTS,
            (row, t) -> {
              asked.add(row);
              return row == 1 && t.length == 2;
            });
    assertEquals(2, out.get(1).length);
    assertEquals(6, out.get(0).length);
    assertEquals(6 * 4 - 4, asked.size()); // row 1 asked twice, the others six times
  }

  @Test
  void reportsLengthWhenCutAndStopWhenEndOfTextOrAStopSequenceEndedIt() {
    Generator g = new Generator(new Inference(NET)).setTemperature(0).setMaxNewTokens(1);
    List<Generator.Completion> cut = g.completions(PROMPTS, (row, t) -> false);
    for (Generator.Completion c : cut) {
      assertEquals(1, c.tokens().length);
      assertEquals(FinishReason.LENGTH, c.finish());
    }
    // the same last token ends the row when it is a stop sequence or the end-of-text id
    List<Generator.Completion> stopped = g.completions(PROMPTS, (row, t) -> t.length == 1);
    for (Generator.Completion c : stopped) assertEquals(FinishReason.STOP, c.finish());
    int first = cut.get(1).tokens()[0];
    Generator.Completion eot =
        g.setEndOfText(first)
            .setMaxNewTokens(4)
            .completions(List.of(PROMPTS.get(1)), (r, t) -> false)
            .get(0);
    assertArrayEquals(new int[] {first}, eot.tokens());
    assertEquals(FinishReason.STOP, eot.finish());
    // a row cut because the context filled up (before max_new_tokens) was cut too
    int[] longPrompt = new int[30];
    for (int i = 0; i < longPrompt.length; i++) longPrompt[i] = i + 1;
    Generator.Completion full =
        g.setEndOfText(-1)
            .setMaxNewTokens(40)
            .completions(List.of(longPrompt), (r, t) -> false)
            .get(0);
    assertEquals(9, full.tokens().length);
    assertEquals(FinishReason.LENGTH, full.finish());
    assertEquals("length", FinishReason.LENGTH.label());
    assertEquals(FinishReason.STOP, FinishReason.parse("stop"));
    assertNull(FinishReason.parse("eos"));
  }

  @Test
  void aLongPromptKeepsItsEndSoPromptAndNewTokensFitTheContext() {
    Generator g = new Generator(new Inference(NET)).setTemperature(0).setMaxNewTokens(4);
    int[] longPrompt = new int[30];
    for (int i = 0; i < longPrompt.length; i++) longPrompt[i] = i + 1;
    int[] tail = java.util.Arrays.copyOfRange(longPrompt, 30 - 12, 30); // context 16 - 4 new
    List<int[]> out = g.complete(List.of(longPrompt, tail), (row, t) -> false);
    assertArrayEquals(out.get(1), out.get(0));
    assertEquals(4, out.get(0).length);
    // max_new_tokens >= context / 2: the prompt keeps half the context, stops when it is full
    List<int[]> capped = g.setMaxNewTokens(40).complete(List.of(longPrompt), (row, t) -> false);
    int[] half = java.util.Arrays.copyOfRange(longPrompt, 30 - 8, 30);
    assertArrayEquals(g.complete(List.of(half), (row, t) -> false).get(0), capped.get(0));
    assertEquals(16 - 8 + 1, capped.get(0).length); // the last token needs no cache column
  }
}
