package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/** {@link GptTaskModel#forTask}: the head per task type and its initialisation. */
class GptTaskModelForTaskTest {

  @Test
  void eachTaskTypeGetsGpt1sHead() {
    assertEquals(
        new TaskHead("classification", GptTaskLayer.Mode.CLASSIFY, 3),
        TaskHead.of("classification", false, 3));
    assertEquals(
        new TaskHead("entailment", GptTaskLayer.Mode.CLASSIFY, 3),
        TaskHead.of("entailment", false, 3));
    assertEquals(
        new TaskHead("similarity", GptTaskLayer.Mode.SUM, 2), TaskHead.of("similarity", false, 2));
    assertEquals(
        new TaskHead("similarity", GptTaskLayer.Mode.REGRESS, 1),
        TaskHead.of("similarity", true, 0));
    assertEquals(
        new TaskHead("multiple_choice", GptTaskLayer.Mode.CHOICE, 4),
        TaskHead.of("multiple_choice", false, 4));
    assertThrows(IllegalArgumentException.class, () -> TaskHead.of("classification", true, 0));
    assertThrows(IllegalArgumentException.class, () -> TaskHead.of("summarisation", false, 2));
    assertThrows(IllegalArgumentException.class, () -> TaskHead.of("classification", false, 1));
  }

  @Test
  void sameNetworkAsBuildingTheHeadByHand() {
    ComputationGraph lm = GptModel.create(GptConfig.tiny(), 1e-3, 3);
    ComputationGraph before =
        GptTaskModel.fromPretrained(lm, GptTaskLayer.Mode.SUM, 2, 0.5, 1, new Adam(1e-3), 9);
    ComputationGraph now =
        GptTaskModel.forTask(
            TaskHead.of("similarity", false, 2),
            GptConfig.tiny(),
            lm,
            0.5,
            1,
            new Adam(1e-3),
            9,
            DataType.DOUBLE,
            null);
    assertEquals(before.params(), now.params(), "the same draws in the same order");
    assertEquals(
        DataType.FLOAT, now.params().dataType(), "a pretrained decoder keeps its data type");
    ComputationGraph scratch =
        GptTaskModel.forTask(
            TaskHead.of("classification", false, 3),
            GptConfig.tiny(),
            null,
            0.5,
            0,
            new Adam(1e-3),
            9,
            DataType.FLOAT,
            null);
    assertEquals(
        GptTaskModel.fromScratch(
                GptConfig.tiny(),
                GptTaskLayer.Mode.CLASSIFY,
                3,
                0.5,
                new Adam(1e-3),
                9,
                DataType.FLOAT)
            .params(),
        scratch.params());
    assertEquals("classification", GptTaskModel.layerOf(scratch).getTask());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            GptTaskModel.forTask(
                TaskHead.of("classification", false, 3),
                GptConfig.tiny().setLayers(1),
                lm,
                0.5,
                0,
                new Adam(1e-3),
                9,
                DataType.FLOAT,
                null));
  }

  @Test
  void regressionHeadStartsAtTheTrainingMean() {
    TaskHead head = TaskHead.of("similarity", true, 0);
    ComputationGraph net =
        GptTaskModel.forTask(
            head,
            GptConfig.tiny(),
            null,
            0.5,
            0,
            new Adam(1e-3),
            9,
            DataType.FLOAT,
            new double[] {1, 2, 4.5});
    assertEquals(
        2.5, net.getLayer(GptTaskModel.OUTPUT).getParam(GptTaskLayer.HEAD_B).getDouble(0), 1e-6);
    ComputationGraph classifier =
        GptTaskModel.forTask(
            TaskHead.of("entailment", false, 2),
            GptConfig.tiny(),
            null,
            0.5,
            0,
            new Adam(1e-3),
            9,
            DataType.FLOAT,
            null);
    assertEquals(
        0,
        classifier
            .getLayer(GptTaskModel.OUTPUT)
            .getParam(GptTaskLayer.HEAD_B)
            .sumNumber()
            .doubleValue());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            GptTaskModel.forTask(
                head, GptConfig.tiny(), null, 0.5, 0, new Adam(1e-3), 9, DataType.FLOAT, null));
  }

  @Test
  void kindOfANetworkBuiltBeforeLayersRecordedTheirTask() {
    GptTaskLayer layer = new GptTaskLayer(GptConfig.tiny(), GptTaskLayer.Mode.CLASSIFY, 2, 0.5);
    assertNull(TaskHead.of(layer).task(), "classification and entailment share the head");
    assertEquals(
        "similarity",
        TaskHead.of(new GptTaskLayer(GptConfig.tiny(), GptTaskLayer.Mode.REGRESS, 1, 0.5)).task());
    assertEquals(
        "multiple_choice",
        TaskHead.of(new GptTaskLayer(GptConfig.tiny(), GptTaskLayer.Mode.CHOICE, 4, 0.5)).task());
    assertEquals("entailment", TaskHead.of(layer.withTask("entailment")).task());
  }
}
