package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptBatch;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
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
 * The fewshot command end to end on a tiny LM pretrained on documents "sentence\nAnswer: good|bad"
 * (the answer follows the sentence's class word, FinetuneJobTest's sentences): zero-shot it should
 * predict the class well.
 */
class FewShotCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Path checkpoint;
  static double pretrainSeconds;

  static String document(Random r, boolean good) {
    return FinetuneJobTest.sentence(r, good) + "\nAnswer: " + (good ? "good" : "bad");
  }

  @BeforeAll
  static void pretrainedOnAnsweredSentences() throws Exception {
    long t0 = System.nanoTime();
    Random r = new Random(11);
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < 400; i++) docs.add(document(r, r.nextBoolean()));
    Map<String, Long> counts = new HashMap<>();
    for (String d : docs)
      for (String piece : Gpt2PreTokenizer.split(d + " ")) counts.merge(piece, 1L, Long::sum);
    BpeTokenizer tok = new BpeTrainer().setVocabSize(300).trainOnCounts(counts);
    int eot = tok.specialTokenId("<|endoftext|>");
    GptConfig cfg = GptConfig.tiny().setVocabSize(tok.vocabSize()).setContextLength(48);
    ComputationGraph lm = GptModel.create(cfg, 5e-3, 1);
    // documents as the packer lays them out: <|endoftext|> before each, several per window of
    // context + 1
    List<Integer> stream = new ArrayList<>();
    for (String d : docs) {
      stream.add(eot);
      for (int t : tok.encode(d)) stream.add(t);
    }
    int[][] seqs = new int[stream.size() / 49][];
    for (int i = 0; i < seqs.length; i++)
      seqs[i] = stream.subList(i * 49, i * 49 + 49).stream().mapToInt(x -> x).toArray();
    for (int step = 0; step < 120; step++) {
      int from = (step * 16) % (seqs.length - 16);
      lm.fit(GptBatch.fromSequences(Arrays.copyOfRange(seqs, from, from + 16), 48));
    }
    checkpoint = dir.resolve("ckpt");
    new Checkpoint(
            lm,
            HfTokenizerJson.toJson(tok, true).getBytes(StandardCharsets.UTF_8),
            tok.vocabSize(),
            new TrainingState())
        .save(checkpoint);
    pretrainSeconds = (System.nanoTime() - t0) / 1e9;
  }

  /**
   * JSON lines {"id","text","class"}: n rows alternating 1 (good) and 0 (bad), then extra raw
   * lines.
   */
  static Path task(String name, int n, long seed, String... extra) throws Exception {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      boolean good = i % 2 == 0;
      sb.append(
              JSON.writeValueAsString(
                  Map.of(
                      "id",
                      name + i,
                      "text",
                      FinetuneJobTest.sentence(r, good),
                      "class",
                      good ? 1 : 0)))
          .append('\n');
    }
    for (String e : extra) sb.append(e).append('\n');
    Path p = dir.resolve(name + ".jsonl");
    Files.writeString(p, sb.toString());
    return p;
  }

  static String[] args(Path out, String runId, String... more) throws Exception {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--checkpoint",
                checkpoint.toString(),
                "--train",
                task("train", 20, 1, "{\"id\": \"t-empty\", \"text\": \"\", \"class\": 1}")
                    .toString(),
                "--eval",
                task(
                        "eval",
                        40,
                        2,
                        "{\"id\": \"e-unknown\", \"text\": \"the day was warm\", \"class\": 7}",
                        "not json")
                    .toString(),
                "--label-column",
                "class",
                "--id-column",
                "id",
                "--label-words",
                "0=bad,1=good",
                "--output",
                out.toString(),
                "--run-id",
                runId,
                "--shots",
                "0"));
    for (int i = 0; i + 1 < more.length; i += 2) { // options in `more` replace the defaults above
      int at = a.indexOf(more[i]);
      if (at >= 0) a.set(at + 1, more[i + 1]);
      else a.addAll(List.of(more[i], more[i + 1]));
    }
    return a.toArray(new String[0]);
  }

  @Test
  void zeroShotPredictsWellWritesItsFilesQuarantinesAndIsIdempotent() throws Exception {
    Path out = dir.resolve("fs");
    String printed =
        Console.out(
            () -> {
              try {
                assertEquals(0, FewShotCommand.run(args(out, "zero")));
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    Path run = out.resolve("zero");
    assertTrue(Files.exists(run.resolve("_SUCCESS")), printed);
    assertTrue(printed.contains("examples/s"), printed);
    JsonNode m = JSON.readTree(run.resolve("metrics.json").toFile());
    double acc = m.path("evaluations").path("eval").path("accuracy").asDouble();
    System.out.printf(
        "fewshot test: zero-shot accuracy %.3f (pretraining %.1f s)%n", acc, pretrainSeconds);
    assertTrue(acc >= 0.8, "zero-shot accuracy " + acc + " (chance 0.5)\n" + printed);
    assertEquals(40, m.path("evaluations").path("eval").path("examples").asInt());
    assertEquals(
        "{\"0\":\"bad\",\"1\":\"good\"}", m.path("fewshot").path("label_words").toString());
    assertEquals(
        Checkpoint.digest(checkpoint), m.path("lineage").path("checkpoint_sha256").asText());
    assertEquals(
        io.github.sparkgpt.model.FileDigests.sha256(dir.resolve("eval.jsonl")),
        m.path("lineage").path("task_files_sha256").path("eval").asText());
    assertEquals(0, m.path("fewshot").path("shots_dropped").asInt());
    assertEquals(
        40,
        m.path("fewshot").path("sequences").asInt()); // " good" / " bad" are single tokens: shared
    assertTrue(m.path("evaluations").path("eval").path("per_class").has("1"));
    assertTrue(Files.readString(run.resolve("config.conf")).matches("(?s).*shots\\s*=\\s*0\n.*"));

    // quarantined: the empty train text, the unknown eval label, the malformed eval line
    List<String> rejected = Files.readAllLines(run.resolve("rejected.jsonl"));
    assertEquals(3, rejected.size(), rejected.toString());
    assertEquals(3, m.path("rejected").asInt());
    assertTrue(
        rejected.get(0).contains("\"split\":\"train\"")
            && rejected.get(0).contains("task_missing_field"),
        rejected.get(0));
    assertTrue(
        rejected.stream()
            .anyMatch(l -> l.contains("task_unknown_label") && l.contains("e-unknown")));
    assertTrue(rejected.stream().anyMatch(l -> l.contains("task_malformed_row")));

    List<String> preds = Files.readAllLines(run.resolve("predictions.jsonl"));
    assertEquals(40, preds.size());
    JsonNode p0 = JSON.readTree(preds.get(0));
    assertTrue(p0.path("id").asText().endsWith("#id=eval0"), p0.toString());
    assertEquals("1", p0.path("label").asText());
    double good = p0.path("scores").path("1").asDouble(),
        bad = p0.path("scores").path("0").asDouble();
    assertTrue(good < 0 && bad < 0, p0.toString());
    assertEquals(good > bad ? "1" : "0", p0.path("prediction").asText());

    // complete run: skipped, nothing rewritten
    long stamp = Files.getLastModifiedTime(run.resolve("metrics.json")).toMillis();
    String[] again = args(out, "zero");
    String outText = Console.out(() -> assertEquals(0, FewShotCommand.run(again)));
    assertTrue(outText.contains("already complete"), outText);
    assertEquals(stamp, Files.getLastModifiedTime(run.resolve("metrics.json")).toMillis());
  }

  @Test
  void fewShotDropsShotsThatDoNotFitAndRedoesAPartialRun() throws Exception {
    Path out = dir.resolve("fs2");
    Path run = out.resolve("two");
    Files.createDirectories(run);
    Files.writeString(run.resolve("stale.txt"), "left by a killed run");
    Files.writeString(run.resolve(TaskRunFiles.STARTED), "{}"); // which this project started
    String printed =
        Console.out(
            () -> {
              try {
                assertEquals(
                    0,
                    FewShotCommand.run(
                        args(out, "two", "--shots", "3", "--set", "normalize=mean")));
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    assertTrue(printed.contains("removing the incomplete run"), printed);
    assertFalse(Files.exists(run.resolve("stale.txt")));
    JsonNode m = JSON.readTree(run.resolve("metrics.json").toFile());
    // three ~15-token shots never fit a 48-token context next to a query: some are dropped from
    // every prompt
    assertTrue(m.path("fewshot").path("shots_dropped").asInt() >= 40, m.toString());
    assertEquals(3, m.path("fewshot").path("shots").asInt());
    assertEquals("mean", m.path("fewshot").path("normalize").asText());
    assertEquals(40, m.path("evaluations").path("eval").path("examples").asInt());
  }

  @Test
  void aForeignDirectoryNamedLikeTheRunIdIsRefusedAndKept() throws Exception {
    Path out = dir.resolve("fs4");
    Path foreign = Files.createDirectories(out.resolve("mine"));
    Files.writeString(foreign.resolve("notes.txt"), "not a run");
    String[] into = args(out, "mine");
    String err = Console.err(() -> assertEquals(2, FewShotCommand.run(into)));
    assertEquals(1, err.strip().lines().count(), err);
    assertTrue(err.contains(foreign + " exists but is not a run this project started"), err);
    assertEquals("not a run", Files.readString(foreign.resolve("notes.txt")));
    try (var s = Files.list(foreign)) {
      assertEquals(1, s.count(), "nothing added");
    }
  }

  @Test
  void usageErrorsAreOneLineWithExitCode2() throws Exception {
    Path out = dir.resolve("fs3");
    String[] tooMany = args(out, "x", "--shots", "500");
    String err = Console.err(() -> assertEquals(2, FewShotCommand.run(tooMany)));
    assertEquals(1, err.strip().lines().count(), err);
    assertTrue(err.contains("500 shots"), err);
    assertFalse(Files.exists(out.resolve("x")));

    String[] badTemplate = args(out, "y", "--template", "{text} is {sentiment}");
    err = Console.err(() -> assertEquals(2, FewShotCommand.run(badTemplate)));
    assertTrue(err.contains("{sentiment}") && err.contains("{text}, {label}"), err);

    err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    FewShotCommand.run(
                        "--checkpoint",
                        checkpoint.toString(),
                        "--eval",
                        dir.resolve("missing.jsonl").toString(),
                        "--label-words",
                        "0=bad,1=good",
                        "--output",
                        out.toString(),
                        "--run-id",
                        "z")));
    assertEquals(1, err.strip().lines().count(), err);
    assertTrue(err.contains("missing.jsonl"), err);

    String conf =
        Console.out(
            () ->
                assertEquals(
                    0,
                    FewShotCommand.run(
                        "--checkpoint",
                        "c",
                        "--eval",
                        "e",
                        "--output",
                        "o",
                        "--run-id",
                        "r",
                        "--print-config")));
    assertTrue(conf.contains("example_separator") && conf.contains("Answer: {label}"), conf);
  }

  @Test
  void multipleChoiceScoresTheAnswersAndSimilarityBothOrderings() throws Exception {
    Random r = new Random(4);
    StringBuilder mc = new StringBuilder(), sim = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      boolean good = i % 2 == 0, goodFirst = i % 4 < 2;
      mc.append(
              JSON.writeValueAsString(
                  Map.of(
                      "context",
                      FinetuneJobTest.sentence(r, good),
                      "answers",
                      goodFirst ? List.of("good", "bad") : List.of("bad", "good"),
                      "label",
                      good == goodFirst ? 0 : 1)))
          .append('\n');
      sim.append(
              JSON.writeValueAsString(
                  Map.of(
                      "a",
                      FinetuneJobTest.sentence(r, good),
                      "b",
                      FinetuneJobTest.sentence(r, good),
                      "label",
                      i % 3 == 0 ? "same" : "different")))
          .append('\n');
    }
    mc.append("{\"context\": \"the day\", \"answers\": [\"good\"], \"label\": 0}\n"); // one answer:
    // quarantined
    Files.writeString(dir.resolve("mc.jsonl"), mc.toString());
    Files.writeString(dir.resolve("sim.jsonl"), sim.toString());
    Path out = dir.resolve("fs4");

    assertEquals(
        0,
        FewShotCommand.run(
            "--checkpoint",
            checkpoint.toString(),
            "--task",
            "multiple_choice",
            "--eval",
            dir.resolve("mc.jsonl").toString(),
            "--train",
            dir.resolve("mc.jsonl").toString(),
            "--shots",
            "1",
            "--text-columns",
            "context,answers",
            "--template",
            "{context}\nAnswer: {answer}",
            "--normalize",
            "mean",
            "--output",
            out.toString(),
            "--run-id",
            "mc"));
    JsonNode m = JSON.readTree(out.resolve("mc").resolve("metrics.json").toFile());
    assertEquals(20, m.path("evaluations").path("eval").path("examples").asInt());
    assertEquals("[\"0\",\"1\"]", m.path("evaluations").path("eval").path("labels").toString());
    assertTrue(m.path("evaluations").path("eval").path("accuracy").asDouble() >= 0.8, m.toString());
    assertEquals(2, m.path("rejected").asInt()); // the one-answer row, in train and in eval
    assertTrue(
        Files.readString(out.resolve("mc").resolve("rejected.jsonl")).contains("task_field_count"));

    assertEquals(
        0,
        FewShotCommand.run(
            "--checkpoint",
            checkpoint.toString(),
            "--task",
            "similarity",
            "--eval",
            dir.resolve("sim.jsonl").toString(),
            "--text-columns",
            "a,b",
            "--label-words",
            "same=good,different=bad",
            "--output",
            out.toString(),
            "--run-id",
            "sim"));
    m = JSON.readTree(out.resolve("sim").resolve("metrics.json").toFile());
    assertEquals(20, m.path("evaluations").path("eval").path("examples").asInt());
    assertEquals(
        40,
        m.path("fewshot")
            .path("sequences")
            .asInt()); // both orderings of each pair, single-token words
    assertEquals(20, Files.readAllLines(out.resolve("sim").resolve("predictions.jsonl")).size());
  }
}
