package io.github.sparkgpt.jobs.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkgpt.pipeline.task.LabelMap;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskType;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskEncoderTest {
  private static final BpeTokenizer TOK =
      new BpeTrainer().setVocabSize(270).trainOnCounts(Map.of("ab", 5L, " cd", 3L));

  @Test
  void entailmentUsesTheReservedSpecialTokensAndLabelIndices() {
    TaskEncoder enc = new TaskEncoder(TOK, TaskType.ENTAILMENT, 64);
    LabelMap labels = new LabelMap(List.of("no", "yes"));
    TaskEncoder.Encoded e =
        enc.encode(
            List.of(
                new TaskExample("1", List.of("ab", "cd"), "yes"),
                new TaskExample("2", List.of("ab", "ab"), null)),
            labels,
            0);
    int s = TOK.specialTokenId("<|start|>"),
        d = TOK.specialTokenId("<|delim|>"),
        x = TOK.specialTokenId("<|extract|>");
    int[] expected =
        concat(new int[] {s}, TOK.encode("ab"), new int[] {d}, TOK.encode("cd"), new int[] {x});
    assertArrayEquals(expected, e.inputs()[0][0]);
    assertArrayEquals(new int[] {1, -1}, e.labels());
    assertEquals(List.of("1", "2"), e.ids());
    assertEquals(0, enc.truncatedSequences());
  }

  @Test
  void multipleChoiceRejectsAnotherNumberOfAnswersAndTruncationIsCounted() {
    TaskEncoder enc = new TaskEncoder(TOK, TaskType.MULTIPLE_CHOICE, 6);
    LabelMap labels = new LabelMap(List.of("0", "1"));
    TaskEncoder.Encoded e =
        enc.encode(
            List.of(
                new TaskExample("ok", List.of("ab cd ab cd ab cd", "ab", "cd"), "1"),
                new TaskExample("three", List.of("ab", "ab", "cd", "ab"), "0")),
            labels,
            2);
    assertEquals(1, e.size());
    assertEquals(2, e.inputs()[0].length); // one sequence per answer
    assertEquals(6, e.inputs()[0][0].length); // cut to max_length
    assertEquals(2, enc.truncatedSequences());
    assertEquals("task_choice_count", e.rejected().get(0).reason());
  }

  @Test
  void scoresBecomeTargetsAndAWrongNumberOfFieldsIsQuarantinedNotACrash() {
    TaskEncoder enc = new TaskEncoder(TOK, TaskType.SIMILARITY, 64);
    TaskEncoder.Encoded e =
        enc.encodeScores(
            List.of(
                new TaskExample("a", List.of("ab", "cd"), "3.5"),
                new TaskExample("b", List.of("ab", "cd", "ab"), "1"),
                new TaskExample("c", List.of("cd", "ab"), null)));
    assertEquals(List.of("a", "c"), e.ids());
    assertArrayEquals(new double[] {3.5, Double.NaN}, e.targets());
    assertEquals(2, e.inputs()[0].length); // both orderings
    assertEquals(true, e.labelled(0));
    assertEquals(false, e.labelled(1));
    assertEquals("task_field_count", e.rejected().get(0).reason());

    TaskEncoder.Encoded cls =
        new TaskEncoder(TOK, TaskType.CLASSIFICATION, 64)
            .encode(
                List.of(
                    new TaskExample("x", List.of("ab", "cd"), "p"),
                    new TaskExample("y", List.of("ab"), "p")),
                new LabelMap(List.of("n", "p")),
                0);
    assertEquals(List.of("y"), cls.ids());
    assertEquals(null, cls.targets());
    assertEquals("task_field_count", cls.rejected().get(0).reason());
  }

  private static int[] concat(int[]... parts) {
    return java.util.Arrays.stream(parts).flatMapToInt(java.util.Arrays::stream).toArray();
  }
}
