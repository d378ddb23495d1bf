package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

class GptTaskLayerTest {

  private static final GptTaskLayer.Mode CLASSIFY = GptTaskLayer.Mode.CLASSIFY;

  private static ComputationGraph tiny(
      GptTaskLayer.Mode mode, int classes, double lambda, double lr, long seed) {
    return GptTaskModel.fromScratch(
        GptConfig.tiny(), mode, classes, lambda, new Adam(lr), seed, DataType.FLOAT);
  }

  @Test
  void gradientCheckInDoublePrecision() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      GptConfig c =
          new GptConfig()
              .setVocabSize(7)
              .setContextLength(5)
              .setLayers(1)
              .setDModel(4)
              .setHeads(2)
              .setFfnSize(6)
              .setLayerNorm("pre")
              .setDropout(0.0)
              .setInitStd(0.5);
      // classification with the aux LM, similarity (2 orderings), multiple choice (3 answers),
      // score regression
      check(c, CLASSIFY, 3, 0.5, new int[][][] {{{1, 5, 2, 6}}, {{4, 3}}}, new int[] {2, 0});
      check(
          c,
          GptTaskLayer.Mode.SUM,
          2,
          0.5,
          new int[][][] {{{1, 5, 2}, {2, 5, 1}}, {{4, 3, 6, 2}, {6, 2}}},
          new int[] {1, 0});
      check(
          c,
          GptTaskLayer.Mode.CHOICE,
          3,
          0.5,
          new int[][][] {{{1, 5}, {1, 6, 2}, {1, 3}}, {{4, 3, 6}, {4, 2}, {4, 1}}},
          new int[] {1, 2});
      int[][][] pairs = {{{1, 5, 2}, {2, 5, 1}}, {{4, 3, 6, 2}, {6, 2}}};
      check(
          c,
          GptTaskLayer.Mode.REGRESS,
          1,
          0.5,
          GptTaskBatch.build(
              pairs, new double[] {3.7, 0.4}, c.getContextLength(), DataType.DOUBLE));
      // with a given head-dropout mask (classification: d values per example; multiple choice: k x
      // d)
      check(
          c,
          CLASSIFY,
          3,
          0.5,
          GptTaskBatch.withHeadDropout(
              GptTaskBatch.build(
                  new int[][][] {{{1, 5, 2, 6}}, {{4, 3}}},
                  new int[] {2, 0},
                  c.getContextLength(),
                  DataType.DOUBLE),
              4,
              0.5,
              11));
      check(
          c,
          GptTaskLayer.Mode.CHOICE,
          3,
          0.5,
          GptTaskBatch.withHeadDropout(
              GptTaskBatch.build(
                  new int[][][] {{{1, 5}, {1, 6, 2}, {1, 3}}, {{4, 3, 6}, {4, 2}, {4, 1}}},
                  new int[] {1, 2},
                  c.getContextLength(),
                  DataType.DOUBLE),
              3 * 4,
              0.3,
              12));
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  private static void check(
      GptConfig c, GptTaskLayer.Mode mode, int classes, double lambda, int[][][] ex, int[] y) {
    check(
        c, mode, classes, lambda, GptTaskBatch.build(ex, y, c.getContextLength(), DataType.DOUBLE));
  }

  private static void check(
      GptConfig c, GptTaskLayer.Mode mode, int classes, double lambda, DataSet ds) {
    Nd4j.getRandom().setSeed(7);
    ComputationGraph net =
        GptTaskModel.fromScratch(c, mode, classes, lambda, new NoOp(), 7, DataType.DOUBLE);
    assertTrue(
        GptLmLayerTest.gradientsMatch(net, ds),
        "gradient check failed for " + mode + " lambda " + lambda + " " + c.getLayerNorm());
  }

  @Test
  void batchLayoutPadsWithMinusOneAndShiftsLmLabels() {
    DataSet ds =
        GptTaskBatch.build(new int[][][] {{{5, 6, 7}, {8, 9}}}, new int[] {1}, 8, DataType.FLOAT);
    assertArrayEquals(new float[] {5, 6, 7, 8, 9, -1}, ds.getFeatures().toFloatVector());
    assertArrayEquals(new float[] {1, 6, 7, -1, 9, -1, -1}, ds.getLabels().toFloatVector());
    assertThrows(
        IllegalArgumentException.class,
        () -> GptTaskBatch.build(new int[][][] {{{1, 2, 3}}}, new int[] {0}, 2, DataType.FLOAT));
  }

  @Test
  void headReadsTheExtractPosition() {
    ComputationGraph net = tiny(CLASSIFY, 3, 0.5, 1e-3, 1);
    int[] seq = {3, 14, 15, 9, 26};
    // alone, padded next to a longer example, or with the longer example first: same logits for seq
    INDArray alone =
        net.outputSingle(GptTaskBatch.features(new int[][][] {{seq}}, 16, DataType.FLOAT));
    INDArray padded =
        net.outputSingle(
            GptTaskBatch.features(
                new int[][][] {{seq}, {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}}, 16, DataType.FLOAT));
    assertArrayEquals(new long[] {1, 3}, alone.shape());
    assertEquals(0.0, alone.getRow(0).sub(padded.getRow(0)).amaxNumber().doubleValue(), 1e-5);
    // the extract token is read: changing the last real token changes the logits, changing the
    // first does too
    INDArray lastChanged =
        net.outputSingle(
            GptTaskBatch.features(new int[][][] {{{3, 14, 15, 9, 27}}}, 16, DataType.FLOAT));
    INDArray firstChanged =
        net.outputSingle(
            GptTaskBatch.features(new int[][][] {{{4, 14, 15, 9, 26}}}, 16, DataType.FLOAT));
    assertTrue(alone.sub(lastChanged).amaxNumber().doubleValue() > 1e-4);
    assertTrue(alone.sub(firstChanged).amaxNumber().doubleValue() > 1e-4);
    // ... and it is the last token's state, not an earlier one's: the prefix alone gives other
    // logits
    INDArray prefix =
        net.outputSingle(
            GptTaskBatch.features(new int[][][] {{{3, 14, 15, 9}}}, 16, DataType.FLOAT));
    assertTrue(alone.sub(prefix).amaxNumber().doubleValue() > 1e-4);
  }

  @Test
  void pretrainedParametersAreCopiedExactly() {
    ComputationGraph lm = GptModel.create(GptConfig.tiny(), 1e-3, 11);
    ComputationGraph task = GptTaskModel.fromPretrained(lm, CLASSIFY, 4, 0.5, new Adam(1e-3), 12);
    Map<String, INDArray> src = lm.getLayer(GptModel.OUTPUT).paramTable();
    Map<String, INDArray> dst = task.getLayer(GptTaskModel.OUTPUT).paramTable();
    assertEquals(src.size() + 2, dst.size());
    for (Map.Entry<String, INDArray> e : src.entrySet()) {
      assertEquals(e.getValue(), dst.get(e.getKey()), e.getKey());
    }
    assertArrayEquals(new long[] {32, 4}, dst.get(GptTaskLayer.HEAD_W).shape());
    assertEquals(0.0, dst.get(GptTaskLayer.HEAD_B).amaxNumber().doubleValue());
    // the copy is deep: training the task net leaves the LM alone
    INDArray before = lm.params().dup();
    task.fit(
        GptTaskBatch.build(
            new int[][][] {{{1, 2, 3}}, {{4, 5}}}, new int[] {0, 3}, 16, DataType.FLOAT));
    assertEquals(before, lm.params());
    // and the same decoder gives the same aux LM loss as the LM's own loss on the same tokens
    ComputationGraph lmOnly = GptTaskModel.fromPretrained(lm, CLASSIFY, 2, 1.0, new Adam(1e-3), 12);
    DataSet t =
        GptTaskBatch.build(new int[][][] {{{7, 8, 9, 10, 11}}}, new int[] {0}, 16, DataType.FLOAT);
    double lmScore = lm.score(GptBatch.fromSequences(new int[][] {{7, 8, 9, 10, 11}}, 16));
    ComputationGraph noLm = GptTaskModel.fromPretrained(lm, CLASSIFY, 2, 0.0, new Adam(1e-3), 12);
    assertEquals(lmScore, lmOnly.score(t) - noLm.score(t), 1e-4);
  }

  /**
   * Class = whether token 10 occurs anywhere in the sequence: separable only by attending to the
   * whole text.
   */
  private static DataSet separable(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    int[][][] ex = new int[n][1][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      int len = 3 + r.nextInt(6);
      int[] s = new int[len];
      y[i] = i % 2;
      for (int p = 0; p < len - 1; p++) s[p] = 20 + r.nextInt(40);
      if (y[i] == 1) s[r.nextInt(len - 1)] = 10;
      s[len - 1] = 63; // the extract token
      ex[i][0] = s;
    }
    return GptTaskBatch.build(ex, y, 16, DataType.FLOAT);
  }

  private static double accuracy(ComputationGraph net, DataSet ds) {
    int[] pred = GptTaskModel.predict(net, ds.getFeatures());
    int ok = 0;
    for (int i = 0; i < pred.length; i++) if (pred[i] == (int) ds.getLabels().getDouble(i, 0)) ok++;
    return ok / (double) pred.length;
  }

  @Test
  void overfitsASmallSeparableBatchWithAndWithoutTheAuxLoss() {
    DataSet ds = separable(16, 3);
    for (double lambda : new double[] {0.0, 0.5}) {
      ComputationGraph net = tiny(CLASSIFY, 2, lambda, 3e-3, 5);
      double first = net.score(ds);
      for (int i = 0; i < 50; i++) net.fit(ds);
      double last = net.score(ds);
      assertTrue(last < first * 0.5, "lambda " + lambda + ": loss " + first + " -> " + last);
      assertEquals(1.0, accuracy(net, ds), 1e-9, "lambda " + lambda);
    }
  }

  @Test
  void multipleChoiceLearnsWhichAnswerIsRight() {
    // the right answer is the one ending in token 10 before the extract token; its index varies
    java.util.Random r = new java.util.Random(9);
    int n = 12, k = 3;
    int[][][] ex = new int[n][k][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % k;
      for (int j = 0; j < k; j++) {
        ex[i][j] = new int[] {1, 20 + r.nextInt(30), 2, j == y[i] ? 10 : 11 + r.nextInt(5), 63};
      }
    }
    DataSet ds = GptTaskBatch.build(ex, y, 16, DataType.FLOAT);
    ComputationGraph net = tiny(GptTaskLayer.Mode.CHOICE, k, 0.5, 3e-3, 8);
    assertArrayEquals(new long[] {n, k}, net.outputSingle(ds.getFeatures()).shape());
    for (int i = 0; i < 60; i++) net.fit(ds);
    assertEquals(1.0, accuracy(net, ds), 1e-9);
  }

  @Test
  void regressionScoreIsSquaredErrorOfTheSummedOrderingsAndIsLearned() {
    int[][][] ex = {
      {{1, 20, 2, 21, 63}, {1, 21, 2, 20, 63}},
      {{1, 30, 2, 31, 63}, {1, 31, 2, 30, 63}},
      {{1, 40, 2, 41, 63}, {1, 41, 2, 40, 63}},
      {{1, 50, 2, 51, 63}, {1, 51, 2, 50, 63}}
    };
    double[] y = {0.5, 4.5, 2.0, 3.25};
    DataSet ds = GptTaskBatch.build(ex, y, 16, DataType.FLOAT);
    assertEquals(4.5, ds.getLabels().getDouble(1, 0), 1e-6);
    ComputationGraph net = tiny(GptTaskLayer.Mode.REGRESS, 1, 0.0, 1e-2, 21);
    INDArray pred = net.outputSingle(ds.getFeatures());
    assertArrayEquals(new long[] {4, 1}, pred.shape());
    // without the aux LM the score is exactly the mean squared error of the predicted values
    double mse = 0;
    for (int i = 0; i < y.length; i++) mse += Math.pow(pred.getDouble(i, 0) - y[i], 2) / y.length;
    assertEquals(mse, net.score(ds), 1e-4);
    // the two orderings are summed: swapping them leaves the prediction unchanged
    INDArray swapped =
        net.outputSingle(
            GptTaskBatch.features(new int[][][] {{ex[0][1], ex[0][0]}}, 16, DataType.FLOAT));
    assertEquals(pred.getDouble(0, 0), swapped.getDouble(0, 0), 1e-5);
    for (int i = 0; i < 60; i++) net.fit(ds);
    assertTrue(net.score(ds) < 0.05 * mse, "mse " + mse + " -> " + net.score(ds));
    assertThrows(
        IllegalArgumentException.class, () -> tiny(GptTaskLayer.Mode.REGRESS, 2, 0.5, 1e-3, 1));
  }

  @Test
  void checkpointRoundTripKeepsTheTaskNetwork(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    ComputationGraph net = tiny(GptTaskLayer.Mode.SUM, 3, 0.5, 1e-3, 13);
    INDArray f = GptTaskBatch.features(new int[][][] {{{1, 2, 3}, {3, 2, 1}}}, 16, DataType.FLOAT);
    new Checkpoint(net, new byte[] {1, 2}, 64, new TrainingState()).save(dir);
    Checkpoint back = Checkpoint.load(dir);
    assertEquals(GptConfig.tiny(), back.config());
    GptTaskLayer layer = GptTaskModel.layerOf(back.network());
    assertEquals(GptTaskLayer.Mode.SUM, layer.getMode());
    assertEquals(3, layer.getNumClasses());
    assertEquals(2, layer.getSequences());
    assertEquals(net.outputSingle(f), back.network().outputSingle(f));
  }
}
