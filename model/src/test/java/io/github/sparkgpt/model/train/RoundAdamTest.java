package io.github.sparkgpt.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

class RoundAdamTest {
  static final WarmupCosineSchedule SCHEDULE = new WarmupCosineSchedule(1e-2, 10, 100, 0.1);

  /**
   * Three Adam steps from the same state: at iterations 7, 8, 9 for Adam; 0, 1, 2 with offset 7 for
   * RoundAdam.
   */
  @Test
  void offsetShiftsScheduleAndBiasCorrection() {
    RoundAdam shifted = new RoundAdam(SCHEDULE);
    shifted.setStepOffset(7);
    Adam plain = new Adam(SCHEDULE);
    INDArray stateA = Nd4j.rand(DataType.FLOAT, 1, 8).muli(0.01);
    INDArray stateB = stateA.dup();
    GradientUpdater<?> a = plain.instantiate(stateA, false);
    GradientUpdater<?> b = shifted.instantiate(stateB, false);
    for (int i = 0; i < 3; i++) {
      INDArray g =
          Nd4j.createFromArray(new float[] {-1f + i, 0.5f, 2f - i, 0.1f * i}).reshape(1, 4);
      INDArray ga = g.dup(), gb = g.dup();
      a.applyUpdater(ga, 7 + i, 0);
      b.applyUpdater(gb, i, 0);
      assertTrue(ga.equalsWithEps(gb, 1e-7), "step " + i + ": " + ga + " vs " + gb);
      assertEquals(plain.getLearningRate(7 + i, 0), shifted.getLearningRate(i, 0), 0);
    }
    // Without the offset the step differs (warmup and bias correction restart): the test can fail.
    INDArray g = Nd4j.ones(DataType.FLOAT, 1, 4);
    INDArray ga = g.dup(), gb = g.dup();
    plain.instantiate(stateA.dup(), false).applyUpdater(ga, 0, 0);
    b.applyUpdater(gb, 0, 0);
    assertTrue(!ga.equalsWithEps(gb, 1e-7));
  }

  @Test
  void survivesCloneAndJsonInTheGraphConfiguration() {
    RoundAdam adam = new RoundAdam(SCHEDULE);
    adam.setStepOffset(40);
    assertEquals(40, adam.clone().getStepOffset());
    GptConfig tiny = GptConfig.tiny();
    ComputationGraphConfiguration conf = GptModel.configuration(tiny, adam, 1, DataType.FLOAT);
    for (ComputationGraphConfiguration c :
        new ComputationGraphConfiguration[] {
          conf.clone(), ComputationGraphConfiguration.fromJson(conf.toJson())
        }) {
      var layer =
          (AbstractSameDiffLayer)
              ((LayerVertex) c.getVertices().get(GptModel.OUTPUT)).getLayerConf().getLayer();
      RoundAdam back = assertInstanceOf(RoundAdam.class, layer.getUpdater());
      assertEquals(40, back.getStepOffset());
      assertEquals(SCHEDULE.at(45), back.getLearningRate(5, 0), 1e-12);
    }
  }
}
