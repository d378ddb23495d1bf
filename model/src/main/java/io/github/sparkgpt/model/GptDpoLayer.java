package io.github.sparkgpt.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GPT language model trained on preference pairs (direct preference optimisation): the same
 * parameters, graph and runtime layer as {@link GptLmLayer}, a different loss. A training-time
 * layer only: {@link DpoModel} swaps it in for training and back to {@link GptLmLayer} for saving,
 * so checkpoints stay language models ({@link GptModel#configOf} refuses this layer).
 *
 * <p>Each example is one pair, laid out by {@link DpoBatch}: features {@code [B, 2T]} = chosen
 * sequence | rejected sequence (prompt + response ids, right-padded with 0); labels {@code [B, 2T +
 * 2]} = per sequence the next-token id at positions that predict a response token and -1 elsewhere,
 * then the frozen reference model's {@code log ref(chosen)}, {@code log ref(rejected)} (computed
 * once before training with {@link ResponseLogProbs}; they ride after the label columns, as task
 * layers' head-dropout masks do).
 *
 * <p>Per pair, with {@code log pi} summed over response tokens only and {@code z = (log pi(c) - log
 * ref(c)) - (log pi(r) - log ref(r))}: SIGMOID {@code (1 - eps) softplus(-beta z) + eps
 * softplus(beta z)} (eps = label smoothing, 0 = plain DPO); IPO {@code (z - 1/(2 beta))^2}. Score =
 * mean over pairs. The gradient is that of each sequence's response NLL weighted by a factor of the
 * same forward pass (e.g. {@code beta sigmoid(-beta z)}), which autodiff gives without special
 * code. Output of {@code ComputationGraph.output} = logits {@code [B, 2T, V]}.
 *
 * <p>Dropout, if the config has any, draws other masks for the chosen and the rejected sequence and
 * none for the reference values, so {@code z} is noisy even where policy = reference; preference
 * training usually runs with dropout 0.
 */
public class GptDpoLayer extends GptLmLayer {

  public enum Loss {
    SIGMOID,
    IPO
  }

  // no defaults here: the training job publishes them, and JSON carries every field
  private Loss loss;
  private double beta;
  private double labelSmoothing;

  /** For JSON deserialisation only. */
  public GptDpoLayer() {}

  /**
   * @param beta > 0: strength of the pull towards the reference (0 would make the sigmoid loss the
   *     constant log 2 with no gradient, and IPO's target 1/(2 beta) infinite, so it is refused)
   * @param labelSmoothing in [0, 0.5): the assumed probability that a pair's preference is flipped
   *     (SIGMOID only)
   */
  public GptDpoLayer(GptConfig config, Loss loss, double beta, double labelSmoothing) {
    super(config);
    this.loss = loss;
    this.beta = beta;
    this.labelSmoothing = labelSmoothing;
    validate();
  }

  /** Checks the loss options; the message says what to change. */
  public GptDpoLayer validate() {
    if (loss == null) throw new IllegalArgumentException("dpo loss must be sigmoid or ipo");
    if (!(beta > 0 && Double.isFinite(beta))) {
      throw new IllegalArgumentException(
          "dpo beta must be > 0 (0 gives a constant loss with no gradient), got " + beta);
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
      throw new IllegalArgumentException(
          "dpo label smoothing must be in [0, 0.5), got " + labelSmoothing);
    }
    if (loss == Loss.IPO && labelSmoothing > 0) {
      throw new IllegalArgumentException(
          "dpo label smoothing applies to the sigmoid loss only, not ipo: set it to 0");
    }
    return this;
  }

  @Override
  public SDVariable defineLayer(
      SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> w) {
    DataType dt = w.get(GptGraph.WTE).dataType();
    GptConfig config = getConfig();
    int v = config.getVocabSize();
    SDVariable width = sd.sizeAt(input, 1); // 2T
    SDVariable seqs = sd.reshape(input, GptGraph.shape(sd, -1, width.div(2))); // [2B, T]
    SDVariable h = GptGraph.hidden(sd, config, seqs, w); // [2B*T, d]
    SDVariable logits2d = GptGraph.logits(sd, FLAT_LOGITS, config, h, w); // [2B*T, V]
    sd.reshape("logits", logits2d, GptGraph.shape(sd, sd.sizeAt(input, 0), width, v)); // [B,2T,V]

    SDVariable b = sd.sizeAt(labels, 0);
    SDVariable tokenLabels =
        sd.slice(labels, GptGraph.shape(sd, 0, 0), GptGraph.shape(sd, b, width)); // [B, 2T]
    SDVariable ref = sd.slice(labels, GptGraph.shape(sd, 0, width), GptGraph.shape(sd, b, 2));
    SDVariable flat = sd.reshape(tokenLabels, -1); // [2B*T]
    SDVariable counted = flat.gte(0.0).castTo(dt); // 1 = response token, 0 = prompt or padding
    SDVariable targets = flat.mul(counted).castTo(DataType.INT32);
    // -log pi per counted token, by hand (see GptLmLayer for the SameDiff defects it avoids)
    SDVariable nll = GptTaskLayer.pickedNll(sd, logits2d, targets, v, counted); // [2B*T]
    SDVariable perSeq = sd.reshape(nll, GptGraph.shape(sd, -1, sd.sizeAt(seqs, 1))); // [2B, T]
    SDVariable logPi = sd.reshape(perSeq.sum(1).neg(), -1, 2); // [B, 2]: chosen | rejected
    SDVariable ratio = logPi.sub(ref); // [B, 2]: log pi - log ref of chosen | rejected
    SDVariable sign = sd.constant(Nd4j.createFromArray(new double[][] {{1, -1}}).castTo(dt));
    // A broadcast product, not mmul(ratio, [[1], [-1]]): in SameDiff 1.0.0-M2 that mmul's backprop
    // gives a zero gradient when its product is [1, 1] (a batch of one pair).
    SDVariable z = ratio.mul(sign).sum(1); // [B]

    SDVariable perPair;
    if (loss == Loss.IPO) {
      SDVariable gap = z.sub(1.0 / (2 * beta)); // [B]
      perPair = gap.mul(gap);
    } else {
      perPair = sd.nn.softplus(z.mul(-beta)).mul(1 - labelSmoothing); // [B]
      if (labelSmoothing > 0)
        perPair = perPair.add(sd.nn.softplus(z.mul(beta)).mul(labelSmoothing));
    }
    // Summed over pairs: DL4J divides score and gradient by B. The zero term gives the input a
    // gradient, which DL4J's SameDiff output layer requires to exist.
    SDVariable total = perPair.sum().add(input.sum().mul(0.0));
    total.markAsLoss();
    return total;
  }

  /** Chosen | rejected. */
  @Override
  int sequencesPerExample() {
    return 2;
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.recurrent(getConfig().getVocabSize(), 2L * getConfig().getContextLength());
  }

  public Loss getLoss() {
    return loss;
  }

  public void setLoss(Loss loss) {
    this.loss = loss;
  }

  public double getBeta() {
    return beta;
  }

  public void setBeta(double beta) {
    this.beta = beta;
  }

  public double getLabelSmoothing() {
    return labelSmoothing;
  }

  public void setLabelSmoothing(double labelSmoothing) {
    this.labelSmoothing = labelSmoothing;
  }
}
