package io.github.sparkgpt.jobs.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkgpt.jobs.train.ParameterAveraging;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.ResponseLogProbs;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** Response log-probabilities computed on the executors equal the driver's, in the same order. */
class SparkLogProbsTest {
  @Test
  void executorsGiveTheDriversNumbers() {
    GptConfig c = GptConfig.tiny();
    ComputationGraph lm = GptModel.create(c, 1e-3, 7);
    Random rnd = new Random(7);
    int n = 37; // not a multiple of the batch: partitions and batches end unevenly
    int[][] prompts = new int[n][], responses = new int[n][];
    for (int i = 0; i < n; i++) {
      prompts[i] = ids(rnd, 1 + rnd.nextInt(8));
      responses[i] = ids(rnd, 1 + rnd.nextInt(8));
    }
    // a second model in a second context (where broadcast ids start again) gives its own numbers
    for (ComputationGraph model : List.of(lm, GptModel.create(c, 1e-3, 8))) {
      double[] driver = ResponseLogProbs.of(model, prompts, responses, 5);
      double[] executors;
      try (JavaSparkContext jsc =
          new JavaSparkContext("local[2]", "SparkLogProbsTest", ParameterAveraging.sparkConf())) {
        executors = SparkLogProbs.of(jsc, model, prompts, responses, 5);
      }
      assertEquals(n, executors.length);
      for (int i = 0; i < n; i++) assertEquals(driver[i], executors[i], 1e-4, "sequence " + i);
    }
  }

  private static int[] ids(Random rnd, int len) {
    int[] out = new int[len];
    for (int i = 0; i < len; i++) out[i] = 1 + rnd.nextInt(63);
    return out;
  }
}
