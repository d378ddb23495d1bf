package io.github.sparkgpt.pipeline.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class InputTransformTest {
  private static final int S = 100;
  private static final int D = 101;
  private static final int E = 102;

  private static InputTransform transform(TaskType t, int maxLength) {
    return new InputTransform(t, S, D, E, maxLength);
  }

  @Test
  void classificationIsStartTextExtract() {
    List<int[]> out = transform(TaskType.CLASSIFICATION, 16).apply(List.of(new int[] {1, 2, 3}));
    assertEquals(1, out.size());
    assertArrayEquals(new int[] {S, 1, 2, 3, E}, out.get(0));
  }

  @Test
  void entailmentIsStartPremiseDelimHypothesisExtract() {
    List<int[]> out =
        transform(TaskType.ENTAILMENT, 16).apply(List.of(new int[] {1, 2}, new int[] {7, 8, 9}));
    assertArrayEquals(new int[] {S, 1, 2, D, 7, 8, 9, E}, out.get(0));
  }

  @Test
  void similarityEncodesBothOrderings() {
    List<int[]> out =
        transform(TaskType.SIMILARITY, 16).apply(List.of(new int[] {1}, new int[] {2, 3}));
    assertEquals(2, out.size());
    assertArrayEquals(new int[] {S, 1, D, 2, 3, E}, out.get(0));
    assertArrayEquals(new int[] {S, 2, 3, D, 1, E}, out.get(1));
  }

  @Test
  void multipleChoiceMakesOneSequencePerAnswer() {
    List<int[]> out =
        transform(TaskType.MULTIPLE_CHOICE, 16)
            .apply(List.of(new int[] {1, 2}, new int[] {5}, new int[] {6, 6}, new int[] {7}));
    assertEquals(3, out.size());
    assertArrayEquals(new int[] {S, 1, 2, D, 5, E}, out.get(0));
    assertArrayEquals(new int[] {S, 1, 2, D, 6, 6, E}, out.get(1));
    assertArrayEquals(new int[] {S, 1, 2, D, 7, E}, out.get(2));
  }

  @Test
  void longestFieldIsTruncatedFromItsEndAndCounted() {
    InputTransform t = transform(TaskType.ENTAILMENT, 8);
    // 6 + 2 + 3 specials = 11 > 8: drop 3 tokens, always from the currently longer field.
    int[] seq = t.apply(List.of(new int[] {1, 2, 3, 4, 5, 6}, new int[] {7, 8})).get(0);
    assertArrayEquals(new int[] {S, 1, 2, 3, D, 7, 8, E}, seq);
    assertEquals(1, t.truncatedSequences());
    t.apply(List.of(new int[] {1}, new int[] {2}));
    assertEquals(1, t.truncatedSequences(), "short inputs are not truncated");
    assertArrayEquals(
        new int[] {S, 1, 2, 3, 4, 5, E},
        transform(TaskType.CLASSIFICATION, 7)
            .apply(List.of(new int[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .get(0));
  }

  @Test
  void wrongFieldCountsAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> transform(TaskType.ENTAILMENT, 8).apply(List.of(new int[] {1})));
    assertThrows(
        IllegalArgumentException.class,
        () -> transform(TaskType.MULTIPLE_CHOICE, 8).apply(List.of(new int[] {1}, new int[] {2})));
    assertThrows(
        IllegalArgumentException.class, () -> new InputTransform(TaskType.ENTAILMENT, S, D, E, 4));
  }
}
