package io.github.sparkgpt.model.decode;

import static org.junit.jupiter.api.Assertions.*;

import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.Inference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class KvDecoderTest {

  /** Prompts of different lengths in one batch: the shorter ones are left-padded. */
  private static final List<int[]> PROMPTS =
      List.of(new int[] {5, 9, 14, 2, 33}, new int[] {7}, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9});

  /** Larger weights than the default init, so the logits differ by more than the tolerance. */
  static ComputationGraph net(String layerNorm, boolean tied, double dropout) {
    GptConfig c =
        GptConfig.tiny()
            .setLayerNorm(layerNorm)
            .setTiedEmbeddings(tied)
            .setDropout(dropout)
            .setInitStd(0.3);
    return GptModel.create(c, 1e-3, 5);
  }

  /** javaRows for each path: 0 keeps every step on ND4J, 3 puts the 3-row batch on Java. */
  private static final int ND4J = 0, JAVA = 3;

  @Test
  void preLayerNormLogitsEqualTheFullForwardPassAtEveryStep() {
    assertSameLogitsAsFullForward(net("pre", true, 0), ND4J);
    assertSameLogitsAsFullForward(net("pre", true, 0), JAVA);
  }

  @Test
  void postLayerNormLogitsEqualTheFullForwardPassAtEveryStep() {
    assertSameLogitsAsFullForward(net("post", false, 0), ND4J);
    assertSameLogitsAsFullForward(net("post", false, 0), JAVA);
  }

  @Test
  void aCheckpointTrainedWithDropoutDecodesWithoutIt() {
    assertSameLogitsAsFullForward(net("pre", true, 0.3), ND4J);
    assertSameLogitsAsFullForward(net("pre", true, 0.3), JAVA);
  }

  @Test
  void theJavaStepTakesOverOnlyUpToItsRowCount() {
    KvDecoder decoder = new KvDecoder(DecoderWeights.of(net("pre", true, 0)), 2);
    assertTrue(decoder.start(PROMPTS.subList(0, 2), 16).onJavaPath());
    assertFalse(decoder.start(PROMPTS, 16).onJavaPath());
    assertThrows(
        IllegalArgumentException.class,
        () -> new KvDecoder(DecoderWeights.of(net("pre", true, 0)), -1));
  }

  @Test
  void javaAndNd4jStepsPickTheSameGreedyTokens() {
    for (ComputationGraph net : List.of(net("pre", true, 0), net("post", false, 0))) {
      DecoderWeights w = DecoderWeights.of(net);
      List<int[]> viaJava = greedy(new KvDecoder(w, JAVA), 10);
      List<int[]> viaNd4j = greedy(new KvDecoder(w, ND4J), 10);
      for (int r = 0; r < PROMPTS.size(); r++) assertArrayEquals(viaNd4j.get(r), viaJava.get(r));
    }
  }

  private static List<int[]> greedy(KvDecoder decoder, int fresh) {
    io.github.sparkgpt.model.Generator g =
        new io.github.sparkgpt.model.Generator(decoder).setTemperature(0).setMaxNewTokens(fresh);
    return g.complete(PROMPTS, (row, t) -> false);
  }

  /** Prefill, then 6 greedy steps; each row's logits against the graph run on that row alone. */
  private static void assertSameLogitsAsFullForward(ComputationGraph net, int javaRows) {
    Inference full = new Inference(net);
    KvDecoder decoder = new KvDecoder(DecoderWeights.of(net), javaRows);
    DecodeState s = decoder.start(PROMPTS, 16);
    assertEquals(javaRows == JAVA, s.onJavaPath());
    List<int[]> seqs = new ArrayList<>(PROMPTS);
    double worst = 0;
    for (int step = 0; step <= 6; step++) {
      int[] next = new int[seqs.size()];
      for (int r = 0; r < seqs.size(); r++) {
        float[] cached = s.logits().getRow(r).toFloatVector();
        float[] expected = lastLogits(full, seqs.get(r));
        for (int i = 0; i < expected.length; i++) {
          worst = Math.max(worst, Math.abs(cached[i] - expected[i]));
        }
        assertEquals(seqs.get(r).length, s.length(r));
        next[r] = Sampler.argmax(cached);
        seqs.set(r, append(seqs.get(r), next[r]));
      }
      if (step < 6) decoder.step(s, next);
    }
    assertTrue(worst <= 1e-4, "max abs logit difference " + worst);
  }

  static float[] lastLogits(Inference full, int[] seq) {
    INDArray ids = Nd4j.createFromArray(seq).castTo(DataType.FLOAT).reshape(1, seq.length);
    return full.logits(ids)
        .get(NDArrayIndex.point(0), NDArrayIndex.point(seq.length - 1), NDArrayIndex.all())
        .toFloatVector();
  }

  private static int[] append(int[] a, int x) {
    int[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = x;
    return out;
  }

  @Test
  void aFullCacheRefusesAnotherStep() {
    KvDecoder decoder = new KvDecoder(DecoderWeights.of(net("pre", true, 0)));
    DecodeState s = decoder.start(List.of(new int[] {1, 2}), 3);
    decoder.step(s, new int[] {4});
    assertTrue(s.full());
    assertThrows(IllegalStateException.class, () -> decoder.step(s, new int[] {4}));
    assertThrows(
        IllegalArgumentException.class, () -> decoder.start(List.of(new int[] {1, 2}), 17));
  }
}
