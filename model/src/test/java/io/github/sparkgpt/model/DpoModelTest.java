package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

class DpoModelTest {

  @Test
  void trainsOnTheSwappedLayerAndSavesAPlainLanguageModel() {
    GptConfig c = GptConfig.tiny();
    ComputationGraph lm = GptModel.create(c, new Adam(1e-3), 2, DataType.FLOAT, 0.01, 1.0);
    ComputationGraph dpo =
        DpoModel.forTraining(lm, new GptDpoLayer(c, GptDpoLayer.Loss.SIGMOID, 0.1, 0));
    assertEquals(lm.params(), dpo.params());
    // updater, weight decay and clipping carried over
    GptDpoLayer layer = DpoModel.layerOf(dpo);
    assertEquals(
        lm.getLayer(GptModel.OUTPUT).conf().getLayer().getRegularizationByParam(GptGraph.WTE),
        layer.getRegularizationByParam(GptGraph.WTE));
    assertEquals(1.0, layer.getGradientNormalizationThreshold());
    assertTrue(layer.getUpdaterByParam(GptGraph.WTE) instanceof Adam);
    // the configuration survives JSON (Spark's workers rebuild the network from it)
    GptDpoLayer copy =
        (GptDpoLayer)
            ((org.deeplearning4j.nn.conf.graph.LayerVertex)
                    org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(
                            dpo.getConfiguration().toJson())
                        .getVertices()
                        .get(GptModel.OUTPUT))
                .getLayerConf()
                .getLayer();
    assertEquals(GptDpoLayer.Loss.SIGMOID, copy.getLoss());
    assertEquals(0.1, copy.getBeta());
    assertEquals(c, copy.getConfig());
    // a DPO network is not a language model: no checkpoint can be written from it
    assertThrows(IllegalArgumentException.class, () -> ModelKind.of(dpo));

    int[] prompt = {1, 2, 3};
    DataSet ds =
        DpoBatch.pairs(
            List.of(new DpoBatch.Pair(prompt, new int[] {4, 5}, new int[] {6}, -8, -4)),
            c.getContextLength(),
            DataType.FLOAT);
    dpo.fit(ds);
    ComputationGraph back = DpoModel.languageModel(dpo);
    assertTrue(ModelKind.of(back).isLanguageModel());
    assertEquals(dpo.params(), back.params());
    assertNotEquals(lm.params(), back.params());
    assertEquals(dpo.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
    INDArray in = org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{1, 2, 3, 4}});
    // the same logits: the swapped network's output for chosen | rejected starts with the LM's
    assertEquals(
        back.outputSingle(in).getDouble(0, 3, 7),
        dpo.outputSingle(ds.getFeatures()).getDouble(0, 3, 7),
        1e-5);
  }
}
