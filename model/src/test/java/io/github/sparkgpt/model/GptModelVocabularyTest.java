package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GptModelVocabularyTest {

  private static DataSet batch(int[]... seqs) {
    return GptBatch.fromSequences(seqs, 8);
  }

  /** A tiny LM trained a few steps, so its embedding rows are no longer the init's. */
  private static ComputationGraph trained(GptConfig c) {
    ComputationGraph lm = GptModel.create(c, 1e-2, 3);
    for (int i = 0; i < 5; i++)
      lm.fit(batch(new int[] {1, 2, 3, 4, 5, 6}, new int[] {9, 8, 7, 6, 30}));
    return lm;
  }

  @Test
  void oldIdsKeepTheirLogitsAndNewRowsAreTheMeanPlusNoise() {
    ComputationGraph lm = trained(GptConfig.tiny());
    ComputationGraph big = GptModel.withVocabulary(lm, 67, 11);
    assertEquals(67, GptModel.configOf(big).getVocabSize());
    assertEquals(GptConfig.tiny().setVocabSize(67), GptModel.configOf(big));
    assertEquals(64, GptModel.configOf(lm).getVocabSize()); // the original is untouched

    INDArray x = batch(new int[] {5, 9, 40, 2, 63, 1}, new int[] {0, 7}).getFeatures();
    INDArray before = lm.outputSingle(x); // [B, T, 64]
    INDArray after = big.outputSingle(x); // [B, T, 67]
    assertArrayEquals(new long[] {2, 8, 67}, after.shape());
    INDArray oldColumns =
        after.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 64));
    assertTrue(before.equalsWithEps(oldColumns, 1e-5), "old logits changed");

    INDArray wte0 = lm.getLayer(GptModel.OUTPUT).getParam(GptGraph.WTE);
    INDArray wte1 = big.getLayer(GptModel.OUTPUT).getParam(GptGraph.WTE);
    assertEquals(wte0, wte1.get(NDArrayIndex.interval(0, 64), NDArrayIndex.all()));
    INDArray mean = wte0.mean(0);
    double std = GptConfig.tiny().getInitStd();
    for (int id = 64; id < 67; id++) {
      INDArray noise = wte1.getRow(id).sub(mean);
      double sd = noise.stdNumber().doubleValue();
      assertTrue(sd > 0.5 * std && sd < 1.6 * std, "noise std " + sd);
      assertTrue(Math.abs(noise.meanNumber().doubleValue()) < 0.5 * std);
    }
    assertNotEquals(wte1.getRow(64), wte1.getRow(65)); // told apart
    // every other parameter copied
    for (String name : lm.getLayer(GptModel.OUTPUT).paramTable().keySet()) {
      if (!name.equals(GptGraph.WTE)) {
        assertEquals(
            lm.getLayer(GptModel.OUTPUT).getParam(name),
            big.getLayer(GptModel.OUTPUT).getParam(name),
            name);
      }
    }
    // same seed, same rows
    assertEquals(
        wte1, GptModel.withVocabulary(lm, 67, 11).getLayer(GptModel.OUTPUT).getParam(GptGraph.WTE));
  }

  @Test
  void newIdsTrainAndTheGrownModelSavesAsACheckpoint(@TempDir Path dir) throws Exception {
    ComputationGraph big = GptModel.withVocabulary(trained(GptConfig.tiny()), 66, 2);
    INDArray row65 = big.getLayer(GptModel.OUTPUT).getParam(GptGraph.WTE).getRow(65).dup();
    DataSet withNew = batch(new int[] {65, 3, 4, 64, 5, 6});
    double first = 0;
    for (int i = 0; i < 30; i++) {
      big.fit(withNew);
      if (i == 0) first = big.score();
    }
    assertTrue(
        Double.isFinite(big.score()) && big.score() < 0.5 * first, first + " -> " + big.score());
    assertNotEquals(
        row65,
        big.getLayer(GptModel.OUTPUT)
            .getParam(GptGraph.WTE)
            .getRow(65)); // the new input row learns
    // predicts the new id 64 after "65 3 4"
    INDArray logits = big.outputSingle(withNew.getFeatures());
    assertEquals(
        64,
        logits
            .get(NDArrayIndex.point(0), NDArrayIndex.point(2), NDArrayIndex.all())
            .argMax()
            .getInt(0));

    byte[] tokenizer = "{\"grown\":66}".getBytes(StandardCharsets.UTF_8);
    new Checkpoint(big, tokenizer, 66, null).save(dir);
    Checkpoint back = Checkpoint.load(dir);
    assertEquals(66, back.config().getVocabSize());
    assertEquals(
        big.outputSingle(withNew.getFeatures()),
        back.network().outputSingle(withNew.getFeatures()));
  }

  @Test
  void untiedHeadGrowsTooAndShrinkingIsRefused() {
    GptConfig untied = GptConfig.tiny().setTiedEmbeddings(false);
    ComputationGraph lm = GptModel.create(untied, 1e-2, 4);
    ComputationGraph big = GptModel.withVocabulary(lm, 65, 1);
    assertArrayEquals(
        new long[] {65, 32}, big.getLayer(GptModel.OUTPUT).getParam(GptGraph.LM_HEAD).shape());
    INDArray x = batch(new int[] {1, 2, 3}).getFeatures();
    assertTrue(
        lm.outputSingle(x)
            .equalsWithEps(
                big.outputSingle(x)
                    .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 64)),
                1e-5));
    assertThrows(IllegalArgumentException.class, () -> GptModel.withVocabulary(lm, 63, 1));
    assertSame(64, GptModel.configOf(GptModel.withVocabulary(lm, 64, 1)).getVocabSize());
  }
}
