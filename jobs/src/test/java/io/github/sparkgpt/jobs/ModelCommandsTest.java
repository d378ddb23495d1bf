package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.GptTaskLayer;
import io.github.sparkgpt.model.GptTaskModel;
import io.github.sparkgpt.model.TrainingState;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.tokenizer.Gpt2PreTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * generate, perplexity and export on a tiny checkpoint whose tokenizer also packed the evaluation
 * data.
 */
class ModelCommandsTest {
  @TempDir static Path dir;
  static Path checkpoint;
  static Path data;
  static byte[] tokenizerJson;
  static GptConfig cfg;

  @BeforeAll
  static void tinyCheckpointAndMatchingData() throws Exception {
    Random rnd = new Random(3);
    Map<String, Long> counts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      for (String piece : Gpt2PreTokenizer.split(SyntheticCorpus.sentence(rnd) + " "))
        counts.merge(piece, 1L, Long::sum);
    }
    BpeTokenizer tok = new BpeTrainer().setVocabSize(300).trainOnCounts(counts);
    tokenizerJson =
        io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson.toJson(tok, true)
            .getBytes(StandardCharsets.UTF_8);
    cfg = GptConfig.tiny().setVocabSize(tok.vocabSize()).setContextLength(32);
    checkpoint = dir.resolve("ckpt");
    new Checkpoint(
            GptModel.create(cfg, 1e-3, 1), tokenizerJson, tok.vocabSize(), new TrainingState())
        .save(checkpoint);

    new SyntheticCorpus().write(dir.resolve("in"), 20, 5);
    data = dir.resolve("data");
    assertEquals(
        0,
        PreprocessJob.run(
            "--master",
            "local[2]",
            "--input",
            dir.resolve("in").toString(),
            "--output",
            data.toString(),
            "--tokenizer",
            checkpoint.resolve("tokenizer.json").toString(),
            "--context-length",
            "16",
            "--validation-fraction",
            "0.3"));
  }

  @Test
  void generateContinuesThePrompt() {
    String out =
        Console.out(
            () ->
                assertEquals(
                    0,
                    JobRunner.execute(
                        "generate",
                        new GenerateCommand(),
                        new String[] {
                          "--checkpoint",
                          checkpoint.toString(),
                          "--prompt",
                          "The river",
                          "--max-new-tokens",
                          "5"
                        })));
    assertTrue(out.startsWith("The river"), out);
  }

  @Test
  void perplexityOfAnUntrainedModelIsAboutTheVocabularySize() {
    String out =
        Console.out(
            () ->
                assertEquals(
                    0,
                    JobRunner.execute(
                        "perplexity",
                        new PerplexityCommand(),
                        new String[] {
                          "--checkpoint", checkpoint.toString(), "--data", data.toString()
                        })));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("perplexity ([0-9.]+)").matcher(out);
    assertTrue(m.find(), out);
    double ppl = Double.parseDouble(m.group(1));
    assertTrue(ppl > 100 && ppl < 600, "random init over ~300 tokens: " + ppl);
  }

  @Test
  void perplexityRefusesDataFromAnotherTokenizer() throws Exception {
    Path other = dir.resolve("other-ckpt");
    BpeTokenizer tok =
        new BpeTrainer().setVocabSize(270).trainOnCounts(Map.of("hello", 10L, " world", 5L));
    byte[] json =
        io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson.toJson(tok, true)
            .getBytes(StandardCharsets.UTF_8);
    new Checkpoint(
            GptModel.create(GptConfig.tiny().setVocabSize(tok.vocabSize()), 1e-3, 1),
            json,
            tok.vocabSize(),
            new TrainingState())
        .save(other);
    String err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    JobRunner.execute(
                        "perplexity",
                        new PerplexityCommand(),
                        new String[] {
                          "--checkpoint", other.toString(), "--data", data.toString()
                        })));
    assertTrue(err.contains("tokenizer"), err);
  }

  @Test
  void exportWritesTheHuggingFaceLayout() {
    Path hf = dir.resolve("hf");
    assertEquals(
        0,
        JobRunner.execute(
            "export",
            new ExportCommand(),
            new String[] {"--checkpoint", checkpoint.toString(), "--output", hf.toString()}));
    for (String f : List.of("config.json", "model.safetensors", "tokenizer.json"))
      assertTrue(Files.exists(hf.resolve(f)), f);
  }

  @Test
  void missingCheckpointIsAUsageError() {
    String err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    JobRunner.execute(
                        "generate",
                        new GenerateCommand(),
                        new String[] {
                          "--checkpoint", dir.resolve("nope").toString(), "--prompt", "x"
                        })));
    assertTrue(err.contains("nope"), err);
  }

  @Test
  void generateAndPerplexityRefuseATaskCheckpointInOneLine() throws Exception {
    // a fine-tuned (classification) network with the same tokenizer: only its kind is wrong
    Path task = dir.resolve("task-ckpt");
    new Checkpoint(
            GptTaskModel.fromScratch(
                cfg, GptTaskLayer.Mode.CLASSIFY, 2, 0.5, new Adam(1e-3), 1, DataType.FLOAT),
            tokenizerJson,
            cfg.getVocabSize(),
            new TrainingState())
        .save(task);
    String refusal =
        ": error: --checkpoint "
            + task
            + " is a fine-tuned model: pass a pretrained (language model) checkpoint";
    String[] generate = {"--checkpoint", task.toString(), "--prompt", "The river"};
    String err =
        Console.err(
            () ->
                assertEquals(
                    JobRunner.USAGE,
                    JobRunner.execute("generate", new GenerateCommand(), generate)));
    assertEquals("generate" + refusal, err.trim());
    String[] perplexity = {"--checkpoint", task.toString(), "--data", data.toString()};
    err =
        Console.err(
            () ->
                assertEquals(
                    JobRunner.USAGE,
                    JobRunner.execute("perplexity", new PerplexityCommand(), perplexity)));
    assertEquals("perplexity" + refusal, err.trim());
  }
}
