package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

class GptLmLayerTest {

  private static INDArray ids(DataType dt, int[][] rows) {
    float[][] f = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      f[i] = new float[rows[i].length];
      for (int j = 0; j < rows[i].length; j++) f[i][j] = rows[i][j];
    }
    return Nd4j.createFromArray(f).castTo(dt);
  }

  @Test
  void forwardGivesLogitsPerPosition() {
    ComputationGraph net = GptModel.create(GptConfig.tiny(), 1e-3, 1);
    INDArray out =
        net.outputSingle(ids(DataType.FLOAT, new int[][] {{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}}));
    assertArrayEquals(new long[] {2, 5, 64}, out.shape());
  }

  /**
   * Inference through the eval graph reads the 2-D logits and reshapes them in Java: the same
   * [rows, width, V] array as the graph's own "logits" (the training-mode activations, no dropout
   * here), for the LM and for DPO, whose rows hold two sequences. (VectorForwardTest compares the
   * LM's other inference path with this one.)
   */
  @Test
  void inferenceLogitsAreTheGraphsOutput() {
    ComputationGraph lm = GptModel.create(GptConfig.tiny(), 1e-3, 7);
    ComputationGraph dpo =
        DpoModel.forTraining(
            lm, new GptDpoLayer(GptModel.configOf(lm), GptDpoLayer.Loss.SIGMOID, 0.5, 0));
    INDArray features = ids(DataType.FLOAT, new int[][] {{1, 2, 3, 4, 5, 6}, {6, 5, 4, 3, 2, 1}});
    for (ComputationGraph net : new ComputationGraph[] {lm, dpo}) {
      String out = net.getConfiguration().getNetworkOutputs().get(0);
      INDArray graphs = net.feedForward(new INDArray[] {features}, true).get(out);
      ((GptLmLayerImpl) net.getLayer(GptModel.OUTPUT)).setVectorForwardAllowed(false);
      INDArray inferred = net.outputSingle(features);
      assertArrayEquals(new long[] {2, 6, GptConfig.tiny().getVocabSize()}, inferred.shape());
      assertEquals(graphs, inferred);
    }
  }

  @Test
  void futureTokenDoesNotChangeEarlierPositions() {
    for (String ln : new String[] {"pre", "post"}) {
      ComputationGraph net = GptModel.create(GptConfig.tiny().setLayerNorm(ln), 1e-3, 2);
      INDArray a =
          net.outputSingle(ids(DataType.FLOAT, new int[][] {{3, 14, 15, 9, 26, 5, 35, 8}}));
      INDArray b =
          net.outputSingle(ids(DataType.FLOAT, new int[][] {{3, 14, 15, 9, 60, 61, 62, 63}}));
      INDArray prefixA = a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.all());
      INDArray prefixB = b.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.all());
      assertEquals(0.0, prefixA.sub(prefixB).amaxNumber().doubleValue(), 1e-6, ln);
      // and the changed positions do change (the test can fail)
      assertTrue(
          a.get(NDArrayIndex.all(), NDArrayIndex.point(4), NDArrayIndex.all())
                  .sub(b.get(NDArrayIndex.all(), NDArrayIndex.point(4), NDArrayIndex.all()))
                  .amaxNumber()
                  .doubleValue()
              > 1e-4,
          ln);
    }
  }

  /**
   * The training score DL4J asks for after backprop is the loss of the gradient pass itself (no
   * second forward pass): it equals a fresh training score of the same batch with the same masks.
   */
  @Test
  void trainingScoreIsTheLossOfTheGradientPass() {
    GptConfig c = GptConfig.tiny().setDropout(0.1);
    ComputationGraph net = GptModel.create(c, 1e-3, 11);
    DataSet ds = GptBatch.fromSequences(new int[][] {{1, 5, 2, 6, 3, 9}, {4, 4, 7, 1, 2, 3}}, 5);
    net.setInputs(ds.getFeatures());
    net.setLabels(ds.getLabels());
    net.computeGradientAndScore(); // what fit does before the update
    double fromGradientPass = net.score();
    double fresh = net.score(ds, true); // a new input: computed again, same step's masks
    assertEquals(fresh, fromGradientPass, 1e-5 * Math.abs(fresh));
    assertNotEquals(fresh, net.score(ds, false), 1e-4, "dropout masks are in the training score");
  }

  @Test
  void gradientCheckInDoublePrecision() {
    gradientCheck(0.0, "pre", "post");
  }

  /**
   * Checks every parameter's gradient numerically in double precision. With dropout the check
   * computes the gradient once and then training scores, which reuse that step's masks: a check
   * with a fixed mask.
   */
  static void gradientCheck(double dropout, String... layerNorms) {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      for (String ln : layerNorms) {
        // small enough to check every parameter (DL4J's graph gradient check ignores subset()) in
        // seconds
        GptConfig c = checkConfig(ln, dropout);
        Nd4j.getRandom().setSeed(7);
        ComputationGraph net = GptModel.create(c, new NoOp(), 7, DataType.DOUBLE);
        // row 2 is right-padded: its last two labels are ignored
        DataSet ds =
            GptBatch.fromSequences(new int[][] {{1, 5, 2, 6, 3}, {4, 4, 0}}, 4, DataType.DOUBLE);
        assertTrue(
            gradientsMatch(net, ds), "gradient check failed for " + ln + "-LN, dropout " + dropout);
        if (dropout > 0) {
          assertNotEquals(
              net.score(ds, false), net.score(ds, true), 1e-9, "the checked loss had masks");
        }
      }
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  /**
   * A double-precision-sized model small enough to check every parameter (DL4J's graph gradient
   * check ignores subset()) in seconds.
   */
  static GptConfig checkConfig(String layerNorm, double dropout) {
    return new GptConfig()
        .setVocabSize(7)
        .setContextLength(4)
        .setLayers(2)
        .setDModel(4)
        .setHeads(2)
        .setFfnSize(6)
        .setLayerNorm(layerNorm)
        .setDropout(dropout)
        .setInitStd(0.5);
  }

  /** DL4J's numerical gradient check of every parameter (central differences, double precision). */
  static boolean gradientsMatch(ComputationGraph net, DataSet ds) {
    return GradientCheckUtil.checkGradients(
        new GradientCheckUtil.GraphConfig()
            .net(net)
            .inputs(new INDArray[] {ds.getFeatures()})
            .labels(new INDArray[] {ds.getLabels()})
            .epsilon(1e-6)
            .maxRelError(1e-3)
            .minAbsoluteError(1e-8)
            .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
  }

  @Test
  void paddingIsOutOfTheLossAndInvisibleToRealPositions() {
    ComputationGraph net = GptModel.create(GptConfig.tiny(), 1e-3, 3);
    int[] seq = {4, 8, 15, 16, 23, 42};
    DataSet exact = GptBatch.fromSequences(new int[][] {seq}, 5);
    DataSet padded = GptBatch.fromSequences(new int[][] {seq}, 12); // 7 padding positions
    double s1 = net.score(exact), s2 = net.score(padded);
    assertEquals(s1, s2, 1e-5);
    // padding ids changed to something else: same score, same logits at real positions
    INDArray other = padded.getFeatures().dup();
    other.get(NDArrayIndex.point(0), NDArrayIndex.interval(5, 12)).assign(33);
    assertEquals(s2, net.score(new DataSet(other, padded.getLabels())), 1e-5);
    INDArray la = net.outputSingle(exact.getFeatures());
    INDArray lb =
        net.outputSingle(other)
            .get(NDArrayIndex.all(), NDArrayIndex.interval(0, 5), NDArrayIndex.all());
    assertEquals(0.0, la.sub(lb).amaxNumber().doubleValue(), 1e-5);
  }

  @Test
  void overfitsOneBatch() {
    GptConfig c = GptConfig.tiny();
    ComputationGraph net = GptModel.create(c, new Adam(1e-2), 4, DataType.FLOAT);
    java.util.Random r = new java.util.Random(4);
    int[][] seqs = new int[4][17];
    for (int[] s : seqs) for (int t = 0; t < s.length; t++) s[t] = r.nextInt(64);
    DataSet ds = GptBatch.fromSequences(seqs, 16);
    double first = net.score(ds);
    assertEquals(Math.log(64), first, 0.3, "random init should be near uniform");
    for (int i = 0; i < 150; i++) net.fit(ds);
    double last = net.score(ds);
    assertTrue(last < 0.05, "loss after 150 steps: " + last);
  }
}
