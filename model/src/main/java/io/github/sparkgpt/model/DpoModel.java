package io.github.sparkgpt.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Swaps a language model's output layer between {@link GptLmLayer} and {@link GptDpoLayer}: the
 * preference loss is a training concern, so training runs on the swapped network and what is saved
 * is the plain language model (generate, export and the other jobs accept it). A swap keeps every
 * parameter, the updater, regularisation and clipping configuration, and the updater state.
 */
public final class DpoModel {

  private DpoModel() {}

  /**
   * The network that trains {@code lm} on preference pairs with {@code loss} (whose config must be
   * the model's).
   */
  public static ComputationGraph forTraining(ComputationGraph lm, GptDpoLayer loss) {
    GptConfig config = GptModel.configOf(lm);
    if (!config.equals(loss.getConfig())) {
      throw new IllegalArgumentException(
          "the dpo layer was built with " + loss.getConfig() + ", not the model's " + config);
    }
    return swap(lm, loss.validate());
  }

  /** The language model a preference-training network holds (for checkpoints and evaluation). */
  public static ComputationGraph languageModel(ComputationGraph dpo) {
    return swap(dpo, new GptLmLayer(layerOf(dpo).getConfig()));
  }

  /** The preference layer of a network built by {@link #forTraining}. */
  public static GptDpoLayer layerOf(ComputationGraph net) {
    org.deeplearning4j.nn.conf.layers.Layer l = net.getLayer(GptModel.OUTPUT).conf().getLayer();
    if (!(l instanceof GptDpoLayer)) {
      throw new IllegalArgumentException(
          "Not a preference-training network: layer '"
              + GptModel.OUTPUT
              + "' is "
              + l.getClass().getSimpleName());
    }
    return (GptDpoLayer) l;
  }

  private static ComputationGraph swap(ComputationGraph net, AbstractSameDiffLayer layer) {
    // A deep copy of the configuration keeps updater, seed, data type and iteration counts.
    ComputationGraphConfiguration conf =
        ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
    LayerVertex vertex = (LayerVertex) conf.getVertices().get(GptModel.OUTPUT);
    AbstractSameDiffLayer old = (AbstractSameDiffLayer) vertex.getLayerConf().getLayer();
    layer.setLayerName(old.getLayerName());
    layer.setUpdater(old.getUpdater());
    layer.setBiasUpdater(old.getBiasUpdater());
    layer.setRegularization(old.getRegularization());
    layer.setRegularizationBias(old.getRegularizationBias());
    layer.setGradientNormalization(old.getGradientNormalization());
    layer.setGradientNormalizationThreshold(old.getGradientNormalizationThreshold());
    layer.setIDropout(old.getIDropout());
    vertex.getLayerConf().setLayer(layer);
    ComputationGraph out = new ComputationGraph(conf);
    out.init();
    Map<String, INDArray> source = net.getLayer(GptModel.OUTPUT).paramTable();
    for (Map.Entry<String, INDArray> e : source.entrySet()) {
      out.getLayer(GptModel.OUTPUT).getParam(e.getKey()).assign(e.getValue());
    }
    INDArray state = net.getUpdater(false) == null ? null : net.getUpdater().getStateViewArray();
    if (state != null && state.length() > 0) out.getUpdater().getStateViewArray().assign(state);
    return out;
  }
}
