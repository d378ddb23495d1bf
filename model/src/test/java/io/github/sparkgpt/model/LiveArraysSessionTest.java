package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

class LiveArraysSessionTest {

  private static DataSet randomBatch(GptConfig c, int batch, long seed) {
    Random r = new Random(seed);
    int[][] seqs = new int[batch][c.getContextLength() + 1];
    for (int[] s : seqs) for (int i = 0; i < s.length; i++) s[i] = r.nextInt(c.getVocabSize());
    return GptBatch.fromSequences(seqs, c.getContextLength());
  }

  /**
   * After a training step the forward and gradient passes hold (almost) nothing open beyond their
   * results: with DL4J's workspace manager they held every intermediate, hundreds of times more.
   */
  @Test
  void trainingStepsFreeTheirIntermediates() {
    GptConfig c = GptConfig.tiny().setDropout(0.1);
    ComputationGraph net = GptModel.create(c, 1e-3, 3);
    DataSet ds = randomBatch(c, 4, 1);
    net.fit(ds); // builds the graphs
    long heldBefore = LiveArraysSession.heldBytes();
    long allocatedBefore = LiveArraysSession.allocatedBytes();
    for (int i = 0; i < 2; i++) net.fit(ds);
    long logits = 4L * c.getContextLength() * c.getVocabSize() * 4;
    long allocated = LiveArraysSession.allocatedBytes() - allocatedBefore;
    long held = LiveArraysSession.heldBytes() - heldBefore;
    assertTrue(allocated > 20 * logits, "the passes ran in these sessions: " + allocated);
    // what stays: the loss and the gradient of the input, nothing of the size of the logits
    assertTrue(held < logits, "held " + held);
  }

  /**
   * Training through the pooled sessions is deterministic: two runs from one seed agree exactly.
   * (The gradient checks in GptLmLayerTest run through the same sessions and cover correctness.)
   */
  @Test
  void trainingIsRepeatableWithReusedArrays() {
    // One native thread: with two, the runs once differed in the 6th digit (1 of 3 full runs of
    // this module on a 2-core Intel machine), as libnd4j splits an op over the pool threads that
    // are free at that moment. What this test is about is the arrays' reuse, not the threads.
    Environment env = Nd4j.getEnvironment();
    int threads = env.maxThreads(), masterThreads = env.maxMasterThreads();
    env.setMaxThreads(1);
    env.setMaxMasterThreads(1);
    try {
      GptConfig c = GptConfig.tiny().setDropout(0.1);
      double[] losses = new double[2];
      for (int run = 0; run < 2; run++) {
        ComputationGraph net = GptModel.create(c, 1e-3, 5);
        for (int step = 0; step < 5; step++) net.fit(randomBatch(c, 3, step));
        losses[run] = net.score(randomBatch(c, 3, 99));
      }
      assertEquals(losses[0], losses[1], 0.0);
    } finally {
      env.setMaxThreads(threads);
      env.setMaxMasterThreads(masterThreads);
    }
  }
}
