package io.github.sparkgpt.pipeline.task;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One labelled example. {@code inputs} by task: classification [text]; entailment [premise,
 * hypothesis]; similarity [a, b]; multiple choice [context, answer_0, ..., answer_k-1]. {@code
 * label} is the label name as given in the file (for multiple choice the index of the right
 * answer), or null for unlabelled test rows. {@code optional}: the reader's optional columns that
 * the row has a non-blank value in, by column name.
 */
public record TaskExample(
    String id, List<String> inputs, String label, Map<String, String> optional)
    implements Serializable {
  public TaskExample {
    inputs = List.copyOf(inputs);
    optional = optional == null ? Map.of() : Map.copyOf(optional);
  }

  public TaskExample(String id, List<String> inputs, String label) {
    this(id, inputs, label, Map.of());
  }
}
