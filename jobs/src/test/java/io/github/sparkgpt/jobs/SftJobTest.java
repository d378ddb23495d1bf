package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.GptTaskModel;
import io.github.sparkgpt.model.TaskHead;
import io.github.sparkgpt.model.TrainingState;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.tokenizer.Gpt2PreTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The sft job end to end on local[2]: a tiny model learns from scratch to copy a list of three
 * words (prompt "red blue gold", response "red blue gold") and is scored on lists it never saw.
 */
class SftJobTest {
  private static final String[] WORDS = {"red", "blue", "gold", "gray", "pink", "teal"};
  private static final String TEMPLATE = "{prompt} =";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path checkpoint;
  static List<String> lists;

  @BeforeAll
  static void data() throws Exception {
    lists = new ArrayList<>();
    for (String a : WORDS)
      for (String b : WORDS) for (String c : WORDS) lists.add(a + " " + b + " " + c);
    Collections.shuffle(lists, new Random(3)); // 216 lists: 160 train, 28 validation, 28 test
    checkpoint = untrainedCheckpoint(dir.resolve("ckpt"));
  }

  /** An untrained language model (architecture and tokenizer only: the run starts from scratch). */
  static Path untrainedCheckpoint(Path target) throws Exception {
    List<String> texts = new ArrayList<>();
    for (String s : lists) texts.addAll(List.of(s, s + " =")); // responses are encoded on their own
    return untrainedCheckpoint(target, texts);
  }

  /** An untrained tiny language model (d 64, context 16) whose tokenizer is trained on texts. */
  static Path untrainedCheckpoint(Path target, List<String> texts) throws Exception {
    Map<String, Long> counts = new HashMap<>();
    for (String text : texts)
      for (String piece : Gpt2PreTokenizer.split(text)) counts.merge(piece, 1L, Long::sum);
    BpeTokenizer tok = new BpeTrainer().setVocabSize(300).trainOnCounts(counts);
    GptConfig cfg =
        GptConfig.tiny().setVocabSize(tok.vocabSize()).setContextLength(16).setDModel(64);
    new Checkpoint(
            GptModel.create(cfg, 1e-3, 1),
            HfTokenizerJson.toJson(tok, true).getBytes(StandardCharsets.UTF_8),
            tok.vocabSize(),
            new TrainingState())
        .save(target);
    return target;
  }

  /** JSONL rows {id, prompt, response} for lists[from, to), plus raw extra lines. */
  static Path split(String name, int from, int to, String... extra) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++)
      sb.append(
              JSON.writeValueAsString(
                  Map.of("id", name + i, "prompt", lists.get(i), "response", lists.get(i))))
          .append('\n');
    for (String e : extra) sb.append(e).append('\n');
    Path p = dir.resolve(name + ".jsonl");
    Files.writeString(p, sb.toString());
    return p;
  }

  static String[] args(Path out, String runId, String... more) throws Exception {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--master",
                "local[2]",
                "--checkpoint",
                checkpoint.toString(),
                "--train",
                split(
                        "train",
                        0,
                        160,
                        "{\"id\":\"empty\",\"prompt\":\"\",\"response\":\"red\"}",
                        "not json")
                    .toString(),
                "--validation",
                split(
                        "validation",
                        160,
                        188,
                        "{\"id\":\"long\",\"prompt\":\"red\",\"response\":\""
                            + String.join(" ", Collections.nCopies(16, "teal"))
                            + "\"}")
                    .toString(),
                "--test",
                split("test", 188, 216).toString(),
                "--id-column",
                "id",
                "--template",
                TEMPLATE,
                "--from-scratch",
                "--output",
                out.toString(),
                "--run-id",
                runId,
                "--epochs",
                "20",
                "--learning-rate",
                "3e-3",
                "--set",
                "batch_size=16",
                "--set",
                "averaging_frequency=5",
                "--set",
                "warmup_fraction=0.02"));
    for (int i = 0; i + 1 < more.length; i += 2) { // an option in `more` replaces its default
      int at = a.indexOf(more[i]);
      if (at >= 0 && !more[i].equals("--set")) a.set(at + 1, more[i + 1]);
      else a.addAll(List.of(more[i], more[i + 1]));
    }
    return a.toArray(new String[0]);
  }

  @Test
  void learnsToCopyUnseenListsQuarantinesAndRedoesOnlyPartialRuns() throws Exception {
    Path out = dir.resolve("sft");
    Path run = out.resolve("copy");
    Files.createDirectories(run); // a partial run this project started: redone from scratch
    Files.writeString(run.resolve("stale.txt"), "left by a killed run");
    Files.writeString(run.resolve(TaskRunFiles.STARTED), "{}");
    long t0 = System.nanoTime();
    assertEquals(0, SftJob.run(args(out, "copy")));
    double secs = (System.nanoTime() - t0) / 1e9;
    assertTrue(Files.exists(run.resolve("_SUCCESS")));
    assertFalse(Files.exists(run.resolve("stale.txt")));
    JsonNode m = JSON.readTree(run.resolve("metrics.json").toFile());
    JsonNode test = m.path("evaluations").path("test");
    System.out.printf(
        "sft test: validation EM %.3f, test EM %.3f F1 %.3f, job %.1f s%n",
        m.path("evaluations").path("validation").path("exact_match").asDouble(),
        test.path("exact_match").asDouble(),
        test.path("token_f1").asDouble(),
        secs);
    assertEquals("sft", m.path("kind").asText());
    assertTrue(test.path("exact_match").asDouble() >= 0.8, test.toString());
    assertEquals(28, test.path("examples").asInt());

    // quarantine: an empty prompt and a malformed line in train, a response too long in validation
    assertEquals(162, m.path("splits").path("train").path("in").asInt());
    assertEquals(160, m.path("splits").path("train").path("kept").asInt());
    assertEquals(29, m.path("splits").path("validation").path("in").asInt());
    assertEquals(
        1,
        m.path("splits").path("validation").path("rejected").path("sft_response_too_long").asInt());
    assertEquals(3, m.path("rejected").asInt());
    assertEquals(3, Files.readAllLines(run.resolve("rejected.jsonl")).size());

    List<String> preds = Files.readAllLines(run.resolve("predictions.jsonl"));
    assertEquals(56, preds.size());
    JsonNode p = JSON.readTree(preds.get(28));
    assertEquals("test", p.path("split").asText());
    assertTrue(p.path("id").asText().endsWith("#id=test188"), p.toString());
    assertEquals(lists.get(188), p.path("references").get(0).asText());

    // a language model: generate loads it
    Checkpoint tuned = Checkpoint.load(run.resolve("model"));
    assertTrue(tuned.kind().isLanguageModel());
    String generated =
        Console.out(
            () ->
                assertEquals(
                    0,
                    JobRunner.execute(
                        "generate",
                        new GenerateCommand(),
                        new String[] {
                          "--checkpoint",
                          run.resolve("model").toString(),
                          "--prompt",
                          lists.get(200) + " =",
                          "--temperature",
                          "0",
                          "--max-new-tokens",
                          "6"
                        })));
    assertTrue(generated.startsWith(lists.get(200) + " ="), generated);

    // the run's report shows the answers' scores and the loss per epoch
    String html = Files.readString(run.resolve("report.html"));
    assertTrue(html.contains("exact match") && html.contains("token F1"), "EM/F1 columns");
    assertTrue(html.contains("copy: loss per epoch"), "loss curve");
    assertEquals(20, m.path("training").path("epochs").size());

    // complete run: skipped, nothing rewritten
    long stamp = Files.getLastModifiedTime(run.resolve("metrics.json")).toMillis();
    String again = Console.out(() -> assertEquals(0, SftJob.run(argsUnchecked(out, "copy"))));
    assertTrue(again.contains("already complete"), again);
    assertEquals(stamp, Files.getLastModifiedTime(run.resolve("metrics.json")).toMillis());
  }

  @Test
  void refusesATaskCheckpointAndBadSettingsInOneLineBeforeStarting() throws Exception {
    Checkpoint lm = Checkpoint.load(checkpoint);
    ComputationGraph classifier =
        GptTaskModel.forTask(
            TaskHead.of("classification", false, 2),
            lm.config(),
            lm.network(),
            0.5,
            0,
            new Adam(1e-3),
            1,
            DataType.FLOAT,
            null);
    Path task = dir.resolve("task-ckpt");
    new Checkpoint(classifier, lm.tokenizer(), lm.tokenizerVocabSize(), new TrainingState())
        .save(task);
    Path out = dir.resolve("refused");
    String[] withTask = args(out, "t", "--checkpoint", task.toString());
    String err = Console.err(() -> assertEquals(2, SftJob.run(withTask)));
    assertEquals(
        "sft: error: --checkpoint "
            + task
            + " is a fine-tuned model: pass a pretrained (language model) checkpoint",
        err.trim());
    String[] badTemplate = args(out, "t", "--template", "Answer:");
    err = Console.err(() -> assertEquals(2, SftJob.run(badTemplate)));
    assertTrue(err.contains("template must hold {prompt} exactly once"), err);
    String[] halfPrompt = args(out, "t", "--set", "prompt_loss_weight=0.5");
    err = Console.err(() -> assertEquals(2, SftJob.run(halfPrompt)));
    assertTrue(err.contains("prompt_loss_weight must be 0"), err);
    assertFalse(Files.exists(out.resolve("t")));
  }

  private static String[] argsUnchecked(Path out, String runId) {
    try {
      return args(out, runId);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
