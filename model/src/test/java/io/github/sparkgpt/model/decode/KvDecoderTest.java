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

  @Test
  void preLayerNormLogitsEqualTheFullForwardPassAtEveryStep() {
    assertSameLogitsAsFullForward(net("pre", true, 0));
  }

  @Test
  void postLayerNormLogitsEqualTheFullForwardPassAtEveryStep() {
    assertSameLogitsAsFullForward(net("post", false, 0));
  }

  @Test
  void aCheckpointTrainedWithDropoutDecodesWithoutIt() {
    assertSameLogitsAsFullForward(net("pre", true, 0.3));
  }

  /** Prefill, then 6 greedy steps; each row's logits against the graph run on that row alone. */
  private static void assertSameLogitsAsFullForward(ComputationGraph net) {
    Inference full = new Inference(net);
    KvDecoder decoder = new KvDecoder(DecoderWeights.of(net));
    DecodeState s = decoder.start(PROMPTS, 16);
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
