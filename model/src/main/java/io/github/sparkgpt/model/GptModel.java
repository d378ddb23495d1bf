package io.github.sparkgpt.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Builds the GPT language model as a DL4J {@link ComputationGraph} with one input ("tokens") and one output
 * layer ("lm", a {@link GptLmLayer}).
 *
 * <p>Training data layout ({@code DataSet} or single-input {@code MultiDataSet}), built from a sequence
 * {@code s} of T+1 token ids by {@link GptBatch}:
 * <ul>
 *   <li>features {@code [B, T]}, float, {@code features[b][t] = s[t]}; positions past the sequence end hold
 *       any valid id (0);</li>
 *   <li>labels {@code [B, T]}, float, {@code labels[b][t] = s[t+1]}, and {@link GptLmLayer#IGNORE} (-1) where
 *       there is no next token (right padding);</li>
 *   <li>no feature or label mask arrays: causal attention makes right padding invisible to real positions, and
 *       the -1 labels keep padding out of the loss.</li>
 * </ul>
 */
public final class GptModel {

    public static final String INPUT = "tokens";
    public static final String OUTPUT = "lm";

    private GptModel() {
    }

    /** Graph configuration; the updater (e.g. Adam with a schedule) belongs to the training job. */
    public static ComputationGraphConfiguration configuration(GptConfig config, IUpdater updater, long seed,
                                                              DataType dataType) {
        return configuration(config, updater, seed, dataType, 0, 0);
    }

    /**
     * As above, with the two optimiser options DL4J keeps in the layer configuration:
     * <ul>
     *   <li>{@code weightDecay > 0}: decoupled weight decay (AdamW: {@code w -= lr * weightDecay * w} after the Adam
     *       step, lr from the updater's schedule) on the weight matrices only: embeddings, attention, MLP and LM head.
     *       Biases and layer-norm gains/biases are "bias" parameters of the layer and are not decayed;</li>
     *   <li>{@code gradientClip > 0}: the gradient is rescaled to L2 norm {@code gradientClip} when larger, before
     *       Adam ({@code ClipL2PerLayer}; the whole model is one layer, so this is global-norm clipping).</li>
     * </ul>
     */
    public static ComputationGraphConfiguration configuration(GptConfig config, IUpdater updater, long seed,
                                                              DataType dataType, double weightDecay,
                                                              double gradientClip) {
        config.validate();
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater);
        if (weightDecay > 0) b.weightDecay(weightDecay, true);
        if (gradientClip > 0) {
            b.gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(gradientClip);
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

    public static ComputationGraph create(GptConfig config, IUpdater updater, long seed, DataType dataType) {
        return create(config, updater, seed, dataType, 0, 0);
    }

    /** A freshly initialised network with weight decay and gradient clipping (see {@link #configuration}). */
    public static ComputationGraph create(GptConfig config, IUpdater updater, long seed, DataType dataType,
                                          double weightDecay, double gradientClip) {
        ComputationGraph net = new ComputationGraph(configuration(config, updater, seed, dataType, weightDecay,
                gradientClip));
        net.init();
        return net;
    }

    /**
     * The decoder config of a language model or of a fine-tuned task network ({@link GptTaskModel}); a
     * {@link Checkpoint} holds either.
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
        if (!(l instanceof GptLmLayer)) {
            throw new IllegalArgumentException("Not a GPT network: layer '" + OUTPUT + "' is " + l.getClass().getSimpleName());
        }
        return ((GptLmLayer) l).getConfig();
    }
}
