package io.github.sparkgpt.jobs.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The training batches: one width, a fresh head-dropout mask per batch and epoch, none when
 * head_dropout = 0.
 */
class TaskTrainerTest {
  static final TaskEncoder.Encoded DATA =
      new TaskEncoder.Encoded(
          List.of("a", "b", "c", "d", "e"),
          new int[][][] {{{1, 2}}, {{3, 4, 5}}, {{6}}, {{7, 8}}, {{9, 10, 11}}},
          new int[] {0, 1, 0, 1, 0},
          List.of());

  static INDArray mask(DataSet ds, int width) {
    long cols = ds.getLabels().size(1);
    return ds.getLabels().get(NDArrayIndex.all(), NDArrayIndex.interval(cols - width, cols));
  }

  @Test
  void everyBatchAndEpochCarriesItsOwnMask() {
    List<DataSet> epoch1 = TaskTrainer.batches(DATA, 2, 10, 0, 16, 0.5, 8, new Random(1));
    assertEquals(3, epoch1.size());
    for (DataSet ds : epoch1) assertEquals(1 + 3 + 8, ds.getLabels().size(1));
    assertNotEquals(mask(epoch1.get(0), 8), mask(epoch1.get(1), 8));
    List<DataSet> epoch2 = TaskTrainer.batches(DATA, 2, 10, 0, 16, 0.5, 8, new Random(2));
    assertNotEquals(mask(epoch1.get(0), 8), mask(epoch2.get(0), 8));
    // reproducible: the same seed gives the same batches and masks
    List<DataSet> again = TaskTrainer.batches(DATA, 2, 10, 0, 16, 0.5, 8, new Random(1));
    for (int i = 0; i < 3; i++) assertEquals(epoch1.get(i).getLabels(), again.get(i).getLabels());
  }

  @Test
  void noMaskWithoutHeadDropout() {
    List<DataSet> batches = TaskTrainer.batches(DATA, 5, 10, 0, 16, 0.0, 8, new Random(1));
    assertEquals(1, batches.size());
    assertArrayEquals(new long[] {5, 1 + 3}, batches.get(0).getLabels().shape());
  }
}
