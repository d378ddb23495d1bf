package io.github.sparkgpt.jobs.finetune;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.train.EpochSettings;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.pipeline.task.TaskType;

/**
 * What the finetune job refuses before Spark starts: settings out of range, and settings the
 * pretrained model cannot honour (more frozen blocks than it has, sequences beyond its context).
 */
public final class FinetuneChecks {
  private FinetuneChecks() {}

  /** Every setting on its own range; the first one out of range is refused. */
  static void check(FinetuneSettings s) {
    TaskType t = s.taskType();
    String similarityTarget = s.getSimilarityTarget();
    require(
        similarityTarget.equals("label") || similarityTarget.equals("score"),
        "similarity_target '"
            + similarityTarget
            + "' is unknown: use label (classes) or score (a real number, e.g. STS-B 0..5)");
    require(
        !s.isScore() || t == TaskType.SIMILARITY,
        "similarity_target = score applies to task = similarity only (task is " + t.key() + ")");
    require(!s.getTextColumns().isEmpty(), "text_columns is empty: name the input column(s)");
    require(
        s.getLmWeight() >= 0,
        "lm_weight (lambda) must be >= 0 (0 turns the auxiliary LM loss off)");
    require(
        s.getHeadDropout() >= 0 && s.getHeadDropout() < 1,
        "head_dropout must be in [0, 1) (GPT-1: 0.1; 0 turns it off)");
    require(s.getFreezeBlocks() >= 0, "freeze_blocks must be >= 0 (0 = train every block)");
    require(s.getMaxLength() >= 0, "max_length must be >= 0 (0 = the model's context length)");
    require(s.getBucketRounds() >= 0, "bucket_rounds must be >= 0 (0 = no length bucketing)");
    String training = EpochSettings.problem(s);
    require(training == null, training);
  }

  /**
   * The encoded sequences' length for {@code model} (max_length, 0 = its context); refuses
   * freeze_blocks beyond its layers and a max_length beyond its context.
   */
  public static int maxLength(FinetuneSettings settings, GptConfig model) {
    if (settings.getFreezeBlocks() > model.getLayers()) {
      throw new UsageException(
          "freeze_blocks "
              + settings.getFreezeBlocks()
              + " exceeds the model's "
              + model.getLayers()
              + " layers: use 0.."
              + model.getLayers());
    }
    int maxLength =
        settings.getMaxLength() > 0 ? settings.getMaxLength() : model.getContextLength();
    if (maxLength > model.getContextLength()) {
      throw new UsageException(
          "max_length " + maxLength + " exceeds the model's context " + model.getContextLength());
    }
    return maxLength;
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new UsageException("finetune: " + message);
  }
}
