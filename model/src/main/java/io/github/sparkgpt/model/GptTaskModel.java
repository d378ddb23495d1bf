package io.github.sparkgpt.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.Map;

/**
 * Builds fine-tuning networks: a {@link ComputationGraph} with input "tokens" and one output layer "task"
 * (a {@link GptTaskLayer}). {@link #fromPretrained} copies every decoder parameter of a language model by name.
 */
public final class GptTaskModel {

    public static final String INPUT = GptModel.INPUT;
    public static final String OUTPUT = "task";

    private GptTaskModel() {
    }

    /** A freshly initialised task network (no pretraining: GPT-1's "without pretraining" ablation). */
    public static ComputationGraph fromScratch(GptConfig config, GptTaskLayer.Mode mode, int numClasses, double lmWeight,
                                               IUpdater updater, long seed, DataType dataType) {
        return fromScratch(config, mode, numClasses, lmWeight, 0, updater, seed, dataType);
    }

    /** As above with the embeddings and the lowest {@code frozenBlocks} blocks frozen ({@link GptTaskLayer#withFrozenBlocks}). */
    public static ComputationGraph fromScratch(GptConfig config, GptTaskLayer.Mode mode, int numClasses, double lmWeight,
                                               int frozenBlocks, IUpdater updater, long seed, DataType dataType) {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater)
                .graphBuilder()
                .addInputs(INPUT)
                .addLayer(OUTPUT, new GptTaskLayer(config, mode, numClasses, lmWeight).withFrozenBlocks(frozenBlocks), INPUT)
                .setOutputs(OUTPUT)
                .build());
        net.init();
        return net;
    }

    /** A task network whose decoder starts from {@code lm}'s parameters (copied; the head is fresh). */
    public static ComputationGraph fromPretrained(ComputationGraph lm, GptTaskLayer.Mode mode, int numClasses,
                                                  double lmWeight, IUpdater updater, long seed) {
        return fromPretrained(lm, mode, numClasses, lmWeight, 0, updater, seed);
    }

    /** As above with the embeddings and the lowest {@code frozenBlocks} blocks frozen at their pretrained values. */
    public static ComputationGraph fromPretrained(ComputationGraph lm, GptTaskLayer.Mode mode, int numClasses,
                                                  double lmWeight, int frozenBlocks, IUpdater updater, long seed) {
        GptConfig config = GptModel.configOf(lm);
        ComputationGraph net = fromScratch(config, mode, numClasses, lmWeight, frozenBlocks, updater, seed,
                lm.params().dataType());
        Map<String, INDArray> source = lm.getLayer(GptModel.OUTPUT).paramTable();
        org.deeplearning4j.nn.api.Layer target = net.getLayer(OUTPUT);
        for (Map.Entry<String, INDArray> e : source.entrySet()) {
            INDArray dst = target.getParam(e.getKey());
            if (dst == null) throw new IllegalStateException("task layer has no parameter " + e.getKey());
            dst.assign(e.getValue());
        }
        return net;
    }

    /** The task layer of a network built here. */
    public static GptTaskLayer layerOf(ComputationGraph net) {
        org.deeplearning4j.nn.conf.layers.Layer l = net.getLayer(OUTPUT).conf().getLayer();
        if (!(l instanceof GptTaskLayer)) {
            throw new IllegalArgumentException("Not a GPT task network: layer '" + OUTPUT + "' is " + l.getClass().getSimpleName());
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
     * Writes {@code frozen} (from {@link #frozenParameters}) back: after Spark's parameter averaging, whose
     * sum-then-divide of identical values need not return them bit for bit.
     */
    public static void restoreFrozen(ComputationGraph net, Map<String, INDArray> frozen) {
        org.deeplearning4j.nn.api.Layer layer = net.getLayer(OUTPUT);
        for (Map.Entry<String, INDArray> e : frozen.entrySet()) layer.getParam(e.getKey()).assign(e.getValue());
    }

    /** Predicted class (or answer) per example: argmax of the logits [B, C]. */
    public static int[] predict(ComputationGraph net, INDArray features) {
        INDArray logits = net.outputSingle(features);
        return logits.argMax(1).toIntVector();
    }
}
