package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptTaskModel;
import io.github.sparkgpt.model.TaskHead;
import io.github.sparkgpt.model.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * preference-pairs on a tiny fixture (an untrained policy and classifier, local[2]): every prompt
 * gets four samples scored by the classifier, chosen = best, rejected = worst, counts add up.
 */
class PreferencePairsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;

  @Test
  void writesBestAndWorstOfTheSamplesWithTheirScores() throws Exception {
    Path policy = DpoJobTest.untrainedCheckpoint(dir.resolve("policy"));
    Checkpoint lm = Checkpoint.load(policy);
    ComputationGraph classifier =
        GptTaskModel.forTask(
            TaskHead.of("classification", false, 2),
            lm.config(),
            lm.network(),
            0,
            0,
            new Adam(1e-3),
            5,
            DataType.FLOAT,
            null);
    Path reward = dir.resolve("sentiment-run");
    new Checkpoint(classifier, lm.tokenizer(), lm.tokenizerVocabSize(), new TrainingState())
        .save(reward.resolve("model"));
    Files.writeString(reward.resolve("labels.json"), "{\"labels\":[\"negative\",\"positive\"]}");
    Path prompts = dir.resolve("prompts.jsonl");
    Files.writeString(
        prompts,
        "{\"prompt\":\"red blue\"}\n{\"prompt\":\"gold teal\"}\n{\"prompt\":\"pink\"}\n"
            + "{\"prompt\":\"\"}\n");
    Path out = dir.resolve("pairs");
    String[] args = {
      "--master", "local[2]",
      "--checkpoint", policy.toString(),
      "--prompts", prompts.toString(),
      "--reward", reward.toString(),
      "--samples", "4",
      "--output", out.toString(),
      "--set", "max_new_tokens=4"
    };
    assertEquals(0, PreferencePairsCommand.run(args));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    JsonNode counts = JSON.readTree(out.resolve("counts.json").toFile());
    assertEquals(4, counts.path("rows_in").asInt());
    assertEquals(1, counts.path("rejected").asInt()); // the empty prompt
    assertEquals(3, counts.path("pairs").asInt() + counts.path("dropped").path("tie").asInt());
    List<String> lines = Files.readAllLines(out.resolve("pairs.jsonl"));
    assertEquals(counts.path("pairs").asInt(), lines.size());
    assertTrue(lines.size() >= 1, "four samples of an untrained model differ");
    int cut = 0;
    for (String line : lines) {
      JsonNode p = JSON.readTree(line);
      assertEquals(4, p.path("samples").size());
      assertEquals(4, p.path("scores").size());
      assertEquals(4, p.path("finish_reasons").size());
      int best = 0, worst = 0;
      for (int k = 0; k < 4; k++) {
        double score = p.path("scores").get(k).asDouble();
        if (score > p.path("scores").get(best).asDouble()) best = k;
        if (score < p.path("scores").get(worst).asDouble()) worst = k;
        String reason = p.path("finish_reasons").get(k).asText();
        assertTrue(reason.equals("stop") || reason.equals("length"), reason);
        if (reason.equals("length")) cut++;
      }
      assertEquals(p.path("scores").get(best).asDouble(), p.path("chosen_score").asDouble());
      assertEquals(p.path("scores").get(worst).asDouble(), p.path("rejected_score").asDouble());
      assertTrue(best != worst);
      // each response of the pair carries its own sample's reason, so dpo knows which ended
      assertEquals(
          p.path("finish_reasons").get(best).asText(), p.path("chosen_finish_reason").asText());
      assertEquals(
          p.path("finish_reasons").get(worst).asText(), p.path("rejected_finish_reason").asText());
    }
    // an untrained model over a few hundred ids rarely samples <|endoftext|> within 4 tokens
    assertTrue(cut > 0, "some samples were cut at max_new_tokens");
    // an existing complete output is refused, not overwritten
    assertEquals(1, PreferencePairsCommand.run(args));
  }
}
