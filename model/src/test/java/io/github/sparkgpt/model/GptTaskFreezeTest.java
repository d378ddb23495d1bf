package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * freeze_blocks: the embeddings and the lowest N blocks stay bit-identical through training; the
 * rest learns.
 */
class GptTaskFreezeTest {

  private static final DataSet BATCH =
      GptTaskBatch.build(
          new int[][][] {{{1, 2, 3, 4}}, {{5, 6, 7}}, {{8, 9}}},
          new int[] {0, 1, 2},
          16,
          DataType.FLOAT);

  private static ComputationGraph frozen(int blocks) {
    // tiny: 2 layers, pre-LN, tied LM head (the token embedding also scores the auxiliary LM loss)
    ComputationGraph lm = GptModel.create(GptConfig.tiny(), 1e-3, 3);
    return GptTaskModel.fromPretrained(
        lm, GptTaskLayer.Mode.CLASSIFY, 3, 0.5, blocks, new Adam(1e-2), 4);
  }

  private static Map<String, INDArray> snapshot(ComputationGraph net) {
    Map<String, INDArray> out = new HashMap<>();
    net.getLayer(GptTaskModel.OUTPUT).paramTable().forEach((k, v) -> out.put(k, v.dup()));
    return out;
  }

  @Test
  void embeddingsAndBlockZeroStayBitIdenticalWhileBlockOneAndTheHeadTrain() {
    ComputationGraph net = frozen(1);
    Map<String, INDArray> before = snapshot(net);
    for (int i = 0; i < 3; i++) net.fit(BATCH);
    Map<String, INDArray> after = net.getLayer(GptTaskModel.OUTPUT).paramTable();
    assertEquals(before.keySet(), after.keySet());
    int frozen = 0;
    for (String name : before.keySet()) {
      boolean expectFrozen =
          name.equals(GptGraph.WTE) || name.equals(GptGraph.WPE) || GptGraph.blockOf(name) == 0;
      assertEquals(expectFrozen, GptTaskModel.layerOf(net).isFrozen(name), name);
      if (expectFrozen) {
        frozen++;
        assertEquals(before.get(name), after.get(name), name + " is frozen"); // exact equality
      } else {
        assertNotEquals(before.get(name), after.get(name), name + " trains");
      }
    }
    assertEquals(2 + 12, frozen);
    // no Adam state is kept for frozen parameters: m and v for the trainable ones only
    long trainable = 0;
    for (String name : before.keySet()) {
      if (!GptTaskModel.layerOf(net).isFrozen(name)) trainable += before.get(name).length();
    }
    assertEquals(2 * trainable, net.getUpdater().getStateViewArray().length());
  }

  @Test
  void nothingIsFrozenByDefaultAndEveryBlockCanBe() {
    GptTaskLayer none = GptTaskModel.layerOf(frozen(0));
    assertFalse(none.isFrozen(GptGraph.WTE));
    assertFalse(none.isFrozen(GptGraph.p(0, "attnW")));
    assertFalse(none.getUpdaterByParam(GptGraph.WTE) instanceof NoOp);

    ComputationGraph all = frozen(2);
    GptTaskLayer layer = GptTaskModel.layerOf(all);
    assertTrue(layer.isFrozen(GptGraph.p(1, "outB")));
    assertFalse(layer.isFrozen(GptGraph.LNF_G), "the final layer norm sits above the blocks");
    assertFalse(layer.isFrozen(GptTaskLayer.HEAD_W));
    assertTrue(layer.getUpdaterByParam(GptGraph.p(1, "outB")) instanceof NoOp);
    assertTrue(layer.getRegularizationByParam(GptGraph.p(1, "fcW")).isEmpty());
    INDArray decoder = all.getLayer(GptTaskModel.OUTPUT).getParam(GptGraph.p(1, "fcW")).dup();
    all.fit(BATCH);
    assertEquals(decoder, all.getLayer(GptTaskModel.OUTPUT).getParam(GptGraph.p(1, "fcW")));
  }

  @Test
  void outOfRangeBlockCountsAreRefused() {
    GptTaskLayer layer = new GptTaskLayer(GptConfig.tiny(), GptTaskLayer.Mode.CLASSIFY, 2, 0.5);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> layer.withFrozenBlocks(3));
    assertTrue(e.getMessage().contains("0..2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> layer.withFrozenBlocks(-1));
  }

  @Test
  void blockIndexIsReadFromTheParameterName() {
    assertEquals(0, GptGraph.blockOf(GptGraph.p(0, "ln1G")));
    assertEquals(12, GptGraph.blockOf(GptGraph.p(12, "attnW")));
    assertEquals(-1, GptGraph.blockOf(GptTaskLayer.HEAD_W));
    assertEquals(-1, GptGraph.blockOf(GptGraph.WTE));
    assertEquals(-1, GptGraph.blockOf("h"));
  }

  @Test
  void theSettingSurvivesJsonAndACheckpointAndStillFreezesAfterLoading(@TempDir Path dir)
      throws Exception {
    ComputationGraph net = frozen(1);
    ComputationGraphConfiguration back =
        ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
    LayerVertex vertex = (LayerVertex) back.getVertices().get(GptTaskModel.OUTPUT);
    assertEquals(1, ((GptTaskLayer) vertex.getLayerConf().getLayer()).getFrozenBlocks());

    new Checkpoint(net, new byte[] {1}, 64, new TrainingState()).save(dir);
    ComputationGraph loaded = Checkpoint.load(dir).network();
    assertEquals(1, GptTaskModel.layerOf(loaded).getFrozenBlocks());
    Map<String, INDArray> before = snapshot(loaded);
    loaded.fit(BATCH);
    assertEquals(
        before.get(GptGraph.WTE), loaded.getLayer(GptTaskModel.OUTPUT).getParam(GptGraph.WTE));
    assertNotEquals(
        before.get(GptGraph.p(1, "attnW")),
        loaded.getLayer(GptTaskModel.OUTPUT).getParam(GptGraph.p(1, "attnW")));
  }

  @Test
  void restoreFrozenWritesBackExactlyTheSnapshot() {
    ComputationGraph net = frozen(1);
    Map<String, INDArray> saved = GptTaskModel.frozenParameters(net);
    assertEquals(14, saved.size());
    INDArray wte = net.getLayer(GptTaskModel.OUTPUT).getParam(GptGraph.WTE);
    INDArray original = wte.dup();
    wte.muli(1.0000001); // what an inexact averaging could do
    INDArray head = net.getLayer(GptTaskModel.OUTPUT).getParam(GptTaskLayer.HEAD_W).addi(1).dup();
    GptTaskModel.restoreFrozen(net, saved);
    assertEquals(original, net.getLayer(GptTaskModel.OUTPUT).getParam(GptGraph.WTE));
    assertEquals(
        head,
        net.getLayer(GptTaskModel.OUTPUT).getParam(GptTaskLayer.HEAD_W),
        "trainable left alone");
  }
}
