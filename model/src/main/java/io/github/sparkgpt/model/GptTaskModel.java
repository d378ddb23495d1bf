package io.github.sparkgpt.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Builds fine-tuning networks: a {@link ComputationGraph} with input "tokens" and one output layer
 * "task" (a {@link GptTaskLayer}). {@link #forTask} builds one for a task ({@link TaskHead}) and
 * initialises its head; {@link #fromPretrained} copies every decoder parameter of a language model
 * by name.
 */
public final class GptTaskModel {

  public static final String INPUT = GptModel.INPUT;
  public static final String OUTPUT = "task";

  private GptTaskModel() {}

  /**
   * The network for a task head: the decoder copied from {@code pretrained}, or freshly initialised
   * when it is null (GPT-1's "without pretraining"); the head ~N(0, initStd) with bias 0, except
   * that a regression head's bias starts at the mean of {@code trainTargets}: Adam moves the bias
   * ~learning_rate per step, far too slowly to travel to e.g. 2.5 on a 0..5 scale at fine-tuning
   * rates.
   *
   * @param config the decoder ({@code pretrained}'s own when given)
   * @param dataType of a fresh network (a pretrained one keeps its own)
   * @param trainTargets the training targets of a regression head (null for the other heads)
   */
  public static ComputationGraph forTask(
      TaskHead head,
      GptConfig config,
      ComputationGraph pretrained,
      double lmWeight,
      int frozenBlocks,
      IUpdater updater,
      long seed,
      DataType dataType,
      double[] trainTargets) {
    if (pretrained != null && !GptModel.configOf(pretrained).equals(config)) {
      throw new IllegalArgumentException(
          "the pretrained network was built with "
              + GptModel.configOf(pretrained)
              + ", not "
              + config);
    }
    boolean regression = head.mode() == GptTaskLayer.Mode.REGRESS;
    if (regression && trainTargets == null)
      throw new IllegalArgumentException("a regression head needs the training targets");
    GptTaskLayer layer =
        new GptTaskLayer(config, head.mode(), head.outputs(), lmWeight)
            .withFrozenBlocks(frozenBlocks)
            .withTask(head.task());
    ComputationGraph net =
        build(layer, updater, seed, pretrained == null ? dataType : pretrained.params().dataType());
    if (pretrained != null) copyDecoder(pretrained, net);
    if (regression) net.getLayer(OUTPUT).getParam(GptTaskLayer.HEAD_B).assign(mean(trainTargets));
    return net;
  }

  private static double mean(double[] v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.length == 0 ? 0 : sum / v.length;
  }

  /**
   * A freshly initialised task network (no pretraining: GPT-1's "without pretraining" ablation).
   */
  public static ComputationGraph fromScratch(
      GptConfig config,
      GptTaskLayer.Mode mode,
      int numClasses,
      double lmWeight,
      IUpdater updater,
      long seed,
      DataType dataType) {
    return fromScratch(config, mode, numClasses, lmWeight, 0, updater, seed, dataType);
  }

  /**
   * As above with the embeddings and the lowest {@code frozenBlocks} blocks frozen ({@link
   * GptTaskLayer#withFrozenBlocks}).
   */
  public static ComputationGraph fromScratch(
      GptConfig config,
      GptTaskLayer.Mode mode,
      int numClasses,
      double lmWeight,
      int frozenBlocks,
      IUpdater updater,
      long seed,
      DataType dataType) {
    return build(
        new GptTaskLayer(config, mode, numClasses, lmWeight).withFrozenBlocks(frozenBlocks),
        updater,
        seed,
        dataType);
  }

  private static ComputationGraph build(
      GptTaskLayer layer, IUpdater updater, long seed, DataType dataType) {
    ComputationGraph net =
        new ComputationGraph(
            new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater)
                .graphBuilder()
                .addInputs(INPUT)
                .addLayer(OUTPUT, layer, INPUT)
                .setOutputs(OUTPUT)
                .build());
    net.init();
    return net;
  }

  /**
   * A task network whose decoder starts from {@code lm}'s parameters (copied; the head is fresh).
   */
  public static ComputationGraph fromPretrained(
      ComputationGraph lm,
      GptTaskLayer.Mode mode,
      int numClasses,
      double lmWeight,
      IUpdater updater,
      long seed) {
    return fromPretrained(lm, mode, numClasses, lmWeight, 0, updater, seed);
  }

  /**
   * As above with the embeddings and the lowest {@code frozenBlocks} blocks frozen at their
   * pretrained values.
   */
  public static ComputationGraph fromPretrained(
      ComputationGraph lm,
      GptTaskLayer.Mode mode,
      int numClasses,
      double lmWeight,
      int frozenBlocks,
      IUpdater updater,
      long seed) {
    GptConfig config = GptModel.configOf(lm);
    ComputationGraph net =
        fromScratch(
            config,
            mode,
            numClasses,
            lmWeight,
            frozenBlocks,
            updater,
            seed,
            lm.params().dataType());
    copyDecoder(lm, net);
    return net;
  }

  private static void copyDecoder(ComputationGraph lm, ComputationGraph net) {
    Map<String, INDArray> source = lm.getLayer(GptModel.OUTPUT).paramTable();
    org.deeplearning4j.nn.api.Layer target = net.getLayer(OUTPUT);
    for (Map.Entry<String, INDArray> e : source.entrySet()) {
      INDArray dst = target.getParam(e.getKey());
      if (dst == null) throw new IllegalStateException("task layer has no parameter " + e.getKey());
      dst.assign(e.getValue());
    }
  }

  /** The task layer of a network built here. */
  public static GptTaskLayer layerOf(ComputationGraph net) {
    org.deeplearning4j.nn.conf.layers.Layer l = net.getLayer(OUTPUT).conf().getLayer();
    if (!(l instanceof GptTaskLayer)) {
      throw new IllegalArgumentException(
          "Not a GPT task network: layer '" + OUTPUT + "' is " + l.getClass().getSimpleName());
    }
    return (GptTaskLayer) l;
  }

  /** Copies of the frozen parameters of a task network, by name (empty when nothing is frozen). */
  public static Map<String, INDArray> frozenParameters(ComputationGraph net) {
    GptTaskLayer layer = layerOf(net);
    Map<String, INDArray> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : net.getLayer(OUTPUT).paramTable().entrySet()) {
      if (layer.isFrozen(e.getKey())) out.put(e.getKey(), e.getValue().dup());
    }
    return out;
  }

  /**
   * Writes {@code frozen} (from {@link #frozenParameters}) back: after Spark's parameter averaging,
   * whose sum-then-divide of identical values need not return them bit for bit.
   */
  public static void restoreFrozen(ComputationGraph net, Map<String, INDArray> frozen) {
    org.deeplearning4j.nn.api.Layer layer = net.getLayer(OUTPUT);
    for (Map.Entry<String, INDArray> e : frozen.entrySet())
      layer.getParam(e.getKey()).assign(e.getValue());
  }

  /** Predicted class (or answer) per example: argmax of the logits [B, C]. */
  public static int[] predict(ComputationGraph net, INDArray features) {
    INDArray logits = net.outputSingle(features);
    return logits.argMax(1).toIntVector();
  }
}
