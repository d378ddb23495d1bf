package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.ConfigurationClasses;
import io.github.sparkgpt.model.FileDigests;
import io.github.sparkgpt.model.GptBatch;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.TrainingState;
import io.github.sparkgpt.model.train.RoundAdam;
import io.github.sparkgpt.model.train.WarmupCosineSchedule;
import io.github.sparkgpt.model.train.WarmupLinearSchedule;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * export -> import through the commands, the refusals, and the jobs' classes in the model's
 * allowlist.
 */
class ImportCommandTest {
  @TempDir static Path dir;
  static Path checkpoint;
  static Path hf;

  @BeforeAll
  static void exportedCheckpoint() throws Exception {
    BpeTokenizer tok =
        new BpeTrainer().setVocabSize(270).trainOnCounts(Map.of("hello", 10L, " world", 5L));
    byte[] json = HfTokenizerJson.toJson(tok, true).getBytes(StandardCharsets.UTF_8);
    GptConfig cfg = GptConfig.tiny().setVocabSize(tok.vocabSize()).setLayerNorm("post");
    ComputationGraph net =
        GptModel.create(
            cfg,
            new RoundAdam(new WarmupCosineSchedule(1e-2, 1, 10, 0.1)),
            4,
            DataType.FLOAT,
            0.01,
            1.0);
    net.fit(GptBatch.fromSequences(new int[][] {{1, 2, 3, 4, 5}}, 16));
    checkpoint = dir.resolve("ckpt");
    new Checkpoint(net, json, tok.vocabSize(), new TrainingState()).save(checkpoint);
    hf = dir.resolve("hf");
    assertEquals(
        0,
        JobRunner.execute(
            "export",
            new ExportCommand(),
            new String[] {"--checkpoint", checkpoint.toString(), "--output", hf.toString()}));
  }

  private static INDArray features() {
    return GptBatch.fromSequences(new int[][] {{5, 6, 7, 8}, {200, 3}}, 16).getFeatures();
  }

  @Test
  void exportThenImportGivesIdenticalLogitsAndRecordsTheInputs() throws Exception {
    Path out = dir.resolve("imported");
    String stdout =
        Console.out(
            () ->
                assertEquals(
                    0,
                    JobRunner.execute(
                        "import",
                        new ImportCommand(),
                        new String[] {"--from", hf.toString(), "--output", out.toString()})));
    assertTrue(stdout.startsWith("import: OpenAI-GPT (post-LN), 2 x 32, 26 tensors"), stdout);
    Checkpoint original = Checkpoint.load(checkpoint);
    Checkpoint imported = Checkpoint.load(out);
    assertTrue(imported.verified());
    assertEquals(
        original.network().outputSingle(features()), imported.network().outputSingle(features()));
    assertEquals(original.tokenizerSha256(), imported.tokenizerSha256());
    assertEquals("import", imported.lineage().producedBy());
    assertEquals(
        FileDigests.sha256(hf.resolve("model.safetensors")),
        imported.lineage().inputs().get("model.safetensors"));
    assertEquals(
        FileDigests.sha256(hf.resolve("config.json")),
        imported.lineage().inputs().get("config.json"));
    assertTrue(stdout.contains("sha256 " + imported.digest()), stdout);
    // the export names the checkpoint it came from; the import, the files it read
    assertEquals(
        Checkpoint.digest(checkpoint),
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(hf.resolve("config.json").toFile())
            .path("sparkgpt_checkpoint_sha256")
            .asText());
    // generate runs on it
    assertEquals(
        0,
        JobRunner.execute(
            "generate",
            new GenerateCommand(),
            new String[] {
              "--checkpoint", out.toString(), "--prompt", "hello", "--max-new-tokens", "2"
            }));
  }

  @Test
  void malformedWeightsAndUsedOutputsAreOneLineUsageErrors() throws Exception {
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    for (String f : new String[] {"config.json", "tokenizer.json", "model.safetensors"}) {
      Files.copy(hf.resolve(f), bad.resolve(f));
    }
    byte[] st = Files.readAllBytes(bad.resolve("model.safetensors"));
    ByteBuffer.wrap(st)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(0, 1L << 40); // header length far past the end
    Files.write(bad.resolve("model.safetensors"), st);
    Path out = dir.resolve("bad-out");
    String err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    JobRunner.execute(
                        "import",
                        new ImportCommand(),
                        new String[] {"--from", bad.toString(), "--output", out.toString()})));
    assertEquals(
        "import: error: "
            + bad.resolve("model.safetensors")
            + ": header length 1099511627776 is outside "
            + "2..100000000 bytes",
        err.strip());
    assertFalse(Files.exists(out));

    Path used = dir.resolve("used");
    Files.createDirectories(used);
    Files.writeString(used.resolve("keep.txt"), "mine");
    err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    JobRunner.execute(
                        "import",
                        new ImportCommand(),
                        new String[] {"--from", hf.toString(), "--output", used.toString()})));
    assertTrue(err.contains("already exists: choose a new directory"), err);
    assertEquals("mine", Files.readString(used.resolve("keep.txt")));

    Files.delete(bad.resolve("tokenizer.json"));
    err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    JobRunner.execute(
                        "import",
                        new ImportCommand(),
                        new String[] {"--from", bad.toString(), "--output", out.toString()})));
    assertTrue(err.contains("has no tokenizer.json"), err);
  }

  @Test
  void theJobsClassesThatCheckpointsNameAreInTheModelsAllowlist() {
    for (Class<?> c :
        new Class<?>[] {RoundAdam.class, WarmupCosineSchedule.class, WarmupLinearSchedule.class}) {
      assertTrue(ConfigurationClasses.ALLOWED.contains(c.getName()), c.getName());
    }
  }
}
