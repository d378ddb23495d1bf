package io.github.sparkgpt.jobs.task;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.LabelMap;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.task.TaskType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A task run's targets and the rules every row passes: class names (multiple choice: answer
 * positions), or real scores outside any label map. Multiple choice has one answer count k, the
 * most common one in the reference split; rows with another count are quarantined ({@code
 * task_choice_count}), so finetune and fewshot score the same rows.
 */
public final class TaskLabels {
  /** Reason of a row whose number of text fields does not fit the task. */
  public static final String FIELD_COUNT = "task_field_count";

  /** Reason of a multiple-choice row with another number of answers than the run's. */
  public static final String CHOICE_COUNT = "task_choice_count";

  private static final String STAGE = "task_rules";

  private final TaskType type;
  private final LabelMap labels;
  private final int choices;

  private TaskLabels(TaskType type, LabelMap labels, int choices) {
    this.type = type;
    this.labels = labels;
    this.choices = choices;
  }

  /**
   * The run's targets. Multiple choice: answers 0..k-1 from the reference rows; scores: no label
   * map; classes: the declared names when given (e.g. a verbalizer's), else the reference rows'
   * labels. {@code from} names the reference split's file in messages.
   */
  public static TaskLabels of(
      TaskType type,
      boolean score,
      Collection<String> declared,
      TaskReader.Result reference,
      String from) {
    if (type == TaskType.MULTIPLE_CHOICE) {
      int k = commonAnswerCount(reference.examples());
      if (k < 2)
        throw new UsageException(
            from + ": multiple choice needs examples with a context and at least 2 answers");
      List<String> names = new ArrayList<>();
      for (int i = 0; i < k; i++) names.add(Integer.toString(i));
      return new TaskLabels(type, new LabelMap(names), k);
    }
    if (score) return new TaskLabels(type, null, 0);
    LabelMap labels =
        !declared.isEmpty()
            ? LabelMap.fromLabels(declared)
            : LabelMap.fromLabels(reference.examples().stream().map(TaskExample::label).toList());
    if (labels.size() < 2) {
      throw new UsageException(
          from + ": needs at least 2 distinct labels, found " + labels.names());
    }
    return new TaskLabels(type, labels, 0);
  }

  /** The number of answers most rows have (ties: the smaller count). */
  static int commonAnswerCount(List<TaskExample> examples) {
    Map<Integer, Integer> counts = new TreeMap<>();
    for (TaskExample e : examples) counts.merge(e.inputs().size() - 1, 1, Integer::sum);
    return counts.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(0);
  }

  public boolean isScore() {
    return labels == null;
  }

  /** Class names or answer positions; null for scores. */
  public LabelMap labels() {
    return labels;
  }

  /** Multiple choice: answers per row; 0 otherwise. */
  public int choices() {
    return choices;
  }

  /** Every row must carry a known label (or a finite score). */
  public TaskReader.Result labelled(TaskReader.Result in) {
    return fitting(
        labels == null ? TaskReader.applyScores(in) : TaskReader.applyLabels(in, labels));
  }

  /** Rows without a label stay (predicted, not scored); a bad label is still quarantined. */
  public TaskReader.Result labelledOrNot(TaskReader.Result in) {
    List<TaskExample> unlabelled = in.examples().stream().filter(e -> e.label() == null).toList();
    TaskReader.Result checked =
        labelled(
            new TaskReader.Result(
                in.examples().stream().filter(e -> e.label() != null).toList(), in.rejected()));
    TaskReader.Result open = fitting(new TaskReader.Result(unlabelled, List.of()));
    List<TaskExample> all = new ArrayList<>(checked.examples());
    all.addAll(open.examples());
    List<RejectedDocument> rejected = new ArrayList<>(checked.rejected());
    rejected.addAll(open.rejected());
    return new TaskReader.Result(all, rejected);
  }

  /**
   * The rows with the task's number of text fields (multiple choice: a context and the run's k
   * answers).
   */
  private TaskReader.Result fitting(TaskReader.Result in) {
    List<TaskExample> ok = new ArrayList<>();
    List<RejectedDocument> rejected = new ArrayList<>(in.rejected());
    int expected = type == TaskType.CLASSIFICATION ? 1 : 2;
    for (TaskExample e : in.examples()) {
      int n = e.inputs().size();
      String reason = null, detail = null;
      if (type == TaskType.MULTIPLE_CHOICE && n < 3) {
        reason = FIELD_COUNT;
        detail = "a context and at least 2 answers needed, got " + n + " fields";
      } else if (type == TaskType.MULTIPLE_CHOICE && n - 1 != choices) {
        reason = CHOICE_COUNT;
        detail = (n - 1) + " answers, the run takes " + choices;
      } else if (type != TaskType.MULTIPLE_CHOICE && n != expected) {
        reason = FIELD_COUNT;
        detail = n + " text fields, " + type.key() + " takes " + expected;
      }
      if (reason == null) ok.add(e);
      else
        rejected.add(
            new RejectedDocument(
                e.id(), null, STAGE, reason, detail, String.join(" | ", e.inputs())));
    }
    return new TaskReader.Result(ok, rejected);
  }
}
