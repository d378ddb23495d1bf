package io.github.sparkgpt.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The whole GPT language model as one DL4J output layer: token ids in, masked next-token
 * cross-entropy out.
 *
 * <p>Why one layer: the LM head is tied to the token embedding, and DL4J cannot share a parameter
 * between two layers of a ComputationGraph. Owning embedding, blocks and head in one SameDiff graph
 * ties them exactly, and also removes DL4J's per-layer overhead (one graph execution per step
 * instead of one per layer).
 *
 * <p>Input (features) {@code [B, T]} token ids as floats. Labels {@code [B, T]} next-token ids as
 * floats, with any negative value (use -1) at positions that must not count (padding) — the "ignore
 * index" convention. Score = mean cross-entropy over the counted positions (nats/token). Output of
 * {@code ComputationGraph.output} = logits {@code [B, T, V]}.
 */
public class GptLmLayer extends SameDiffOutputLayer {

  /** Label value for positions that do not contribute to the loss. */
  public static final int IGNORE = -1;

  /**
   * The 2-D logits [rows x T, V] that the layer's output "logits" [rows, T, V] reshapes: inference
   * reads these and reshapes them as a view, where the graph's reshape copied the 32 MB of {@code
   * small}'s output at batch 16.
   */
  static final String FLAT_LOGITS = "logitsFlat";

  private GptConfig config;

  /** For JSON deserialisation only. */
  public GptLmLayer() {}

  public GptLmLayer(GptConfig config) {
    this.config = config.copy().validate();
  }

  @Override
  public SDVariable defineLayer(
      SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> w) {
    SDVariable h = GptGraph.hidden(sd, config, input, w); // [B*T, d]
    SDVariable logits2d = GptGraph.logits(sd, FLAT_LOGITS, config, h, w); // [B*T, V]
    SDVariable shape3 =
        sd.concat(
            0,
            sd.reshape(sd.sizeAt(input, 0), 1),
            sd.reshape(sd.sizeAt(input, 1), 1),
            sd.constant(
                org.nd4j.linalg.factory.Nd4j.createFromArray((long) config.getVocabSize())));
    sd.reshape("logits", logits2d, shape3); // [B, T, V]

    DataType dt = logits2d.dataType();
    SDVariable flat = sd.reshape(labels, -1); // [B*T]
    SDVariable counted = flat.gte(0.0).castTo(dt); // 1 = real, 0 = padding
    SDVariable targets = flat.mul(counted).castTo(DataType.INT32); // padding -> id 0, masked below
    // Cross-entropy (GptTaskLayer.pickedNll), weighted below
    // Per-position weights, no gradient needed: counted / max(#counted, 1) x B. DL4J divides the
    // score by B
    // and its updater divides gradients by B, so this makes the score nats/token and the gradient
    // that of
    // the per-token mean. (Backprop through a scalar div is wrong in SameDiff 1.0.0-M2: keep it
    // out.)
    SDVariable tokens =
        sd.math.max(counted.sum(), sd.constant(org.nd4j.linalg.factory.Nd4j.scalar(dt, 1.0)));
    SDVariable batch = sd.sizeAt(input, 0).castTo(dt);
    SDVariable weights = counted.mul(batch).div(tokens);
    // The zero term gives the input a gradient, which DL4J's SameDiff output layer requires to
    // exist.
    SDVariable ce = GptTaskLayer.pickedNll(sd, logits2d, targets, config.getVocabSize(), weights);
    SDVariable loss = ce.sum().add(input.sum().mul(0.0));
    loss.markAsLoss(); // else SameDiff guesses, and "logits" is also a leaf
    return loss;
  }

  /**
   * As DL4J's SameDiffOutputLayer.instantiate, but with the runtime layer that builds correct
   * gradients.
   */
  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(
      org.deeplearning4j.nn.conf.NeuralNetConfiguration conf,
      java.util.Collection<org.deeplearning4j.optimize.api.TrainingListener> listeners,
      int index,
      INDArray paramsView,
      boolean initializeParams,
      DataType networkDataType) {
    return GptLmLayerImpl.instantiate(
        this, conf, index, paramsView, initializeParams, networkDataType);
  }

  /** Token sequences in one row of the input: 1 (a DPO pair has 2). */
  int sequencesPerExample() {
    return 1;
  }

  @Override
  public String activationsVertexName() {
    return "logits";
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    GptGraph.defineParameters(config, params);
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    GptGraph.initializeParameters(config, params);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.recurrent(config.getVocabSize(), config.getContextLength());
  }

  public GptConfig getConfig() {
    return config;
  }

  public void setConfig(GptConfig config) {
    this.config = config;
  }
}
