package io.github.sparkgpt.jobs.finetune;

import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.InputTransform;
import io.github.sparkgpt.pipeline.task.LabelMap;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.task.TaskType;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.SpecialTokens;
import java.util.ArrayList;
import java.util.List;

/**
 * Task examples to model inputs: every text field through the checkpoint's tokenizer, then GPT-1's
 * input transform with the tokenizer's {@code <|start|>}, {@code <|delim|>}, {@code <|extract|>}
 * tokens (reserved at pretraining; {@link TaskTokens} adds them to a tokenizer that lacks them).
 * Truncated sequences are counted; multiple-choice examples with another number of answers than the
 * model's are rejected ({@code task_choice_count}), as are examples with another number of text
 * fields than the task takes ({@code task_field_count}, e.g. a JSON array in a classification text
 * column).
 */
public final class TaskEncoder {
  public static final String START = SpecialTokens.START;
  public static final String DELIM = SpecialTokens.DELIM;
  public static final String EXTRACT = SpecialTokens.EXTRACT;

  private final BpeTokenizer tokenizer;
  private final TaskType task;
  private final InputTransform transform;

  /**
   * Encoded examples: {@code inputs[i]} = the sequences of example i; {@code labels[i]} = class or
   * -1 if none; {@code targets} = null for class labels, else (score similarity) {@code targets[i]}
   * = the score or NaN if none.
   */
  public record Encoded(
      List<String> ids,
      int[][][] inputs,
      int[] labels,
      double[] targets,
      List<RejectedDocument> rejected) {
    public Encoded(
        List<String> ids, int[][][] inputs, int[] labels, List<RejectedDocument> rejected) {
      this(ids, inputs, labels, null, rejected);
    }

    public int size() {
      return labels.length;
    }

    public boolean isScore() {
      return targets != null;
    }

    /** Whether example i carries a label (or score) to evaluate against. */
    public boolean labelled(int i) {
      return targets != null ? !Double.isNaN(targets[i]) : labels[i] >= 0;
    }
  }

  public TaskEncoder(BpeTokenizer tokenizer, TaskType task, int maxLength) {
    this.tokenizer = tokenizer;
    this.task = task;
    this.transform =
        new InputTransform(
            task,
            tokenizer.specialTokenId(START),
            tokenizer.specialTokenId(DELIM),
            tokenizer.specialTokenId(EXTRACT),
            maxLength);
  }

  /** Sequences truncated so far (longest field first, special tokens kept). */
  public long truncatedSequences() {
    return transform.truncatedSequences();
  }

  /**
   * @param choices for multiple choice the number of answers every example must have (0 otherwise)
   */
  public Encoded encode(List<TaskExample> examples, LabelMap labels, int choices) {
    return encode(examples, labels, choices, false);
  }

  /**
   * Score similarity: the label of each example is its real-valued score (already checked by {@code
   * TaskReader.applyScores}); an unlabelled example gets NaN.
   */
  public Encoded encodeScores(List<TaskExample> examples) {
    return encode(examples, null, 0, true);
  }

  private Encoded encode(List<TaskExample> examples, LabelMap labels, int choices, boolean scores) {
    List<String> ids = new ArrayList<>();
    List<int[][]> inputs = new ArrayList<>();
    List<Integer> ys = new ArrayList<>();
    List<Double> targets = new ArrayList<>();
    List<RejectedDocument> rejected = new ArrayList<>();
    int fieldsExpected = transform.expectedFields();
    for (TaskExample e : examples) {
      if (task == TaskType.MULTIPLE_CHOICE && e.inputs().size() - 1 != choices) {
        rejected.add(
            new RejectedDocument(
                e.id(),
                null,
                "task_encode",
                "task_choice_count",
                (e.inputs().size() - 1) + " answers, the model takes " + choices,
                String.join(" | ", e.inputs())));
        continue;
      }
      if (fieldsExpected > 0 && e.inputs().size() != fieldsExpected) {
        rejected.add(
            new RejectedDocument(
                e.id(),
                null,
                "task_encode",
                "task_field_count",
                e.inputs().size() + " text fields, " + task.key() + " takes " + fieldsExpected,
                String.join(" | ", e.inputs())));
        continue;
      }
      List<int[]> fields = new ArrayList<>();
      for (String text : e.inputs()) fields.add(tokenizer.encode(text));
      inputs.add(transform.apply(fields).toArray(new int[0][]));
      ids.add(e.id());
      if (scores) {
        Double v = e.label() == null ? null : TaskReader.parseScore(e.label());
        ys.add(-1);
        targets.add(v == null ? Double.NaN : v);
      } else {
        ys.add(e.label() == null ? -1 : labels.indexOf(e.label()));
      }
    }
    return new Encoded(
        ids,
        inputs.toArray(new int[0][][]),
        ys.stream().mapToInt(Integer::intValue).toArray(),
        scores ? targets.stream().mapToDouble(Double::doubleValue).toArray() : null,
        rejected);
  }
}
