package io.github.sparkgpt.pipeline.task;

import java.io.Serializable;
import java.util.List;

/**
 * One labelled example. {@code inputs} by task: classification [text]; entailment [premise,
 * hypothesis]; similarity [a, b]; multiple choice [context, answer_0, ..., answer_k-1]. {@code
 * label} is the label name as given in the file (for multiple choice the index of the right
 * answer), or null for unlabelled test rows.
 */
public record TaskExample(String id, List<String> inputs, String label) implements Serializable {
  public TaskExample {
    inputs = List.copyOf(inputs);
  }
}
