package io.github.sparkgpt.jobs.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.metrics.RunMetrics.SplitCounts;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.task.TaskType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskLabelsTest {
  private static TaskExample mc(String id, String label, String... answers) {
    List<String> inputs = new java.util.ArrayList<>(List.of("the day"));
    inputs.addAll(List.of(answers));
    return new TaskExample(id, inputs, label);
  }

  private static List<String> reasons(TaskReader.Result r) {
    return r.rejected().stream().map(RejectedDocument::reason).toList();
  }

  @Test
  void multipleChoiceTakesTheMostCommonAnswerCountAndQuarantinesTheRest() {
    TaskReader.Result train =
        new TaskReader.Result(
            List.of(
                mc("a", "0", "x", "y"),
                mc("b", "1", "x", "y"),
                mc("three", "0", "x", "y", "z"),
                mc("one", "0", "x"),
                mc("far", "2", "x", "y")),
            List.of());
    TaskLabels labels =
        TaskLabels.of(TaskType.MULTIPLE_CHOICE, false, List.of(), train, "train.tsv");
    assertEquals(2, labels.choices());
    assertEquals(List.of("0", "1"), labels.labels().names());
    TaskReader.Result kept = labels.labelled(train);
    assertEquals(List.of("a", "b"), kept.examples().stream().map(TaskExample::id).toList());
    // the label is checked first (answer 2 of 2), then the row's shape
    assertEquals(
        List.of("task_unknown_label", TaskLabels.CHOICE_COUNT, TaskLabels.FIELD_COUNT),
        reasons(kept));
  }

  @Test
  void unlabelledRowsStayWhereAllowedAndStillPassTheShapeRule() {
    TaskReader.Result read =
        new TaskReader.Result(
            List.of(
                new TaskExample("l", List.of("warm"), "pos"),
                new TaskExample("u", List.of("cold"), null),
                new TaskExample("u2", List.of("a", "b"), null),
                new TaskExample("bad", List.of("warm"), "maybe")),
            List.of());
    TaskLabels labels =
        TaskLabels.of(TaskType.CLASSIFICATION, false, List.of("neg", "pos"), read, "eval.jsonl");
    TaskReader.Result r = labels.labelledOrNot(read);
    assertEquals(List.of("l", "u"), r.examples().stream().map(TaskExample::id).toList());
    assertEquals(List.of("task_unknown_label", TaskLabels.FIELD_COUNT), reasons(r));
    assertEquals(
        List.of("task_missing_label", "task_missing_label", "task_unknown_label"),
        reasons(labels.labelled(read)));

    Quarantine q = new Quarantine();
    q.split("eval", r.examples().size(), r.rejected());
    q.reject("eval", new RejectedDocument("u", null, "fewshot_prompt", "fewshot_too_long", "", ""));
    assertEquals(
        new SplitCounts(
            4,
            1,
            Map.of("task_unknown_label", 1L, TaskLabels.FIELD_COUNT, 1L, "fewshot_too_long", 1L)),
        q.counts().get("eval"));
    assertEquals(3, q.rows().size());
  }

  @Test
  void labelsComeFromTheDeclaredNamesOrTheReferenceSplitAndNeedTwo() {
    TaskReader.Result one =
        new TaskReader.Result(List.of(new TaskExample("a", List.of("x"), "pos")), List.of());
    assertThrows(
        UsageException.class,
        () -> TaskLabels.of(TaskType.CLASSIFICATION, false, List.of(), one, "t.tsv"));
    assertEquals(
        List.of("0", "1"),
        TaskLabels.of(TaskType.CLASSIFICATION, false, List.of("1", "0"), one, "t")
            .labels()
            .names());
    assertEquals(null, TaskLabels.of(TaskType.SIMILARITY, true, List.of(), one, "t").labels());
  }
}
