package io.github.sparkgpt.jobs.finetune;

import io.github.sparkgpt.model.GptTaskBatch;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The task network's outputs for encoded examples on the driver, in batches (each padded to its own
 * longest sequence): class (or answer) probabilities, or the predicted score of a regression head.
 */
public final class TaskPredictor {
  private TaskPredictor() {}

  /**
   * [examples][classes] softmax probabilities; argmax is the prediction. For multiple choice the
   * classes are the example's answers: the softmax is over its choices' scores.
   */
  public static double[][] probabilities(
      ComputationGraph net, TaskEncoder.Encoded data, int contextLength, int batch) {
    return outputs(net, data, contextLength, batch, true);
  }

  /**
   * [examples] predicted values of a regression (score similarity) network, whose output is [B, 1].
   */
  public static double[] scores(
      ComputationGraph net, TaskEncoder.Encoded data, int contextLength, int batch) {
    double[][] raw = outputs(net, data, contextLength, batch, false);
    double[] out = new double[raw.length];
    for (int i = 0; i < raw.length; i++) out[i] = raw[i][0];
    return out;
  }

  private static double[][] outputs(
      ComputationGraph net,
      TaskEncoder.Encoded data,
      int contextLength,
      int batch,
      boolean softmax) {
    double[][] out = new double[data.size()][];
    for (int from = 0; from < data.size(); from += batch) {
      int[][][] x = Arrays.copyOfRange(data.inputs(), from, Math.min(data.size(), from + batch));
      INDArray logits =
          net.outputSingle(GptTaskBatch.features(x, contextLength, DataType.FLOAT)); // [b, C]
      INDArray p =
          softmax
              ? Transforms.softmax(logits.castTo(DataType.DOUBLE), true)
              : logits.castTo(DataType.DOUBLE);
      for (int i = 0; i < x.length; i++) out[from + i] = p.getRow(i).toDoubleVector();
    }
    return out;
  }

  public static int argmax(double[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
    return best;
  }
}
