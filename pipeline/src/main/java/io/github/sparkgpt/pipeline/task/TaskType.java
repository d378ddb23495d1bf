package io.github.sparkgpt.pipeline.task;

import java.util.Locale;

/**
 * The GPT-1 fine-tuning task families, each with its input transform (Radford et al. 2018, figure
 * 1). The number of input fields an example carries: classification 1 (text), entailment 2
 * (premise, hypothesis), similarity 2 (two texts, order-free), multiple choice 1 + k (context, then
 * k answers).
 */
public enum TaskType {
  CLASSIFICATION,
  ENTAILMENT,
  SIMILARITY,
  MULTIPLE_CHOICE;

  public static TaskType parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown task '"
              + s
              + "': use classification, entailment, similarity or "
              + "multiple_choice");
    }
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
