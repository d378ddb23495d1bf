package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VectorForwardTest {

  /** The build runs tests with the Vector API: without it nothing below would test that path. */
  @Test
  void testsRunWithTheVectorApi() {
    assertTrue(
        VectorForward.AVAILABLE, "surefire's argLine lost --add-modules=jdk.incubator.vector");
  }

  /**
   * The inference pass equals the eval graph's logits, for GPT-2 (pre-LN, tied) and GPT-1 (post-LN)
   * layouts and an untied head, with every parameter random (biases and gains included), a model
   * width and head size that leave scalar tails after the vector lanes, and sequence lengths on
   * both sides of a lane count.
   */
  @Test
  void logitsEqualTheEvalGraphs() {
    GptConfig odd = GptConfig.tiny().setDModel(40).setHeads(2).setFfnSize(72).setContextLength(40);
    GptConfig[] configs = {
      GptConfig.tiny().setContextLength(40),
      GptConfig.tiny().setContextLength(40).setLayerNorm("post"),
      odd.copy().setTiedEmbeddings(false),
      odd.copy().setLayerNorm("post")
    };
    for (GptConfig c : configs) {
      ComputationGraph net = randomNet(c, 3);
      for (int t : new int[] {1, 7, 16, 17, 40}) {
        INDArray ids = randomIds(c, 3, t, t);
        INDArray graph = output(net, ids, false);
        INDArray vector = output(net, ids, true);
        assertArrayEquals(graph.shape(), vector.shape());
        double scale = graph.amaxNumber().doubleValue();
        double diff = graph.sub(vector).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5 * Math.max(1, scale), c.toJson() + " T=" + t + ": " + diff);
      }
    }
  }

  /** A batch of 8 x 64 tokens at width 64: rows of several full vector chunks, none with a tail. */
  @Test
  void largeBatchesGiveTheSameLogits() {
    GptConfig c = GptConfig.tiny().setDModel(64).setHeads(4).setFfnSize(256).setContextLength(64);
    ComputationGraph net = randomNet(c, 9);
    INDArray ids = randomIds(c, 8, 64, 3);
    double diff = output(net, ids, false).sub(output(net, ids, true)).amaxNumber().doubleValue();
    assertEquals(0, diff, 1e-4);
  }

  /**
   * A batch split into lanes, each on a thread of its own, gives the eval graph's logits: even and
   * uneven splits, more lanes than sequences, and lanes kept between calls of other shapes.
   */
  @Test
  void batchesSplitIntoLanesGiveTheSameLogits() {
    GptConfig c = GptConfig.tiny().setDModel(40).setHeads(2).setFfnSize(72).setContextLength(24);
    ComputationGraph net = randomNet(c, 11);
    var w = net.getLayer(GptModel.OUTPUT).paramTable();
    VectorForward forward = new VectorForward(c);
    for (int lanes : new int[] {2, 3}) {
      forward.threads(lanes);
      for (int b : new int[] {1, 2, 5, 6}) {
        INDArray ids = randomIds(c, b, 24 - b, b);
        INDArray split = forward.logits(ids, w);
        double diff = output(net, ids, false).sub(split).amaxNumber().doubleValue();
        assertEquals(0, diff, 1e-5, lanes + " lanes, batch " + b);
        assertEquals(split, forward.threads(1).logits(ids, w), "one lane, batch " + b);
        forward.threads(lanes);
      }
    }
  }

  /** Scratch arrays kept for one shape are remade for another and give the same answers again. */
  @Test
  void batchShapesCanChangeBetweenCalls() {
    GptConfig c = GptConfig.tiny();
    ComputationGraph net = randomNet(c, 5);
    INDArray a = randomIds(c, 2, 8, 1), b = randomIds(c, 3, 5, 2);
    INDArray first = output(net, a, true).dup();
    INDArray other = output(net, b, true);
    assertEquals(output(net, b, false).sub(other).amaxNumber().doubleValue(), 0, 1e-5);
    assertEquals(first, output(net, a, true));
  }

  /**
   * The logits own their memory, so a loop of passes can free each at once (Inference.release); the
   * eval graph's are a view, which release leaves to the garbage collector.
   */
  @Test
  void logitsCanBeReleasedAtOnce() {
    GptConfig c = GptConfig.tiny();
    ComputationGraph net = randomNet(c, 2);
    INDArray ids = randomIds(c, 2, 8, 5);
    INDArray vector = output(net, ids, true);
    var memory = vector.data().pointer();
    assertInstanceOf(VectorForward.LogitsMemory.class, memory);
    Inference.release(vector);
    assertTrue(vector.wasClosed());
    assertTrue(memory.isNull(), "the logits' memory is freed, not left to the garbage collector");
    Inference.release(vector); // twice: nothing
    INDArray graph = output(net, ids, false);
    Inference.release(graph);
    assertFalse(graph.wasClosed());
  }

  @Test
  void refusesTokensOutsideTheVocabularyAndSequencesOverTheContext() {
    GptConfig c = GptConfig.tiny();
    ComputationGraph net = randomNet(c, 1);
    INDArray bad = Nd4j.createFromArray(new float[][] {{1, 2, c.getVocabSize()}});
    var e = assertThrows(IllegalArgumentException.class, () -> output(net, bad, true));
    assertTrue(e.getMessage().contains("token id 64"), e.getMessage());
    INDArray longer = randomIds(c, 1, c.getContextLength() + 1, 4);
    assertThrows(IllegalArgumentException.class, () -> output(net, longer, true));
  }

  private static INDArray output(ComputationGraph net, INDArray ids, boolean vector) {
    ((GptLmLayerImpl) net.getLayer(GptModel.OUTPUT)).setVectorForwardAllowed(vector);
    return net.outputSingle(ids);
  }

  private static ComputationGraph randomNet(GptConfig c, long seed) {
    ComputationGraph net = GptModel.create(c, 1e-3, seed);
    Nd4j.getRandom().setSeed(seed);
    net.params().assign(Nd4j.randn(DataType.FLOAT, net.params().shape()).muli(0.3));
    return net;
  }

  private static INDArray randomIds(GptConfig c, int b, int t, long seed) {
    Random r = new Random(seed);
    float[][] ids = new float[b][t];
    for (float[] row : ids) for (int i = 0; i < t; i++) row[i] = r.nextInt(c.getVocabSize());
    return Nd4j.createFromArray(ids);
  }
}
