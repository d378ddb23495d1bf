package io.github.sparkgpt.jobs.sft;

import io.github.sparkgpt.jobs.train.LengthBuckets;
import io.github.sparkgpt.model.GptBatch;
import io.github.sparkgpt.model.GptLmLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Encoded examples to the LM's training batches: features are the tokens, each label the next
 * token; a label that is a prompt token is {@link GptLmLayer#IGNORE} unless the prompt counts too
 * ({@code promptLoss}), so the loss is that of the response and its end of text.
 */
final class SftBatches {
  private SftBatches() {}

  /** One batch of width {@code width} (positions; right padding is ignored). */
  static DataSet batch(List<SftEncoder.Example> examples, int width, boolean promptLoss) {
    int[][] seqs = new int[examples.size()][];
    for (int i = 0; i < seqs.length; i++) seqs[i] = examples.get(i).tokens();
    DataSet ds = GptBatch.fromSequences(seqs, width);
    if (promptLoss) return ds;
    INDArray labels = ds.getLabels(); // [B, width]
    for (int i = 0; i < seqs.length; i++) {
      // position t predicts token t + 1: a prompt token for t + 1 < promptTokens
      for (int t = 0; t + 1 < examples.get(i).promptTokens(); t++)
        labels.putScalar(i, t, GptLmLayer.IGNORE);
    }
    return ds;
  }

  /**
   * Shuffled batches of {@code size} examples (the last may be smaller), each averaging round of
   * {@code batchesPerRound} batches padded to its longest example ({@link LengthBuckets}).
   */
  static List<DataSet> shuffled(
      List<SftEncoder.Example> examples,
      int size,
      int batchesPerRound,
      boolean promptLoss,
      Random rnd) {
    int[] lengths = new int[examples.size()];
    for (int i = 0; i < lengths.length; i++) lengths[i] = examples.get(i).tokens().length - 1;
    List<DataSet> out = new ArrayList<>();
    for (LengthBuckets.Batch b : LengthBuckets.epoch(lengths, size, batchesPerRound, 0, rnd)) {
      List<SftEncoder.Example> part = new ArrayList<>();
      for (int i : b.examples()) part.add(examples.get(i));
      out.add(batch(part, b.width(), promptLoss));
    }
    return out;
  }

  /** Positions the longest example needs: its tokens less one. */
  static int widthOf(List<SftEncoder.Example> examples) {
    int width = 1;
    for (SftEncoder.Example e : examples) width = Math.max(width, e.tokens().length - 1);
    return width;
  }
}
