package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Head dropout: an inverted-dropout mask drawn per batch outside SameDiff, read by the task loss
 * only.
 */
class GptTaskHeadDropoutTest {

  private static final int[][][] EXAMPLES = {{{1, 2, 3, 4}}, {{5, 6, 7}}, {{8, 9}}};
  private static final DataSet BATCH =
      GptTaskBatch.build(EXAMPLES, new int[] {0, 1, 2}, 16, DataType.FLOAT);

  private static ComputationGraph net(GptTaskLayer.Mode mode, int classes, double lambda) {
    return GptTaskModel.fromScratch(
        GptConfig.tiny(), mode, classes, lambda, new Adam(1e-2), 5, DataType.FLOAT);
  }

  private static INDArray mask(DataSet ds, int width) {
    INDArray l = ds.getLabels();
    return l.get(NDArrayIndex.all(), NDArrayIndex.interval(l.size(1) - width, l.size(1)));
  }

  @Test
  void maskIsAppendedAfterTheLabelsWithZerosAndInverseKeepRate() {
    DataSet d = GptTaskBatch.withHeadDropout(BATCH, 32, 0.25, 1);
    assertArrayEquals(new long[] {3, BATCH.getLabels().size(1) + 32}, d.getLabels().shape());
    assertEquals(
        BATCH.getLabels(),
        d.getLabels().get(NDArrayIndex.all(), NDArrayIndex.interval(0, BATCH.getLabels().size(1))));
    assertSame(BATCH.getFeatures(), d.getFeatures());
    for (float v : mask(d, 32).dup().reshape(-1).toFloatVector())
      assertTrue(v == 0f || Math.abs(v - 1 / 0.75f) < 1e-6, "mask value " + v);
  }

  @Test
  void masksDifferBetweenBatchesAndRepeatForTheSameSeed() {
    INDArray a = mask(GptTaskBatch.withHeadDropout(BATCH, 32, 0.1, 1), 32);
    INDArray b = mask(GptTaskBatch.withHeadDropout(BATCH, 32, 0.1, 2), 32);
    assertNotEquals(a, b, "every step drops other units: not a fixed mask");
    assertEquals(
        a, mask(GptTaskBatch.withHeadDropout(BATCH, 32, 0.1, 1), 32), "reproducible from the seed");
  }

  @Test
  void expectedValueIsPreserved() {
    // 64 x 4096 draws at p = 0.1: drop rate and mean within ~5 standard errors of 0.1 and 1.0
    DataSet big = new DataSet(Nd4j.zeros(DataType.FLOAT, 64, 4), Nd4j.zeros(DataType.FLOAT, 64, 5));
    INDArray m = mask(GptTaskBatch.withHeadDropout(big, 4096, 0.1, 7), 4096);
    double n = m.length();
    assertEquals(1.0, m.meanNumber().doubleValue(), 5 * Math.sqrt(0.1 / 0.9 / n));
    double dropped = m.eq(0).castTo(DataType.FLOAT).sumNumber().doubleValue() / n;
    assertEquals(0.1, dropped, 5 * Math.sqrt(0.09 / n));
  }

  @Test
  void pZeroIsTheOldBatchAndInvalidRatesAreRefused() {
    assertSame(BATCH, GptTaskBatch.withHeadDropout(BATCH, 32, 0.0, 1));
    assertThrows(
        IllegalArgumentException.class, () -> GptTaskBatch.withHeadDropout(BATCH, 32, 1.0, 1));
    assertThrows(
        IllegalArgumentException.class, () -> GptTaskBatch.withHeadDropout(BATCH, 32, -0.1, 1));
  }

  @Test
  void lossReadsTheMaskAndOutputIgnoresIt() {
    ComputationGraph net = net(GptTaskLayer.Mode.CLASSIFY, 3, 0.0);
    int width = GptTaskModel.layerOf(net).headMaskWidth();
    assertEquals(32, width);
    double plain = net.score(BATCH);
    // an all-ones mask is the identity: exactly the loss without a mask
    DataSet ones =
        new DataSet(
            BATCH.getFeatures(),
            Nd4j.hstack(BATCH.getLabels(), Nd4j.ones(DataType.FLOAT, 3, width)));
    assertEquals(plain, net.score(ones), 0.0);
    // an all-zeros mask leaves only the head bias (0): uniform logits, loss = ln 3 per example
    DataSet zeros =
        new DataSet(
            BATCH.getFeatures(),
            Nd4j.hstack(BATCH.getLabels(), Nd4j.zeros(DataType.FLOAT, 3, width)));
    assertEquals(Math.log(3), net.score(zeros), 1e-5);
    assertNotEquals(Math.log(3), plain, 1e-3);
    // a random mask changes the loss; the logits of output() (no labels, no mask) stay those of the
    // full input
    INDArray before = net.outputSingle(BATCH.getFeatures());
    assertNotEquals(plain, net.score(GptTaskBatch.withHeadDropout(BATCH, width, 0.5, 3)), 1e-4);
    assertEquals(before, net.outputSingle(BATCH.getFeatures()));
  }

  @Test
  void choiceMasksEveryAnswersHeadInput() {
    ComputationGraph net = net(GptTaskLayer.Mode.CHOICE, 2, 0.0);
    int[][][] ex = {{{1, 2, 3}, {1, 4}}, {{5, 6}, {5, 7, 8}}};
    DataSet ds = GptTaskBatch.build(ex, new int[] {0, 1}, 16, DataType.FLOAT);
    int width = GptTaskModel.layerOf(net).headMaskWidth();
    assertEquals(2 * 32, width);
    // dropping all of answer 1's input gives it score headB = 0, while answer 0 keeps its full
    // score
    float[][] m = new float[2][width];
    for (float[] row : m) java.util.Arrays.fill(row, 0, 32, 1f);
    DataSet masked =
        new DataSet(ds.getFeatures(), Nd4j.hstack(ds.getLabels(), Nd4j.createFromArray(m)));
    INDArray s = net.outputSingle(ds.getFeatures()); // [2, 2] answer scores
    double expected = 0;
    for (int i = 0; i < 2; i++) {
      double a0 = s.getDouble(i, 0), y = i == 0 ? a0 : 0.0; // label: answer i
      expected += -(y - Math.log(Math.exp(a0) + Math.exp(0.0)));
    }
    assertEquals(expected / 2, net.score(masked), 1e-5);
  }
}
