package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Decoupled weight decay and gradient-norm clipping reach the SameDiff layer and act as documented.
 */
class GptModelRegularizationTest {
  static final double LR = 1e-2;

  static DataSet batch(long seed) {
    Random rnd = new Random(seed);
    int[][] seqs = new int[4][9];
    for (int[] s : seqs) for (int t = 0; t < s.length; t++) s[t] = rnd.nextInt(40);
    return GptBatch.fromSequences(seqs, 8);
  }

  static GptConfig config() {
    return GptConfig.tiny().setVocabSize(40).setContextLength(8);
  }

  static ComputationGraph net(double weightDecay, double clip) {
    return GptModel.create(config(), new Adam(LR), 7, DataType.FLOAT, weightDecay, clip);
  }

  @Test
  void weightDecayShrinksWeightMatricesOnlyByLrTimesCoefficient() {
    double wd = 0.1;
    ComputationGraph plain = net(0, 0);
    ComputationGraph decayed = net(wd, 0);
    INDArray wteBefore = plain.getParam("lm_" + GptGraph.WTE).dup();
    INDArray lnBefore = plain.getParam("lm_" + GptGraph.p(0, "ln1G")).dup();
    assertEquals(wteBefore, decayed.getParam("lm_" + GptGraph.WTE), "same initialisation");
    DataSet b = batch(1);
    plain.fit(b);
    decayed.fit(b);
    // AdamW: the same Adam step, then w -= lr * wd * w_before, on weights only.
    INDArray expected = plain.getParam("lm_" + GptGraph.WTE).sub(wteBefore.mul(LR * wd));
    assertTrue(
        expected.equalsWithEps(decayed.getParam("lm_" + GptGraph.WTE), 1e-6), "embedding decayed");
    assertTrue(
        plain
            .getParam("lm_" + GptGraph.p(0, "ln1G"))
            .equalsWithEps(decayed.getParam("lm_" + GptGraph.p(0, "ln1G")), 1e-7),
        "layer-norm gain not decayed");
    assertTrue(!lnBefore.equals(decayed.getParam("lm_" + GptGraph.p(0, "ln1G"))), "but trained");
  }

  @Test
  void clippingBoundsTheGradientNormAndTrainingStillLearns() {
    // Adam is invariant to the gradient's scale, so a clip only shows when it pushes gradients
    // toward Adam's eps:
    // at 1e-10 the update nearly vanishes.
    ComputationGraph free = net(0, 0);
    ComputationGraph choked = net(0, 1e-10);
    INDArray before = free.params().dup();
    DataSet b = batch(2);
    free.fit(b);
    choked.fit(b);
    double freeMove = free.params().sub(before).norm2Number().doubleValue();
    double chokedMove = choked.params().sub(before).norm2Number().doubleValue();
    assertTrue(chokedMove < freeMove / 10, "clipped update " + chokedMove + " vs " + freeMove);

    // With the published settings (clip 1.0, weight decay 0.01) the loss still falls on a fixed
    // batch.
    ComputationGraph net = net(0.01, 1.0);
    double first = net.score(b);
    for (int i = 0; i < 30; i++) net.fit(b);
    double last = net.score(b);
    assertTrue(last < first - 1.0, first + " -> " + last);
  }

  @Test
  void optionsSurviveSaveAndLoad() throws Exception {
    ComputationGraph net = net(0.05, 2.0);
    java.io.File f = java.io.File.createTempFile("gpt", ".zip");
    f.deleteOnExit();
    net.save(f, true);
    ComputationGraph back = ComputationGraph.load(f, true);
    var layer = (GptLmLayer) back.getLayer(GptModel.OUTPUT).conf().getLayer();
    assertEquals(
        org.deeplearning4j.nn.conf.GradientNormalization.ClipL2PerLayer,
        layer.getGradientNormalization());
    assertEquals(2.0, layer.getGradientNormalizationThreshold());
    assertEquals(1, layer.getRegularizationByParam(GptGraph.WTE).size());
  }
}
