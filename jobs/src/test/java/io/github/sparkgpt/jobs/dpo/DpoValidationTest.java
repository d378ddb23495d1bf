package io.github.sparkgpt.jobs.dpo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.jobs.SparkSessions;
import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.jobs.train.ParameterAveraging;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.DpoBatch;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.TrainingState;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/**
 * Before any training step the policy is the reference: through the dpo job's own validation path
 * (the policy taken from the preference-training network, scored on the executors) every log ratio
 * is ~0, the loss log 2 and neither response preferred, and the training loss of a batch built with
 * the reference values is log 2. Pairs with responses of different lengths (so different right
 * padding), a template around the prompt, prompts cut on the left, and a start model with dropout
 * (the training copy has none).
 */
class DpoValidationTest {
  private static final String[] WORDS = {"red", "blue", "gray", "pink", "teal", "lime", "gold"};
  private static final String TEMPLATE = "Question: {prompt} Answer:";
  private static final int CONTEXT = 20;

  @Test
  void theUntrainedPolicyHasNoPreferenceAndZeroLogRatios() throws Exception {
    Random rnd = new Random(7);
    List<TaskExample> rows = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String chosen = words(rnd, 1 + rnd.nextInt(5)), rejected = words(rnd, 1 + rnd.nextInt(7));
      if (chosen.equals(rejected)) rejected += " gold";
      rows.add(new TaskExample("p" + i, List.of(words(rnd, 1 + i % 12), chosen, rejected), null));
    }
    BpeTokenizer tok = tokenizer();
    Checkpoint start = checkpoint(tok);
    DpoSettings settings =
        new DpoSettings()
            .setTemplate(TEMPLATE)
            .setBeta(0.1)
            .setEvalBatchSize(4)
            .setKlPrompts(8)
            .setKlMaxNewTokens(4);
    DpoEncoder encoder =
        new DpoEncoder(tok, ResponseTemplate.of("dpo", TEMPLATE), CONTEXT, settings);
    List<DpoEncoder.Example> pairs =
        encoder.encode(new TaskReader.Result(rows, List.of())).examples();
    assertEquals(24, pairs.size());
    assertTrue(encoder.truncatedPrompts() > 0, "some prompts lose ids on the left");
    assertTrue(pairs.stream().anyMatch(p -> p.chosen().length != p.rejected().length));

    SparkSession spark =
        SparkSessions.create("dpo-validation-test", "local[2]", ParameterAveraging.sparkConf());
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      ComputationGraph reference = start.network();
      DpoEvaluator.Scores ref = DpoEvaluator.score(jsc, reference, pairs, 4);
      ComputationGraph net = new DpoRun(settings, "local[2]").network(start, 10);
      Map<String, Object> row =
          new DpoEvaluator(settings, encoder, reference).evaluateTraining(jsc, net, pairs, ref);
      assertEquals(0, (Double) row.get("chosen_log_ratio"), 1e-3, row.toString());
      assertEquals(0, (Double) row.get("rejected_log_ratio"), 1e-3, row.toString());
      assertEquals(0, (Double) row.get("reward_margin"), 1e-4, row.toString());
      assertEquals(Math.log(2), (Double) row.get("validation_loss"), 1e-4, row.toString());
      assertEquals(0.5, (Double) row.get("preference_accuracy"), 1e-9, row.toString());
      assertEquals(0, (Double) row.get("kl_per_token"), 1e-3, row.toString());

      // training compares the same two computations: z = 0 for every pair, loss log 2
      assertEquals(
          Math.log(2),
          net.score(DpoBatch.pairs(DpoRun.pairs(pairs, ref), CONTEXT, net.params().dataType())),
          1e-4);
    } finally {
      spark.stop();
    }
  }

  private static String words(Random rnd, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : " ").append(WORDS[rnd.nextInt(7)]);
    return sb.toString();
  }

  private static BpeTokenizer tokenizer() {
    Map<String, Long> counts = new HashMap<>();
    for (String w : WORDS) counts.merge(" " + w, 3L, Long::sum);
    for (String w : List.of("Question", ":", " Answer")) counts.merge(w, 3L, Long::sum);
    return new BpeTrainer().setVocabSize(300).trainOnCounts(counts);
  }

  /** An untrained float model with dropout: what the policy copy must match with dropout off. */
  private static Checkpoint checkpoint(BpeTokenizer tok) {
    GptConfig cfg =
        GptConfig.tiny()
            .setVocabSize(tok.vocabSize())
            .setContextLength(CONTEXT)
            .setDModel(64)
            .setDropout(0.1);
    return new Checkpoint(
        GptModel.create(cfg, 1e-3, 3),
        HfTokenizerJson.toJson(tok, true).getBytes(StandardCharsets.UTF_8),
        tok.vocabSize(),
        new TrainingState());
  }
}
