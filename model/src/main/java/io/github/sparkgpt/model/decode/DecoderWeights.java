package io.github.sparkgpt.model.decode;

import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A language model's parameters as plain float arrays with their shapes, plus its config as JSON:
 * what a Spark job broadcasts to executors (small to serialise, no DL4J classes inside), and what
 * {@link KvDecoder} is built from.
 */
public final class DecoderWeights implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String configJson;
  private final LinkedHashMap<String, float[]> values = new LinkedHashMap<>();
  private final LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();

  private DecoderWeights(String configJson) {
    this.configJson = configJson;
  }

  /** The parameters of a language-model network (a task network is refused by configOf). */
  public static DecoderWeights of(ComputationGraph net) {
    DecoderWeights w = new DecoderWeights(GptModel.configOf(net).toJson());
    for (Map.Entry<String, INDArray> e : net.getLayer(GptModel.OUTPUT).paramTable().entrySet()) {
      INDArray a = e.getValue();
      w.values.put(e.getKey(), a.castTo(DataType.FLOAT).dup('c').data().asFloat());
      w.shapes.put(e.getKey(), a.shape());
    }
    return w;
  }

  public GptConfig config() {
    return GptConfig.fromJson(configJson);
  }

  /** A parameter's values, c order (shared: callers only read them). */
  float[] values(String name) {
    float[] v = values.get(name);
    if (v == null) throw new IllegalArgumentException("no parameter " + name);
    return v;
  }

  /** Parameter name to a new float32 array (c order) of its recorded shape. */
  Map<String, INDArray> arrays() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, float[]> e : values.entrySet()) {
      out.put(e.getKey(), Nd4j.create(e.getValue(), shapes.get(e.getKey()), 'c'));
    }
    return out;
  }
}
