package io.github.sparkgpt.jobs.sft;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.jobs.train.EpochSettings;
import io.github.sparkgpt.model.GptConfig;

/** What the sft job refuses before Spark starts: settings out of range, or beyond the model. */
final class SftChecks {
  private SftChecks() {}

  /** Every setting on its own range; the first one out of range is refused. */
  static void check(SftSettings s) {
    require(!s.getPromptColumn().isBlank(), "prompt_column is empty");
    require(!s.getResponseColumn().isBlank(), "response_column is empty");
    require(
        !s.getPromptColumn().equals(s.getResponseColumn()),
        "prompt_column and response_column are both '" + s.getPromptColumn() + "'");
    ResponseTemplate.of("sft", s.getTemplate()); // refuses a template without exactly one {prompt}
    // The LM layer counts a position fully or not at all (labels >= 0 or IGNORE): 0 or 1 only.
    require(
        s.getPromptLossWeight() == 0 || s.getPromptLossWeight() == 1,
        "prompt_loss_weight must be 0 (response tokens only) or 1 (prompt tokens too)");
    require(s.getMaxLength() >= 0, "max_length must be >= 0 (0 = the model's context length)");
    require(s.getMaxNewTokens() >= 1, "max_new_tokens must be >= 1");
    require(s.getGradientClip() >= 0, "gradient_clip must be >= 0 (0 = off)");
    String training = EpochSettings.problem(s);
    require(training == null, training);
  }

  /** The sequence length for {@code model}: max_length, 0 = its context; no more than that. */
  static int maxLength(SftSettings s, GptConfig model) {
    int maxLength = s.getMaxLength() > 0 ? s.getMaxLength() : model.getContextLength();
    require(
        maxLength <= model.getContextLength(),
        "max_length " + maxLength + " exceeds the model's context " + model.getContextLength());
    return maxLength;
  }

  static void require(boolean ok, String message) {
    if (!ok) throw new UsageException("sft: " + message);
  }
}
