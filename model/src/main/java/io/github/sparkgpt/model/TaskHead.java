package io.github.sparkgpt.model;

import java.util.List;

/**
 * What a task network predicts: its task type (one of GPT-1's four, by key; null when unknown), the
 * head ({@link GptTaskLayer.Mode}) and the head's outputs (classes, answers per example, or 1 real
 * value).
 *
 * @param task {@link #TASKS} key, or null for a checkpoint that did not record it (see {@link
 *     #of(GptTaskLayer)})
 * @param mode the head's kind
 * @param outputs classes (CLASSIFY, SUM), answers per example (CHOICE), 1 (REGRESS)
 */
public record TaskHead(String task, GptTaskLayer.Mode mode, int outputs) {

  public static final String CLASSIFICATION = "classification";
  public static final String ENTAILMENT = "entailment";
  public static final String SIMILARITY = "similarity";
  public static final String MULTIPLE_CHOICE = "multiple_choice";
  public static final List<String> TASKS =
      List.of(CLASSIFICATION, ENTAILMENT, SIMILARITY, MULTIPLE_CHOICE);

  public TaskHead {
    if (task != null && !TASKS.contains(task))
      throw new IllegalArgumentException("unknown task '" + task + "': use " + TASKS);
    if (mode == null) throw new IllegalArgumentException("a task head needs a mode");
    if (mode == GptTaskLayer.Mode.REGRESS ? outputs != 1 : outputs < 2) {
      throw new IllegalArgumentException(mode + " head cannot have " + outputs + " outputs");
    }
  }

  /**
   * GPT-1's head for a task type: classification and entailment classify the extract state;
   * similarity sums both orderings' states into a classifier, or a regression ({@code score}: one
   * real value); multiple choice scores each answer and takes a softmax over the {@code labels}
   * answers.
   *
   * @param labels classes, or answers per example for multiple choice (ignored with {@code score})
   */
  public static TaskHead of(String task, boolean score, int labels) {
    GptTaskLayer.Mode mode =
        switch (task) {
          case CLASSIFICATION, ENTAILMENT -> GptTaskLayer.Mode.CLASSIFY;
          case SIMILARITY -> score ? GptTaskLayer.Mode.REGRESS : GptTaskLayer.Mode.SUM;
          case MULTIPLE_CHOICE -> GptTaskLayer.Mode.CHOICE;
          default ->
              throw new IllegalArgumentException("unknown task '" + task + "': use " + TASKS);
        };
    if (score && mode != GptTaskLayer.Mode.REGRESS) {
      throw new IllegalArgumentException(
          "real-valued scores apply to " + SIMILARITY + " only, not " + task);
    }
    return new TaskHead(task, mode, score ? 1 : labels);
  }

  /**
   * The head of a task layer. A layer built before task networks recorded their task type gives it
   * from the head where only one task has that head; CLASSIFY (classification or entailment) stays
   * unknown (null).
   */
  public static TaskHead of(GptTaskLayer layer) {
    String task =
        layer.getTask() != null
            ? layer.getTask()
            : switch (layer.getMode()) {
              case CLASSIFY -> null;
              case SUM, REGRESS -> SIMILARITY;
              case CHOICE -> MULTIPLE_CHOICE;
            };
    return new TaskHead(task, layer.getMode(), layer.getNumClasses());
  }

  /** E.g. "classification, classify head, 2 outputs". */
  public String describe() {
    return (task == null ? "task unknown" : task)
        + ", "
        + mode.name().toLowerCase(java.util.Locale.ROOT)
        + " head, "
        + outputs
        + (outputs == 1 ? " output" : " outputs");
  }
}
