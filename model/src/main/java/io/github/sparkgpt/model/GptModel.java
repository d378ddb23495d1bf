package io.github.sparkgpt.model;

import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Builds the GPT language model as a DL4J {@link ComputationGraph} with one input ("tokens") and
 * one output layer ("lm", a {@link GptLmLayer}).
 *
 * <p>Training data layout ({@code DataSet} or single-input {@code MultiDataSet}), built from a
 * sequence {@code s} of T+1 token ids by {@link GptBatch}:
 *
 * <ul>
 *   <li>features {@code [B, T]}, float, {@code features[b][t] = s[t]}; positions past the sequence
 *       end hold any valid id (0);
 *   <li>labels {@code [B, T]}, float, {@code labels[b][t] = s[t+1]}, and {@link GptLmLayer#IGNORE}
 *       (-1) where there is no next token (right padding);
 *   <li>no feature or label mask arrays: causal attention makes right padding invisible to real
 *       positions, and the -1 labels keep padding out of the loss.
 * </ul>
 */
public final class GptModel {

  public static final String INPUT = "tokens";
  public static final String OUTPUT = "lm";

  private GptModel() {}

  /** Graph configuration; the updater (e.g. Adam with a schedule) belongs to the training job. */
  public static ComputationGraphConfiguration configuration(
      GptConfig config, IUpdater updater, long seed, DataType dataType) {
    return configuration(config, updater, seed, dataType, 0, 0);
  }

  /**
   * As above, with the two optimiser options DL4J keeps in the layer configuration:
   *
   * <ul>
   *   <li>{@code weightDecay > 0}: decoupled weight decay (AdamW: {@code w -= lr * weightDecay * w}
   *       after the Adam step, lr from the updater's schedule) on the weight matrices only:
   *       embeddings, attention, MLP and LM head. Biases and layer-norm gains/biases are "bias"
   *       parameters of the layer and are not decayed;
   *   <li>{@code gradientClip > 0}: the gradient is rescaled to L2 norm {@code gradientClip} when
   *       larger, before Adam ({@code ClipL2PerLayer}; the whole model is one layer, so this is
   *       global-norm clipping).
   * </ul>
   */
  public static ComputationGraphConfiguration configuration(
      GptConfig config,
      IUpdater updater,
      long seed,
      DataType dataType,
      double weightDecay,
      double gradientClip) {
    config.validate();
    NeuralNetConfiguration.Builder b =
        new NeuralNetConfiguration.Builder().seed(seed).dataType(dataType).updater(updater);
    if (weightDecay > 0) b.weightDecay(weightDecay, true);
    if (gradientClip > 0) {
      b.gradientNormalization(GradientNormalization.ClipL2PerLayer)
          .gradientNormalizationThreshold(gradientClip);
    }
    return b.graphBuilder()
        .addInputs(INPUT)
        .addLayer(OUTPUT, new GptLmLayer(config), INPUT)
        .setOutputs(OUTPUT)
        .build();
  }

  /** A freshly initialised float32 network with Adam(lr). */
  public static ComputationGraph create(GptConfig config, double learningRate, long seed) {
    return create(config, new Adam(learningRate), seed, DataType.FLOAT);
  }

  public static ComputationGraph create(
      GptConfig config, IUpdater updater, long seed, DataType dataType) {
    return create(config, updater, seed, dataType, 0, 0);
  }

  /**
   * A freshly initialised network with weight decay and gradient clipping (see {@link
   * #configuration}).
   */
  public static ComputationGraph create(
      GptConfig config,
      IUpdater updater,
      long seed,
      DataType dataType,
      double weightDecay,
      double gradientClip) {
    ComputationGraph net =
        new ComputationGraph(
            configuration(config, updater, seed, dataType, weightDecay, gradientClip));
    net.init();
    return net;
  }

  /**
   * Adds SameDiff listeners to a language model's layer, forward and gradient graphs (after at
   * least one training step); {@code bench/run OpTimes} times every op with one.
   */
  public static void addOpListeners(ComputationGraph net, Listener... listeners) {
    ((GptLmLayerImpl) net.getLayer(OUTPUT)).addOpListeners(listeners);
  }

  /**
   * The decoder config of a language model or of a fine-tuned task network ({@link GptTaskModel});
   * a {@link Checkpoint} holds either.
   */
  public static GptConfig decoderConfigOf(ComputationGraph net) {
    if (net.getConfiguration().getVertices().containsKey(GptTaskModel.OUTPUT)) {
      return GptTaskModel.layerOf(net).getConfig();
    }
    return configOf(net);
  }

  /** The model config a network was built with. */
  public static GptConfig configOf(ComputationGraph net) {
    org.deeplearning4j.nn.conf.layers.Layer l = net.getLayer(OUTPUT).conf().getLayer();
    if (!(l instanceof GptLmLayer) || l instanceof GptDpoLayer) {
      throw new IllegalArgumentException(
          "Not a GPT network: layer '" + OUTPUT + "' is " + l.getClass().getSimpleName());
    }
    return ((GptLmLayer) l).getConfig();
  }

  /**
   * The same language model with a vocabulary of {@code newVocabSize} ids (at least the current V):
   * the token embedding {@code wte} (the tied LM head; and {@code lmHead} if untied) gets rows
   * V..newVocabSize-1, every other parameter and the training configuration (updater, weight decay,
   * clipping) are copied. Used to add special tokens a checkpoint's tokenizer lacks (fine-tuning's
   * start/delimiter/extract).
   *
   * <p>New rows are the mean of the existing rows plus N(0, initStd^2) noise ({@link #grownRows}).
   * Why the mean rather than a fresh N(0, initStd) row: with a tied head a new row's logit is
   * {@code h . row}; the mean row gives each new token the average logit, so the pretrained
   * next-token distribution barely moves (the new tokens take about n/V of the mass), whereas a
   * fresh small row scores ~0, which can beat most trained logits and pull mass to tokens never
   * seen in pretraining (Hewitt 2021, "Initializing new word embeddings"). As input embeddings,
   * mean rows sit where the decoder has seen inputs; the noise tells the new tokens apart.
   *
   * <p>Old ids keep their logits and hidden states exactly; the logits gain columns
   * V..newVocabSize-1. The updater state is not carried over (its shapes change): the result starts
   * with a fresh optimiser.
   */
  public static ComputationGraph withVocabulary(ComputationGraph lm, int newVocabSize, long seed) {
    GptConfig old = configOf(lm);
    if (newVocabSize < old.getVocabSize()) {
      throw new IllegalArgumentException(
          "cannot shrink the vocabulary from " + old.getVocabSize() + " to " + newVocabSize);
    }
    GptConfig grown = old.copy().setVocabSize(newVocabSize);
    // a deep copy of the configuration (updater, regularisation) with the new config; the layer
    // caches its
    // parameter shapes (and JSON carries them), so drop the cache and re-derive them from the grown
    // config
    ComputationGraphConfiguration conf =
        ComputationGraphConfiguration.fromJson(lm.getConfiguration().toJson());
    GptLmLayer layer =
        (GptLmLayer)
            ((org.deeplearning4j.nn.conf.graph.LayerVertex) conf.getVertices().get(OUTPUT))
                .getLayerConf()
                .getLayer();
    layer.setConfig(grown);
    layer.setLayerParams(null);
    layer.getLayerParams();
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    copyGrowing(lm.getLayer(OUTPUT).paramTable(), net.getLayer(OUTPUT), grown, seed);
    return net;
  }

  /**
   * Copies decoder parameters by name into {@code target} (a GPT LM or task layer built with {@code
   * config}), growing the vocabulary-indexed ones ({@code wte}, {@code lmHead}) with {@link
   * #grownRows} when the target has more ids than the source.
   */
  static void copyGrowing(
      Map<String, INDArray> source,
      org.deeplearning4j.nn.api.Layer target,
      GptConfig config,
      long seed) {
    Random rnd = new Random(seed);
    for (Map.Entry<String, INDArray> e : source.entrySet()) {
      INDArray dst = target.getParam(e.getKey());
      if (dst == null)
        throw new IllegalStateException("target layer has no parameter " + e.getKey());
      boolean byToken = e.getKey().equals(GptGraph.WTE) || e.getKey().equals(GptGraph.LM_HEAD);
      dst.assign(
          byToken
              ? grownRows(e.getValue(), config.getVocabSize(), config.getInitStd(), rnd)
              : e.getValue());
    }
  }

  /**
   * {@code rows [V, d]} -> {@code [rows, d]}: the V rows copied, each new row = mean of the V rows
   * + N(0, std^2).
   */
  static INDArray grownRows(INDArray rows, int newRows, double std, Random rnd) {
    long v = rows.rows(), d = rows.columns();
    if (newRows == v) return rows;
    INDArray out = Nd4j.create(rows.dataType(), newRows, d);
    out.get(
            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, v),
            org.nd4j.linalg.indexing.NDArrayIndex.all())
        .assign(rows);
    INDArray mean = rows.mean(0); // [d]
    for (long i = v; i < newRows; i++) {
      double[] noise = new double[(int) d];
      for (int j = 0; j < d; j++) noise[j] = rnd.nextGaussian() * std;
      out.getRow(i).assign(mean.add(Nd4j.createFromArray(noise).castTo(rows.dataType())));
    }
    return out;
  }
}
