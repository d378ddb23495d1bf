package io.github.sparkgpt.jobs.dpo;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptTaskBatch;
import io.github.sparkgpt.pipeline.task.InputTransform;
import io.github.sparkgpt.pipeline.task.TaskType;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.SpecialTokens;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A fine-tuned classifier (a finetune run's model/ and labels.json) as a reward: the probability it
 * gives one label to a text, encoded as finetune encodes a classification input ({@code <s> text
 * <e>}, cut to the model's context).
 */
public final class RewardModel {
  private final Checkpoint classifier;
  private final BpeTokenizer tokenizer;
  private final InputTransform transform;
  private final int label;

  /** {@code labels}: the run's class names in output order; {@code label} must be one of them. */
  public RewardModel(
      Checkpoint classifier, BpeTokenizer tokenizer, List<String> labels, String label) {
    if (classifier.kind().isLanguageModel())
      throw new UsageException("--reward: a language model, not a fine-tuned classifier");
    this.label = labels.indexOf(label);
    if (this.label < 0)
      throw new UsageException("--reward-label " + label + ": not one of the labels " + labels);
    this.classifier = classifier;
    this.tokenizer = tokenizer;
    this.transform =
        new InputTransform(
            TaskType.CLASSIFICATION,
            tokenizer.specialTokenId(SpecialTokens.START),
            tokenizer.specialTokenId(SpecialTokens.DELIM),
            tokenizer.specialTokenId(SpecialTokens.EXTRACT),
            classifier.config().getContextLength());
  }

  /** The probability of the reward label for every text, {@code batch} texts per forward pass. */
  public double[] scores(List<String> texts, int batch) {
    double[] out = new double[texts.size()];
    int context = classifier.config().getContextLength();
    for (int from = 0; from < texts.size(); from += batch) {
      List<int[][]> x = new ArrayList<>();
      for (String t : texts.subList(from, Math.min(texts.size(), from + batch)))
        x.add(transform.apply(List.of(tokenizer.encode(t))).toArray(new int[0][]));
      INDArray logits =
          classifier
              .network()
              .outputSingle(
                  GptTaskBatch.features(x.toArray(new int[0][][]), context, DataType.FLOAT));
      INDArray p = Transforms.softmax(logits.castTo(DataType.DOUBLE), true); // [b, classes]
      for (int i = 0; i < x.size(); i++) out[from + i] = p.getDouble(i, label);
    }
    return out;
  }
}
