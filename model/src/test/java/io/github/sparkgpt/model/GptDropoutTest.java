package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class GptDropoutTest {

  /** Two dropout sites on x [4096, 64] of ones: outputs are the masks times 1/(1-p). */
  private static Map<String, INDArray> masks(double p, long key) {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 64);
    sd.identity("a", GptDropout.apply(sd, x, p, GptDropout.TOKENS, 64));
    sd.identity("b", GptDropout.apply(sd, x, p, GptDropout.TOKENS, 64));
    GptDropout.setStep(key, 32, 128, sd); // N*T = 4096
    return sd.output(Map.of("x", Nd4j.ones(DataType.FLOAT, 4096, 64)), "a", "b");
  }

  private static double fractionDiffering(INDArray a, INDArray b) {
    return a.neq(b).castTo(DataType.DOUBLE).meanNumber().doubleValue();
  }

  @Test
  void keepRateIsWithinToleranceAndKeptValuesAreScaled() {
    for (double p : new double[] {0.1, 0.5}) {
      INDArray m = masks(p, 42).get("a"); // 262,144 draws
      double kept = m.gt(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
      assertEquals(1 - p, kept, 0.005, "keep rate at p = " + p); // ~5 standard deviations
      assertEquals((float) (1 / (1 - p)), m.maxNumber().floatValue(), 1e-6);
      assertEquals(0.0, m.minNumber().doubleValue());
    }
  }

  @Test
  void masksDifferBetweenStepsAndSitesAndRepeatForTheSameKey() {
    Map<String, INDArray> step1 = masks(0.1, 1), step2 = masks(0.1, 2);
    // independent masks differ in 2 p (1 - p) = 18% of the elements
    assertEquals(0.18, fractionDiffering(step1.get("a"), step2.get("a")), 0.01, "between steps");
    assertEquals(0.18, fractionDiffering(step1.get("a"), step1.get("b")), 0.01, "between sites");
    assertEquals(step1.get("a"), masks(0.1, 1).get("a"), "same key, same mask");
    // keys differing only in their high half change the mask too
    assertEquals(
        0.18, fractionDiffering(step1.get("a"), masks(0.1, 1 + (1L << 32)).get("a")), 0.01);
  }

  @Test
  void masksAreTheMixerElementByElementWithWrappingIntArithmetic() {
    long key = 0x8badf00d_deadbeefL;
    INDArray m = masks(0.25, key).get("b"); // site 1
    float[] got = m.data().asFloat();
    int siteKey = GptDropout.mix((int) key + GptDropout.SITE_STRIDE) ^ (int) (key >>> 32);
    int threshold = 1 << (GptDropout.RATE_BITS - 2); // p = 0.25
    for (int i = 0; i < got.length; i++) {
      boolean keep = (GptDropout.mix(i ^ siteKey) & ((1 << GptDropout.RATE_BITS) - 1)) >= threshold;
      assertEquals(keep ? 1 / 0.75f : 0f, got[i], 1e-6, "element " + i);
    }
  }

  @Test
  void withoutDropoutIsTheSameModelWithNoDropoutSite() {
    GptConfig c = GptConfig.small().setEmbeddingDropout(0.1).setAttentionDropout(0.2);
    GptConfig none = GptDropout.withoutDropout(c);
    assertTrue(GptDropout.hasDropout(c));
    assertFalse(GptDropout.hasDropout(none));
    assertEquals(c.copy().setDropout(0.0), none);
    assertEquals(0.2, c.getAttentionDropout(), "the original is unchanged");
  }

  @Test
  void trainingStepsDrawNewMasksAndInferenceIsExact() {
    ComputationGraph drop = GptModel.create(GptConfig.tiny().setDropout(0.1), 1e-3, 6);
    ComputationGraph plain = GptModel.create(GptConfig.tiny(), 1e-3, 6);
    plain.setParams(drop.params());
    DataSet ds =
        GptBatch.fromSequences(new int[][] {{1, 2, 3, 4, 5, 6, 7, 8, 9}, {9, 8, 7, 6, 5}}, 8);
    INDArray expected = plain.outputSingle(ds.getFeatures());
    assertEquals(expected, drop.outputSingle(ds.getFeatures()), "inference: no dropout");

    drop.setInputs(ds.getFeatures());
    drop.setLabels(ds.getLabels());
    drop.computeGradientAndScore();
    INDArray g1 = drop.gradient().gradient().dup();
    double s1 = drop.score();
    drop.computeGradientAndScore();
    INDArray g2 = drop.gradient().gradient().dup();
    assertNotEquals(g1, g2, "two steps on the same batch draw different masks");
    assertNotEquals(s1, drop.score(), "the training score sees the step's masks");
    assertEquals(
        expected,
        drop.outputSingle(ds.getFeatures()),
        "inference after training steps: still exact");
    assertEquals(plain.score(ds), drop.score(ds), 1e-6, "evaluation score: no dropout");
  }

  /**
   * Task and DPO layers lay k sequences side by side in a row: their attention masks are [B k, H,
   * T, T], not [B, H, k T, k T] (a wrong shape fails the step).
   */
  @Test
  void layersWithSeveralSequencesPerRowDrawMasksOfTheirShape() {
    GptConfig c = GptConfig.tiny().setDropout(0.1);
    ComputationGraph choice =
        GptTaskModel.fromScratch(
            c, GptTaskLayer.Mode.CHOICE, 3, 0.5, new Adam(1e-3), 3, DataType.FLOAT);
    DataSet task =
        GptTaskBatch.build(
            new int[][][] {{{1, 2, 3}, {4, 5}, {6}}, {{2, 2}, {3, 3, 3}, {7}}},
            new int[] {0, 2},
            8,
            DataType.FLOAT);
    ComputationGraph lm = GptModel.create(c, 1e-3, 4);
    ComputationGraph dpo =
        DpoModel.forTraining(
            lm, new GptDpoLayer(GptModel.configOf(lm), GptDpoLayer.Loss.SIGMOID, 0.5, 0));
    DataSet pairs =
        DpoBatch.pairs(
            List.of(
                new DpoBatch.Pair(new int[] {1, 5}, new int[] {2, 6, 3}, new int[] {4}, -7, -6),
                new DpoBatch.Pair(new int[] {3}, new int[] {1}, new int[] {2, 2, 2}, -2, -9)),
            6,
            DataType.FLOAT);
    for (var run : List.of(Map.entry(choice, task), Map.entry(dpo, pairs))) {
      ComputationGraph net = run.getKey();
      net.setInputs(run.getValue().getFeatures());
      net.setLabels(run.getValue().getLabels());
      net.computeGradientAndScore();
      INDArray g1 = net.gradient().gradient().dup();
      net.computeGradientAndScore();
      assertNotEquals(g1, net.gradient().gradient(), "a new mask every step");
    }
  }

  @Test
  void dropoutZeroBuildsTheGraphWithoutDropout() {
    SameDiff sd = SameDiff.create();
    Map<String, SDVariable> w = new HashMap<>();
    GptConfig c = GptConfig.tiny();
    for (Map.Entry<String, long[]> e : parameterShapes(c).entrySet()) {
      w.put(e.getKey(), sd.var(e.getKey(), DataType.FLOAT, e.getValue()));
    }
    GptGraph.hidden(sd, c, sd.placeHolder("ids", DataType.FLOAT, -1, -1), w);
    assertFalse(sd.hasVariable(GptDropout.SITE + 0));
  }

  private static Map<String, long[]> parameterShapes(GptConfig c) {
    org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams params =
        new org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams();
    GptGraph.defineParameters(c, params);
    return params.getParamShapes();
  }

  /**
   * Dropout 0 gives what the network computed before dropout had its own masks (recorded at commit
   * 56d4f07).
   */
  @Test
  void dropoutZeroKeepsTheRecordedOutputsAndGradients() {
    String[] ln = {"pre", "post"};
    double[][] recorded = {
      {
        4.167420387268066,
        0.0541934,
        0.09424388,
        -0.19686843,
        -0.0048718387,
        -2.2607105E-4,
        -0.013040308
      },
      {
        4.174489498138428,
        0.037843592,
        0.011022083,
        -0.28915507,
        -0.0066619287,
        -2.9037643E-9,
        -0.017256403
      }
    };
    for (int i = 0; i < 2; i++) {
      ComputationGraph net = GptModel.create(GptConfig.tiny().setLayerNorm(ln[i]), 1e-3, 11);
      DataSet ds =
          GptBatch.fromSequences(
              new int[][] {{3, 14, 15, 9, 26, 5, 35, 8, 9, 7}, {2, 7, 1, 8, 2, 8}}, 9);
      float[] out = net.outputSingle(ds.getFeatures()).data().asFloat();
      net.setInputs(ds.getFeatures());
      net.setLabels(ds.getLabels());
      net.computeGradientAndScore();
      float[] g = net.gradient().gradient().data().asFloat();
      double[] now = {
        net.score(), out[0], out[100], out[out.length - 1], g[0], g[5000], g[g.length - 1]
      };
      for (int j = 0; j < now.length; j++) {
        assertEquals(
            recorded[i][j],
            now[j],
            1e-6 * Math.max(1, Math.abs(recorded[i][j])),
            ln[i] + " value " + j);
      }
    }
  }

  @Test
  void gradientCheckWithAFixedMask() {
    GptLmLayerTest.gradientCheck(0.3, "post"); // GPT-1's layout; the masks do not depend on it
  }
}
