package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptBatch;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.GptTaskModel;
import io.github.sparkgpt.model.TrainingState;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.tokenizer.Gpt2PreTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning a checkpoint whose tokenizer has only {@code <|endoftext|>} (preprocess with {@code
 * special_tokens = ["<|endoftext|>"]}, or a foreign checkpoint): the job adds start/delim/extract
 * at ids V..V+2, grows the embedding, trains, and saves a checkpoint that carries the extended
 * tokenizer.
 */
class FinetuneSpecialTokensTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path checkpoint;
  static BpeTokenizer original;

  @BeforeAll
  static void checkpointWithoutTaskTokens() throws Exception {
    Random r = new Random(5);
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 200; i++) corpus.add(FinetuneJobTest.sentence(r, r.nextBoolean()));
    Map<String, Long> counts = new HashMap<>();
    for (String s : corpus)
      for (String piece : Gpt2PreTokenizer.split(s + " ")) counts.merge(piece, 1L, Long::sum);
    original =
        new BpeTrainer()
            .setVocabSize(300)
            .setSpecialTokens(List.of("<|endoftext|>"))
            .trainOnCounts(counts);
    assertEquals(List.of("<|endoftext|>"), List.copyOf(original.specialTokens().keySet()));
    GptConfig cfg = GptConfig.tiny().setVocabSize(original.vocabSize()).setContextLength(32);
    ComputationGraph lm = GptModel.create(cfg, 3e-3, 1);
    int[][] seqs =
        corpus.stream()
            .map(original::encode)
            .filter(s -> s.length >= 2 && s.length <= 33)
            .toArray(int[][]::new);
    for (int step = 0; step < 20; step++)
      lm.fit(GptBatch.fromSequences(Arrays.copyOfRange(seqs, 0, 64), 32));
    checkpoint = dir.resolve("ckpt");
    new Checkpoint(lm, HfTokenizerJson.toBytes(original), original.vocabSize(), new TrainingState())
        .save(checkpoint);
  }

  static Path task(String name, int n, long seed) throws Exception {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder("id\tsentence\tlabel\n");
    for (int i = 0; i < n; i++) {
      boolean good = i % 2 == 0;
      sb.append(name)
          .append(i)
          .append('\t')
          .append(FinetuneJobTest.sentence(r, good))
          .append('\t')
          .append(good ? "positive" : "negative")
          .append('\n');
    }
    return Files.writeString(dir.resolve(name + ".tsv"), sb.toString());
  }

  static String[] args(Path out, String... more) throws Exception {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--master",
                "local[2]",
                "--checkpoint",
                checkpoint.toString(),
                "--task",
                "classification",
                "--train",
                task("train", 64, 1).toString(),
                "--validation",
                task("validation", 24, 2).toString(),
                "--text-columns",
                "sentence",
                "--id-column",
                "id",
                "--output",
                out.toString(),
                "--run-id",
                "r",
                "--batch-size",
                "4",
                "--learning-rate",
                "3e-3",
                "--set",
                "averaging_frequency=4"));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  @Test
  void missingTaskTokensAreAddedTheEmbeddingGrowsAndTheSavedModelCarriesThem() throws Exception {
    int v = original.vocabSize();
    Path out = dir.resolve("ft");
    String console =
        Console.out(
            () -> {
              try {
                assertEquals(0, FinetuneJob.run(args(out, "--epochs", "4")));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    assertTrue(
        console.contains(
            "finetune: the checkpoint's tokenizer lacks <|start|>, <|delim|>, <|extract|>: added as"
                + " ids "
                + v
                + "-"
                + (v + 2)
                + ", embedding grown to "
                + (v + 3)
                + " rows\n"),
        console);
    Path run = out.resolve("r");
    assertTrue(
        Files.exists(run.resolve(io.github.sparkgpt.jobs.report.RunReport.FILE)), "report.html");
    JsonNode m = JSON.readTree(run.resolve("metrics.json").toFile());
    assertEquals(v, m.path("tokenizer").path("checkpoint_vocab_size").asInt());
    assertEquals(v + 3, m.path("tokenizer").path("vocab_size").asInt());
    assertEquals(
        v + 2, m.path("tokenizer").path("added_special_tokens").path("<|extract|>").asInt());
    JsonNode training = m.path("training");
    assertTrue(
        training.path("last_loss").asDouble() < training.path("first_loss").asDouble(),
        training.toString());
    double acc = m.path("evaluations").path("validation").path("accuracy").asDouble();
    System.out.printf("finetune with added special tokens: validation accuracy %.3f%n", acc);
    assertTrue(acc >= 0.8, "validation accuracy " + acc + " (chance 0.5)");

    // the fine-tuned checkpoint passes its own validation and loads with the extended tokenizer
    Checkpoint ft = Checkpoint.load(run.resolve("model"));
    assertEquals(v + 3, ft.config().getVocabSize());
    assertEquals(v + 3, ft.tokenizerVocabSize());
    assertEquals(2, GptTaskModel.layerOf(ft.network()).getNumClasses());
    BpeTokenizer saved =
        HfTokenizerJson.fromJson(new String(ft.tokenizer(), StandardCharsets.UTF_8), "saved");
    assertEquals(
        List.of("<|endoftext|>", "<|start|>", "<|delim|>", "<|extract|>"),
        List.copyOf(saved.specialTokens().keySet()));
    assertEquals(List.of(v - 1, v, v + 1, v + 2), List.copyOf(saved.specialTokens().values()));
    assertArrayEquals(
        original.encode("the day was warm and sunny"), saved.encode("the day was warm and sunny"));

    // --from-scratch builds the grown size as well
    Path scratch = dir.resolve("scratch");
    String console2 =
        Console.out(
            () -> {
              try {
                assertEquals(
                    0, FinetuneJob.run(args(scratch, "--epochs", "1", "--from-scratch", "true")));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    assertTrue(console2.contains("embedding built with " + (v + 3) + " rows"), console2);
    assertEquals(
        v + 3, Checkpoint.load(scratch.resolve("r").resolve("model")).config().getVocabSize());
    assertFalse(
        JSON.readTree(scratch.resolve("r").resolve("metrics.json").toFile())
            .path("pretrained")
            .asBoolean());
  }
}
