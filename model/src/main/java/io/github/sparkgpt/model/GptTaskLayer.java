package io.github.sparkgpt.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * GPT-1 supervised fine-tuning as one DL4J output layer: the pretrained decoder (same parameter
 * names as {@link GptLmLayer}, so a checkpoint copies over by name) plus a linear head {@code headW
 * [d, C']}, {@code headB [1, C']} on the hidden state of each sequence's last real token (the
 * extract token).
 *
 * <p>Each example is {@code k} token sequences of width T laid side by side ({@link GptTaskBatch}
 * builds them):
 *
 * <ul>
 *   <li>features {@code [B, k*T]}: token ids, <b>-1 after each sequence's end</b> (right padding) —
 *       the layer finds the extract position from the input alone, so inference needs no labels;
 *   <li>labels {@code [B, 1 + k*T (+ M)]}: column 0 the class index (REGRESS: the real-valued
 *       target); then per sequence the next-token ids for the auxiliary LM loss, -1 where there is
 *       none; then optionally the head-dropout mask, {@link #headMaskWidth()} = M values per
 *       example (see below).
 * </ul>
 *
 * Modes ({@link Mode}): CLASSIFY (k = 1, head width = classes; classification and entailment), SUM
 * (k = 2 for similarity: both orderings' hidden states summed before the head), CHOICE (k answers,
 * head width 1, one score per sequence, softmax over the k scores; the class index is the right
 * answer), REGRESS (k = 2 as SUM, head width 1: a real-valued similarity score such as STS-B's
 * 0..5, which GPT-1 fine-tuned as regression).
 *
 * <p>Score = mean task loss per example (cross-entropy; REGRESS: squared error) + lambda x mean LM
 * cross-entropy per counted token (GPT-1: lambda 0.5). Output of {@code ComputationGraph.output} =
 * class (or choice) logits {@code [B, C]}, or the predicted value {@code [B, 1]} for REGRESS.
 *
 * <p><b>Head dropout</b> (GPT-1: 0.1 on the classifier input): the task loss reads the head input
 * times a mask the batch carries after the LM labels ({@link GptTaskBatch#withHeadDropout});
 * without one the mask is all ones. The mask comes from outside because SameDiff 1.0.0-M2's random
 * ops repeat the same draws every step. Inference has no labels, hence no mask: {@code output()} is
 * exact.
 *
 * <p><b>Frozen blocks</b> ({@link #setFrozenBlocks}): with N > 0 the token and position embeddings
 * and blocks 0..N-1 get a zero gradient, the NoOp updater and no regularisation, so training leaves
 * them bit-identical. The tied LM head is the token embedding and is frozen with it (an untied
 * {@code lmHead} trains).
 */
public class GptTaskLayer extends SameDiffOutputLayer {

  public enum Mode {
    CLASSIFY,
    SUM,
    CHOICE,
    REGRESS
  }

  public static final String HEAD_W =
      "headW"; // [d, C']  (no '_' in parameter names: DL4J splits on it)
  public static final String HEAD_B = "headB"; // [1, C']

  private GptConfig config;
  private Mode mode = Mode.CLASSIFY;
  private int numClasses;
  private int sequences = 1;
  private double lmWeight = 0.5;
  private int frozenBlocks;
  private String task;

  /** For JSON deserialisation only. */
  public GptTaskLayer() {}

  /**
   * @param numClasses classes (CLASSIFY, SUM), answers per example (CHOICE), or 1 (REGRESS: one
   *     output)
   * @param lmWeight weight of the auxiliary LM loss (GPT-1: 0.5; 0 turns it off)
   */
  public GptTaskLayer(GptConfig config, Mode mode, int numClasses, double lmWeight) {
    this.config = config.copy().validate();
    this.mode = mode;
    this.numClasses = numClasses;
    this.sequences =
        mode == Mode.CLASSIFY ? 1 : mode == Mode.SUM || mode == Mode.REGRESS ? 2 : numClasses;
    this.lmWeight = lmWeight;
    if (mode == Mode.REGRESS && numClasses != 1) {
      throw new IllegalArgumentException(
          "REGRESS predicts one value: numClasses must be 1, got " + numClasses);
    }
    if (mode != Mode.REGRESS && numClasses < 2) {
      throw new IllegalArgumentException("need at least 2 classes (or choices), got " + numClasses);
    }
    if (!(lmWeight >= 0))
      throw new IllegalArgumentException("lm weight (lambda) must be >= 0, got " + lmWeight);
  }

  /**
   * Freezes the embeddings and the lowest {@code n} transformer blocks (0 = nothing frozen; {@code
   * layers} = the whole decoder, only the head and final layer norm train).
   */
  public GptTaskLayer withFrozenBlocks(int n) {
    if (n < 0 || n > config.getLayers()) {
      throw new IllegalArgumentException(
          "frozen blocks must be in 0.." + config.getLayers() + " (the model's layers), got " + n);
    }
    this.frozenBlocks = n;
    return this;
  }

  /**
   * Records the task type ({@link TaskHead#TASKS}) the layer was built for; carried in the
   * configuration.
   */
  public GptTaskLayer withTask(String task) {
    this.task = task;
    return this;
  }

  /** True for a parameter training must not change (see {@link #withFrozenBlocks}). */
  public boolean isFrozen(String param) {
    if (frozenBlocks == 0) return false;
    int block = GptGraph.blockOf(param);
    return block >= 0
        ? block < frozenBlocks
        : param.equals(GptGraph.WTE) || param.equals(GptGraph.WPE);
  }

  @Override
  public IUpdater getUpdaterByParam(String param) {
    return isFrozen(param)
        ? new NoOp()
        : super.getUpdaterByParam(param); // NoOp: no Adam state either
  }

  @Override
  public List<Regularization> getRegularizationByParam(String param) {
    return isFrozen(param) ? Collections.emptyList() : super.getRegularizationByParam(param);
  }

  /**
   * Values per example of the head-dropout mask: d, or k x d for CHOICE (one head input per
   * answer).
   */
  public int headMaskWidth() {
    return (mode == Mode.CHOICE ? sequences : 1) * config.getDModel();
  }

  /** Token sequences side by side in one row of the input: 1, 2 (SUM, REGRESS) or the choices. */
  int sequencesPerExample() {
    return sequences;
  }

  /** Width of the head: classes, or 1 score per answer for CHOICE, or 1 value for REGRESS. */
  int headWidth() {
    return mode == Mode.CHOICE || mode == Mode.REGRESS ? 1 : numClasses;
  }

  @Override
  public SDVariable defineLayer(
      SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> w) {
    DataType dt = w.get(GptGraph.WTE).dataType();
    long d = config.getDModel();
    SDVariable seqs =
        sd.reshape(input, GptGraph.shape(sd, -1, sd.sizeAt(input, 1).div(sequences))); // [N=B*k, T]
    SDVariable t = sd.sizeAt(seqs, 1);
    SDVariable real = seqs.gte(0.0).castTo(dt); // 1 = token, 0 = padding
    SDVariable h = GptGraph.hidden(sd, config, seqs.mul(real), w); // [N*T, d]; padding read as id 0

    // The extract token is the last real one: row n*T + len(n) - 1 of h (1-D gather indices, see
    // GptGraph).
    SDVariable len = real.sum(1).castTo(DataType.INT32); // [N]
    SDVariable n = sd.sizeAt(seqs, 0).castTo(DataType.INT32);
    SDVariable rowStart =
        sd.range(sd.constant(0), n, sd.constant(1), DataType.INT32).mul(t.castTo(DataType.INT32));
    SDVariable last = sd.gather(h, rowStart.add(len).sub(1), 0); // [N, d]

    SDVariable headIn =
        mode == Mode.SUM || mode == Mode.REGRESS
            ? sd.reshape(last, -1, sequences, d).sum(1) // [B, d] orderings summed
            : last; // [R = B or B*k, d]
    sd.identity("classLogits", head(sd, headIn, w)); // [B, C]: output(), no dropout

    // Labels: class | LM labels (k*T) | optional head-dropout mask (M). Appending M ones and taking
    // M columns
    // after the LM labels reads the mask if present, else ones: one graph for both, no empty
    // arrays.
    SDVariable b = sd.sizeAt(labels, 0);
    SDVariable width = sd.sizeAt(input, 1); // k*T
    SDVariable ones = sd.fill(GptGraph.shape(sd, b, headMaskWidth()), dt, 1.0); // [B, M]
    SDVariable padded = sd.concat(1, labels, ones); // [B, 1 + k*T + M (+ M)]
    SDVariable mask =
        sd.slice(
            padded, GptGraph.shape(sd, 0, width.add(1)), GptGraph.shape(sd, b, headMaskWidth()));
    SDVariable dropped = sd.reshape(mask, -1, d).mul(headIn); // [R, d]: 0 or x/(1-p)
    SDVariable logits = head(sd, dropped, w); // [B, C]

    // Task loss summed over the batch: DL4J divides score and gradient by B, so this becomes the
    // mean.
    SDVariable cls =
        sd.stridedSlice(
            labels, new long[] {0, 0}, new long[] {0, 1}, new long[] {1, 1}, 1, 1, 0, 0, 0);
    SDVariable loss;
    if (mode == Mode.REGRESS) {
      SDVariable err = sd.reshape(logits, -1).sub(sd.reshape(cls, -1)); // [B] prediction - target
      loss = err.mul(err).sum();
    } else {
      SDVariable target = sd.reshape(cls, -1).castTo(DataType.INT32); // [B]
      loss = pickedNll(sd, logits, target, numClasses, null).sum();
    }

    if (lmWeight > 0) {
      SDVariable lmLabels =
          sd.slice(labels, GptGraph.shape(sd, 0, 1), GptGraph.shape(sd, b, width)); // [B, k*T]
      SDVariable flat = sd.reshape(lmLabels, -1); // [N*T]
      SDVariable counted = flat.gte(0.0).castTo(dt);
      SDVariable tokens = sd.math.max(counted.sum(), sd.constant(Nd4j.scalar(dt, 1.0)));
      SDVariable batch = sd.sizeAt(input, 0).castTo(dt);
      SDVariable weights =
          counted.mul(batch).div(tokens).mul(lmWeight); // see GptLmLayer: x B / tokens
      SDVariable lmLogits = GptGraph.logits(sd, config, h, w); // [N*T, V]
      SDVariable lm =
          pickedNll(
              sd,
              lmLogits,
              flat.mul(counted).castTo(DataType.INT32),
              config.getVocabSize(),
              weights);
      loss = lm.sum().add(loss);
    }
    // The zero term gives the input a gradient, which DL4J's SameDiff output layer requires to
    // exist.
    loss = loss.add(input.sum().mul(0.0));
    loss.markAsLoss();
    return loss;
  }

  /**
   * The linear head on head inputs [R, d]: class logits [B, C], or for CHOICE one score per answer
   * as [B, k].
   */
  private SDVariable head(SameDiff sd, SDVariable x, Map<String, SDVariable> w) {
    SDVariable out = GptGraph.dense(sd, x, w.get(HEAD_W), w.get(HEAD_B)); // [R, C']
    return mode == Mode.CHOICE ? sd.reshape(out, -1, sequences) : out;
  }

  /**
   * -log softmax(logits)[target] per row of logits [R, width], optionally times weights [R]: the
   * cross-entropy of every model here ({@link GradientFunction#pickedProbability}).
   */
  static SDVariable pickedNll(
      SameDiff sd, SDVariable logits, SDVariable target, int width, SDVariable weights) {
    SDVariable picked = GradientFunction.pickedProbability(sd, logits, target, width); // [R]
    SDVariable nll = sd.math.log(picked.add(1e-30)).neg();
    return weights == null ? nll : nll.mul(weights);
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

  @Override
  public String activationsVertexName() {
    return "classLogits";
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    GptGraph.defineParameters(config, params);
    params.addWeightParam(HEAD_W, config.getDModel(), headWidth());
    params.addBiasParam(HEAD_B, 1, headWidth());
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    GptGraph.initializeParameters(config, params); // headW ~ N(0, initStd), headB = 0 by name
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.feedForward(numClasses);
  }

  public GptConfig getConfig() {
    return config;
  }

  public void setConfig(GptConfig config) {
    this.config = config;
  }

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public int getNumClasses() {
    return numClasses;
  }

  public void setNumClasses(int numClasses) {
    this.numClasses = numClasses;
  }

  public int getSequences() {
    return sequences;
  }

  public void setSequences(int sequences) {
    this.sequences = sequences;
  }

  public double getLmWeight() {
    return lmWeight;
  }

  public void setLmWeight(double lmWeight) {
    this.lmWeight = lmWeight;
  }

  public int getFrozenBlocks() {
    return frozenBlocks;
  }

  public void setFrozenBlocks(int frozenBlocks) {
    this.frozenBlocks = frozenBlocks;
  }

  /** The task type, or null for a layer built before layers recorded it. */
  public String getTask() {
    return task;
  }

  public void setTask(String task) {
    this.task = task;
  }
}
