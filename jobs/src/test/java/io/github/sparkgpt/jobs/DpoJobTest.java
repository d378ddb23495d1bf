package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.model.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dpo job end to end on local[2]: an untrained tiny model learns to prefer responses that end
 * with "gold" (held-out preference accuracy from about 0.5 to above 0.9), rows set aside are
 * counted by reason, the result is a language model, and a complete run is skipped.
 */
class DpoJobTest {
  private static final String[] WORDS = {"red", "blue", "gray", "pink", "teal", "lime", "gold"};
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path checkpoint;

  @BeforeAll
  static void fixture() throws Exception {
    checkpoint = untrainedCheckpoint(dir.resolve("ckpt"));
  }

  /** An untrained tiny language model whose tokenizer knows the words of the pairs. */
  static Path untrainedCheckpoint(Path target) throws Exception {
    List<String> texts = new ArrayList<>();
    for (String a : WORDS)
      for (String b : WORDS) texts.addAll(List.of(a + " " + b + " =", a + " " + b));
    return SftJobTest.untrainedCheckpoint(target, texts);
  }

  /** n JSONL pairs: chosen = two words then "gold", rejected = two words then another word. */
  static Path pairs(String name, int n, long seed, String... extra) throws Exception {
    Random rnd = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String prompt = word(rnd) + " " + word(rnd);
      String bad = WORDS[rnd.nextInt(WORDS.length - 1)]; // never "gold", the last word
      Map<String, String> row =
          Map.of(
              "id", name + i,
              "prompt", prompt,
              "chosen", word(rnd) + " " + word(rnd) + " gold",
              "rejected", word(rnd) + " " + word(rnd) + " " + bad);
      sb.append(JSON.writeValueAsString(row)).append('\n');
    }
    for (String e : extra) sb.append(e).append('\n');
    Path p = dir.resolve(name + ".jsonl");
    Files.writeString(p, sb.toString());
    return p;
  }

  private static String word(Random rnd) {
    return WORDS[rnd.nextInt(WORDS.length)];
  }

  static String[] args(Path out, String runId) throws Exception {
    String tooLong = String.join(" ", Collections.nCopies(16, "teal"));
    return new String[] {
      "--master", "local[2]",
      "--checkpoint", checkpoint.toString(),
      "--pairs",
          pairs(
                  "train",
                  256,
                  1,
                  "{\"id\":\"empty\",\"prompt\":\"\",\"chosen\":\"red\",\"rejected\":\"blue\"}",
                  "{\"id\":\"same\",\"prompt\":\"red\",\"chosen\":\"blue\",\"rejected\":\"blue\"}")
              .toString(),
      "--validation",
          pairs(
                  "validation",
                  100,
                  2,
                  "{\"id\":\"long\",\"prompt\":\"red\",\"chosen\":\""
                      + tooLong
                      + "\","
                      + "\"rejected\":\"blue\"}")
              .toString(),
      "--id-column", "id",
      "--template", "{prompt} =",
      "--output", out.toString(),
      "--run-id", runId,
      "--epochs", "6",
      "--learning-rate", "3e-3",
      "--beta", "0.1",
      "--set", "batch_size=16",
      "--set", "averaging_frequency=2",
      "--set", "warmup_fraction=0",
      "--set", "kl_prompts=16",
      "--set", "kl_max_new_tokens=4"
    };
  }

  @Test
  void learnsAToyPreferenceQuarantinesAndSkipsACompleteRun() throws Exception {
    Path out = dir.resolve("dpo");
    Path run = out.resolve("gold");
    long t0 = System.nanoTime();
    assertEquals(0, DpoJob.run(args(out, "gold")));
    double secs = (System.nanoTime() - t0) / 1e9;
    assertTrue(Files.exists(run.resolve("_SUCCESS")));
    JsonNode m = JSON.readTree(run.resolve("metrics.json").toFile());
    JsonNode epochs = m.path("training").path("epochs");
    JsonNode first = epochs.get(0), last = epochs.get(epochs.size() - 1);
    System.out.printf(
        "dpo test: held-out share preferring chosen %.3f (reference) -> %.3f; preference accuracy"
            + " %.3f; margin %.3f; KL/token %.4f; job %.1f s%n",
        first.path("policy_prefers_chosen").asDouble(),
        last.path("policy_prefers_chosen").asDouble(),
        last.path("preference_accuracy").asDouble(),
        last.path("reward_margin").asDouble(),
        last.path("kl_per_token").asDouble(),
        secs);
    assertEquals("dpo", m.path("kind").asText());
    assertEquals(7, epochs.size()); // epoch 0 = the reference, then 6
    double before = first.path("policy_prefers_chosen").asDouble();
    assertTrue(before > 0.2 && before < 0.8, "an untrained model has no preference: " + before);
    assertEquals(0, first.path("kl_per_token").asDouble(), 1e-9);
    assertTrue(last.path("policy_prefers_chosen").asDouble() > 0.9, last.toString());
    assertTrue(last.path("preference_accuracy").asDouble() > 0.9, last.toString());
    assertEquals(
        last.path("preference_accuracy").asDouble(), m.path("headline").path("value").asDouble());
    assertTrue(last.path("reward_margin").asDouble() > 0, last.toString());
    assertTrue(
        last.path("chosen_log_ratio").asDouble() > last.path("rejected_log_ratio").asDouble());
    assertTrue(last.has("kl_per_token") && last.path("kl_per_token").isNumber(), last.toString());

    // quarantine: in = kept + rejected, by reason
    JsonNode train = m.path("splits").path("train");
    assertEquals(258, train.path("in").asInt());
    assertEquals(256, train.path("kept").asInt());
    assertEquals(1, train.path("rejected").path("task_missing_field").asInt());
    assertEquals(1, train.path("rejected").path("dpo_identical_responses").asInt());
    JsonNode val = m.path("splits").path("validation");
    assertEquals(101, val.path("in").asInt());
    assertEquals(1, val.path("rejected").path("dpo_response_too_long").asInt());
    assertEquals(3, Files.readAllLines(run.resolve("rejected.jsonl")).size());

    // a language model: generate loads it
    assertTrue(Checkpoint.load(run.resolve("model")).kind().isLanguageModel());
    String generated =
        Console.out(
            () ->
                assertEquals(
                    0,
                    JobRunner.execute(
                        "generate",
                        new GenerateCommand(),
                        new String[] {
                          "--checkpoint", run.resolve("model").toString(),
                          "--prompt", "red blue =",
                          "--temperature", "0",
                          "--max-new-tokens", "4"
                        })));
    assertTrue(generated.startsWith("red blue ="), generated);
    String html = Files.readString(run.resolve("report.html"));
    assertTrue(
        html.contains("gold: loss per epoch") && html.contains("gold: preference per epoch"));

    // complete run: skipped, nothing rewritten
    long stamp = Files.getLastModifiedTime(run.resolve("metrics.json")).toMillis();
    String again = Console.out(() -> assertEquals(0, DpoJob.run(argsUnchecked(out, "gold"))));
    assertTrue(again.contains("already complete"), again);
    assertEquals(stamp, Files.getLastModifiedTime(run.resolve("metrics.json")).toMillis());
  }

  @Test
  void ipoLearnsTheToyPreferenceToo() throws Exception {
    Path out = dir.resolve("ipo");
    long t0 = System.nanoTime();
    assertEquals(0, DpoJob.run(withOption(args(out, "gold"), "--loss", "ipo")));
    double secs = (System.nanoTime() - t0) / 1e9;
    JsonNode m = JSON.readTree(out.resolve("gold").resolve("metrics.json").toFile());
    assertEquals("dpo-ipo", m.path("training").path("mode").asText());
    JsonNode epochs = m.path("training").path("epochs");
    JsonNode first = epochs.get(0), last = epochs.get(epochs.size() - 1);
    System.out.printf(
        "dpo ipo test: held-out preference accuracy %.3f -> %.3f; chosen/rejected log ratio"
            + " %.3f/%.3f; validation loss %.3f -> %.3f; job %.1f s%n",
        first.path("preference_accuracy").asDouble(),
        last.path("preference_accuracy").asDouble(),
        last.path("chosen_log_ratio").asDouble(),
        last.path("rejected_log_ratio").asDouble(),
        first.path("validation_loss").asDouble(),
        last.path("validation_loss").asDouble(),
        secs);
    // epoch 0 is the untrained policy: no preference, and IPO's loss at z = 0 is (1 / (2 beta))^2
    assertEquals(0.5, first.path("preference_accuracy").asDouble(), 1e-9, first.toString());
    assertEquals(25, first.path("validation_loss").asDouble(), 1e-2, first.toString());
    assertTrue(last.path("preference_accuracy").asDouble() > 0.9, last.toString());
    assertTrue(
        last.path("validation_loss").asDouble() < first.path("validation_loss").asDouble(),
        last.toString());
  }

  @Test
  void refusesBetaZeroAnUnknownLossAndAFinishReasonColumnThatIsAResponseBeforeStarting()
      throws Exception {
    Path out = dir.resolve("refused");
    String[] a = args(out, "r");
    String[] zero = withOption(a, "--beta", "0");
    String err = Console.err(() -> assertEquals(2, DpoJob.run(zero)));
    assertTrue(err.contains("beta must be > 0"), err);
    String[] hinge = withOption(a, "--loss", "hinge");
    err = Console.err(() -> assertEquals(2, DpoJob.run(hinge)));
    assertTrue(err.contains("loss must be sigmoid or ipo"), err);
    List<String> same = new ArrayList<>(List.of(a));
    same.addAll(List.of("--set", "rejected_finish_reason_column=chosen"));
    err = Console.err(() -> assertEquals(2, DpoJob.run(same.toArray(new String[0]))));
    assertTrue(err.contains("a finish-reason column must be"), err);
    assertFalse(Files.exists(out.resolve("r")));
  }

  private static String[] withOption(String[] a, String name, String value) {
    List<String> l = new ArrayList<>(List.of(a));
    if (l.contains(name)) l.set(l.indexOf(name) + 1, value);
    else l.addAll(List.of(name, value));
    return l.toArray(new String[0]);
  }

  private static String[] argsUnchecked(Path out, String runId) {
    try {
      return args(out, runId);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
