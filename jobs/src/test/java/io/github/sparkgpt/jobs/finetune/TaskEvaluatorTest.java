package io.github.sparkgpt.jobs.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptTaskBatch;
import io.github.sparkgpt.model.GptTaskLayer;
import io.github.sparkgpt.model.GptTaskModel;
import io.github.sparkgpt.pipeline.task.LabelMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

class TaskEvaluatorTest {

  @Test
  void multipleChoiceProbabilitiesAreASoftmaxOverTheExamplesChoices() {
    ComputationGraph net =
        GptTaskModel.fromScratch(
            GptConfig.tiny(), GptTaskLayer.Mode.CHOICE, 3, 0.5, new Adam(1e-3), 3, DataType.FLOAT);
    int[][][] x = {
      {{1, 5, 2, 7, 63}, {1, 5, 2, 8, 9, 63}, {1, 5, 2, 11, 63}},
      {{1, 6, 2, 30, 63}, {1, 6, 2, 31, 63}, {1, 6, 2, 40, 41, 42, 63}}
    };
    TaskEncoder.Encoded data =
        new TaskEncoder.Encoded(List.of("q1", "q2"), x, new int[] {2, -1}, List.of());
    LabelMap answers = new LabelMap(List.of("0", "1", "2"));
    TaskEvaluator eval =
        new TaskEvaluator(answers, 16, 1); // batch 1: each example padded on its own
    TaskEvaluator.Result r = eval.evaluate(net, data);

    INDArray scores =
        net.outputSingle(
            GptTaskBatch.features(x, 16, DataType.FLOAT)); // [2, 3] one score per answer
    for (int i = 0; i < 2; i++) {
      double[] p = r.probabilities()[i];
      double[] s = scores.getRow(i).toDoubleVector();
      assertEquals(3, p.length);
      assertEquals(1.0, p[0] + p[1] + p[2], 1e-9);
      double z = Math.exp(s[0]) + Math.exp(s[1]) + Math.exp(s[2]);
      for (int c = 0; c < 3; c++) assertEquals(Math.exp(s[c]) / z, p[c], 1e-5);
      int best = 0;
      for (int c = 1; c < 3; c++) if (s[c] > s[best]) best = c;
      assertEquals(best, TaskPredictor.argmax(p));
    }
    assertEquals(1, r.count()); // q2 has no label: predicted, not scored
    List<Map<String, Object>> rows = eval.predictions(data, r);
    assertEquals("2", rows.get(0).get("label"));
    assertFalse(rows.get(1).containsKey("label"));
    assertEquals(
        List.of("0", "1", "2"),
        List.copyOf(((Map<?, ?>) rows.get(0).get("probabilities")).keySet()));
  }

  @Test
  void scoresAreTheRegressionHeadsRawOutput() {
    ComputationGraph net =
        GptTaskModel.fromScratch(
            GptConfig.tiny(), GptTaskLayer.Mode.REGRESS, 1, 0.5, new Adam(1e-3), 4, DataType.FLOAT);
    int[][][] x = {
      {{1, 5, 2, 7, 63}, {1, 7, 2, 5, 63}},
      {{1, 6, 2, 9, 63}, {1, 9, 2, 6, 63}},
      {{1, 8, 2, 3, 63}, {1, 3, 2, 8, 63}}
    };
    TaskEncoder.Encoded data =
        new TaskEncoder.Encoded(
            List.of("a", "b", "c"),
            x,
            new int[] {-1, -1, -1},
            new double[] {4.0, 1.0, Double.NaN},
            List.of());
    TaskEvaluator eval = new TaskEvaluator(null, 16, 2);
    TaskEvaluator.Result r = eval.evaluate(net, data);
    INDArray out = net.outputSingle(GptTaskBatch.features(x, 16, DataType.FLOAT));
    for (int i = 0; i < 3; i++) assertEquals(out.getDouble(i, 0), r.predicted()[i], 1e-5);
    assertEquals(2, r.count());
    double mse = (Math.pow(r.predicted()[0] - 4, 2) + Math.pow(r.predicted()[1] - 1, 2)) / 2;
    assertEquals(mse, r.evaluation().mse(), 1e-9);
    assertEquals("pearson", r.headlineName());
    assertTrue(r.summary("validation").containsKey("validation_spearman"));
    List<Map<String, Object>> rows = eval.predictions(data, r);
    assertEquals(4.0, rows.get(0).get("label"));
    assertEquals(r.predicted()[2], rows.get(2).get("prediction"));
    assertFalse(rows.get(2).containsKey("label"));
  }
}
