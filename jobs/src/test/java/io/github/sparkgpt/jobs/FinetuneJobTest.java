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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The finetune job end to end on local[2]: a tiny LM briefly pretrained on sentences of the task's
 * words, then fine-tuned on a generated sentiment-like task (label = which of two word sets the
 * sentence draws from).
 */
class FinetuneJobTest {
  private static final String[] GOOD = {"bright", "warm", "happy", "lovely", "sunny", "kind"};
  private static final String[] BAD = {"dark", "cold", "sad", "awful", "rainy", "cruel"};
  private static final String[] NEUTRAL = {
    "the", "day", "was", "and", "a", "river", "town", "very"
  };
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path checkpoint;

  static String sentence(Random r, boolean good) {
    StringBuilder sb = new StringBuilder();
    int n = 4 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      if (sb.length() > 0) sb.append(' ');
      String[] words = r.nextInt(3) == 0 ? (good ? GOOD : BAD) : NEUTRAL;
      sb.append(words[r.nextInt(words.length)]);
    }
    sb.append(' ')
        .append(
            (good ? GOOD : BAD)[r.nextInt(GOOD.length)]); // every sentence carries its class word
    return sb.toString();
  }

  @BeforeAll
  static void pretrainedCheckpoint() throws Exception {
    checkpoint = writeCheckpoint(dir.resolve("ckpt"));
  }

  /**
   * A tiny language model with a little "pretraining" on class-word sentences, saved as a
   * checkpoint at {@code target}.
   */
  static Path writeCheckpoint(Path target) throws Exception {
    Random r = new Random(5);
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 200; i++) corpus.add(sentence(r, r.nextBoolean()));
    Map<String, Long> counts = new HashMap<>();
    for (String s : corpus)
      for (String piece : Gpt2PreTokenizer.split(s + " ")) counts.merge(piece, 1L, Long::sum);
    BpeTokenizer tok = new BpeTrainer().setVocabSize(300).trainOnCounts(counts);
    GptConfig cfg = GptConfig.tiny().setVocabSize(tok.vocabSize()).setContextLength(32);
    ComputationGraph lm = GptModel.create(cfg, 3e-3, 1);
    int[][] seqs =
        corpus.stream()
            .map(tok::encode)
            .filter(s -> s.length >= 2 && s.length <= 33)
            .toArray(int[][]::new);
    for (int step = 0; step < 20; step++)
      lm.fit(
          GptBatch.fromSequences(
              java.util.Arrays.copyOfRange(seqs, 0, 64), 32)); // a little "pretraining"
    new Checkpoint(
            lm,
            HfTokenizerJson.toJson(tok, true).getBytes(StandardCharsets.UTF_8),
            tok.vocabSize(),
            new TrainingState())
        .save(target);
    return target;
  }

  /** A TSV with a header, n rows alternating the two classes, plus the given extra raw lines. */
  static Path task(String name, int n, long seed, boolean labelled, String... extra)
      throws Exception {
    return task(dir, name, n, seed, labelled, extra);
  }

  /** As {@link #task(String, int, long, boolean, String...)}, written into {@code dir}. */
  static Path task(Path dir, String name, int n, long seed, boolean labelled, String... extra)
      throws Exception {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder(labelled ? "id\tsentence\tlabel\n" : "id\tsentence\n");
    for (int i = 0; i < n; i++) {
      boolean good = i % 2 == 0;
      sb.append(name).append(i).append('\t').append(sentence(r, good));
      if (labelled) sb.append('\t').append(good ? "positive" : "negative");
      sb.append('\n');
    }
    for (String e : extra) sb.append(e).append('\n');
    Path p = dir.resolve(name + ".tsv");
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
                "--task",
                "classification",
                "--train",
                task("train", 96, 1, true, "bad1\t\tpositive").toString(),
                "--validation",
                task("validation", 40, 2, true, "bad2\tthe day was warm\tmaybe").toString(),
                "--test",
                task("test", 12, 3, false).toString(),
                "--text-columns",
                "sentence",
                "--id-column",
                "id",
                "--output",
                out.toString(),
                "--run-id",
                runId,
                "--batch-size",
                "8",
                "--learning-rate",
                "1e-3",
                "--set",
                "averaging_frequency=2"));
    a.addAll(List.of("--epochs", "6"));
    for (int i = 0; i + 1 < more.length; i += 2) { // options in `more` replace the defaults above
      int at = a.indexOf(more[i]);
      if (at >= 0) a.set(at + 1, more[i + 1]);
      else a.addAll(List.of(more[i], more[i + 1]));
    }
    return a.toArray(new String[0]);
  }

  @Test
  void finetunesBeatsChanceQuarantinesAndIsIdempotent() throws Exception {
    Path out = dir.resolve("ft");
    long t0 = System.nanoTime();
    assertEquals(0, FinetuneJob.run(args(out, "run1")));
    double secs = (System.nanoTime() - t0) / 1e9;
    Path run = out.resolve("run1");
    assertTrue(Files.exists(run.resolve("_SUCCESS")));

    JsonNode m = JSON.readTree(run.resolve("metrics.json").toFile());
    double acc = m.path("evaluations").path("validation").path("accuracy").asDouble();
    System.out.printf(
        "finetune test: validation accuracy %.3f, macro-F1 %.3f, job %.1f s%n",
        acc, m.path("evaluations").path("validation").path("macro_f1").asDouble(), secs);
    assertTrue(acc >= 0.85, "validation accuracy " + acc + " (chance 0.5)");
    assertEquals(40, m.path("evaluations").path("validation").path("examples").asInt());
    assertEquals(96, m.path("splits").path("train").path("kept").asInt());
    JsonNode confusion = m.path("evaluations").path("validation").path("confusion_matrix");
    assertEquals(
        40,
        confusion.get(0).get(0).asInt()
            + confusion.get(0).get(1).asInt()
            + confusion.get(1).get(0).asInt()
            + confusion.get(1).get(1).asInt());
    assertTrue(m.path("evaluations").path("validation").path("per_class").has("positive"));
    assertEquals(
        "[\"negative\",\"positive\"]",
        JSON.readTree(run.resolve("labels.json").toFile()).path("labels").toString());
    // lineage: the starting checkpoint's digest and the task files' sha256, in metrics.json and in
    // the model
    String start = Checkpoint.digest(checkpoint);
    assertEquals(start, m.path("lineage").path("checkpoint_sha256").asText());
    assertEquals(
        io.github.sparkgpt.model.FileDigests.sha256(dir.resolve("train.tsv")),
        m.path("lineage").path("task_files_sha256").path("train").asText());
    assertEquals(3, m.path("lineage").path("task_files_sha256").size());
    Checkpoint tuned = Checkpoint.load(run.resolve("model"));
    assertEquals(start, tuned.lineage().parentCheckpointSha256());
    assertEquals(
        m.path("lineage").path("task_files_sha256").path("validation").asText(),
        tuned.lineage().inputs().get("validation"));

    // quarantined: an empty sentence in train, an unknown label in validation
    List<String> rejected = Files.readAllLines(run.resolve("rejected.jsonl"));
    assertEquals(2, rejected.size(), rejected.toString());
    assertEquals(2, m.path("rejected").asInt());
    assertTrue(
        rejected.get(0).contains("\"split\":\"train\"")
            && rejected.get(0).contains("task_missing_field"),
        rejected.get(0));
    assertTrue(
        rejected.get(1).contains("\"split\":\"validation\"")
            && rejected.get(1).contains("task_unknown_label"));

    // predictions for the unlabelled test rows, ids from the id column
    List<String> preds = Files.readAllLines(run.resolve("predictions.jsonl"));
    assertEquals(12, preds.size());
    JsonNode p0 = JSON.readTree(preds.get(0));
    assertTrue(p0.path("id").asText().endsWith("#id=test0"), p0.toString());
    int right = 0;
    for (int i = 0; i < preds.size(); i++) {
      if (JSON.readTree(preds.get(i))
          .path("prediction")
          .asText()
          .equals(i % 2 == 0 ? "positive" : "negative")) right++;
    }
    assertTrue(right >= 9, right + "/12 test predictions right");

    // the fine-tuned checkpoint loads back as a task network
    Checkpoint ft = Checkpoint.load(run.resolve("model"));
    assertEquals(2, GptTaskModel.layerOf(ft.network()).getNumClasses());
    // ... and is refused, in one line, where a language model is needed (finetune, fewshot)
    String[] again2 = args(out, "run2", "--checkpoint", run.resolve("model").toString());
    String err = Console.err(() -> assertEquals(2, FinetuneJob.run(again2)));
    assertEquals(
        "finetune: error: --checkpoint "
            + run.resolve("model")
            + " is a fine-tuned model: pass a pretrained (language model) checkpoint",
        err.trim());

    // complete run: skipped, nothing rewritten
    long stamp = Files.getLastModifiedTime(run.resolve("metrics.json")).toMillis();
    String[] again = args(out, "run1");
    String outText = Console.out(() -> assertEquals(0, FinetuneJob.run(again)));
    assertTrue(outText.contains("already complete"), outText);
    assertEquals(stamp, Files.getLastModifiedTime(run.resolve("metrics.json")).toMillis());
  }

  @Test
  void partialRunIsRedoneCleanlyAndFailuresAreOneLine() throws Exception {
    Path out = dir.resolve("ft2");
    Path run = out.resolve("r");
    Files.createDirectories(run);
    Files.writeString(run.resolve("stale.txt"), "left by a killed run");
    Files.writeString(run.resolve(TaskRunFiles.STARTED), "{}"); // which this project started
    assertEquals(
        0,
        FinetuneJob.run(
            args(out, "r", "--epochs", "1", "--lambda", "0", "--from-scratch", "true")));
    assertFalse(Files.exists(run.resolve("stale.txt")));
    assertTrue(Files.exists(run.resolve("_SUCCESS")));
    assertEquals(
        0.0,
        JSON.readTree(run.resolve("metrics.json").toFile())
            .path("training")
            .path("lm_weight")
            .asDouble());

    String err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    FinetuneJob.run(
                        "--checkpoint",
                        checkpoint.toString(),
                        "--train",
                        dir.resolve("missing.tsv").toString(),
                        "--validation",
                        dir.resolve("missing.tsv").toString(),
                        "--output",
                        out.toString(),
                        "--run-id",
                        "x")));
    assertEquals(1, err.strip().lines().count(), err);
    assertTrue(err.contains("missing.tsv"), err);
    // a fine-tuned checkpoint is refused as the starting point
    String[] fromFinetuned = args(out, "y", "--checkpoint", run.resolve("model").toString());
    err = Console.err(() -> assertEquals(2, FinetuneJob.run(fromFinetuned)));
    assertTrue(err.contains("fine-tuned"), err);
  }

  @Test
  void frozenBlocksSurviveSparkAveragingBitForBitAndBadValuesAreRefused() throws Exception {
    Path out = dir.resolve("ft-freeze");
    assertEquals(
        0,
        FinetuneJob.run(
            withSets(args(out, "f", "--epochs", "1"), "freeze_blocks=1", "head_dropout=0.2")));
    JsonNode training = JSON.readTree(out.resolve("f/metrics.json").toFile()).path("training");
    assertEquals(1, training.path("freeze_blocks").asInt());
    assertEquals(0.2, training.path("head_dropout").asDouble());
    Map<String, org.nd4j.linalg.api.ndarray.INDArray> lm =
        Checkpoint.load(checkpoint).network().getLayer(GptModel.OUTPUT).paramTable();
    ComputationGraph tuned = Checkpoint.load(out.resolve("f/model")).network();
    Map<String, org.nd4j.linalg.api.ndarray.INDArray> task =
        tuned.getLayer(GptTaskModel.OUTPUT).paramTable();
    for (String name : lm.keySet()) {
      boolean frozen = GptTaskModel.layerOf(tuned).isFrozen(name);
      if (frozen)
        assertEquals(lm.get(name), task.get(name), name + " frozen through Spark averaging");
      else assertFalse(lm.get(name).equals(task.get(name)), name + " trained");
    }
    assertTrue(GptTaskModel.layerOf(tuned).isFrozen("wte"));

    for (String bad : new String[] {"freeze_blocks=99", "freeze_blocks=-1", "head_dropout=1.0"}) {
      String key = bad.substring(0, bad.indexOf('='));
      String[] a = withSets(args(out, "bad"), bad);
      String err = Console.err(() -> assertEquals(2, FinetuneJob.run(a)));
      assertTrue(err.contains(key), err);
    }
  }

  /**
   * {@code base} plus one {@code --set} per override (args() would replace its own --set instead).
   */
  static String[] withSets(String[] base, String... overrides) {
    List<String> a = new ArrayList<>(List.of(base));
    for (String o : overrides) a.addAll(List.of("--set", o));
    return a.toArray(new String[0]);
  }

  /**
   * A file of {@code n} generated rows, a header first (TSV) or one JSON object per line (jsonl),
   * plus extra raw lines.
   */
  static Path rows(
      String file,
      String header,
      int n,
      java.util.function.IntFunction<String> row,
      String... extra)
      throws Exception {
    StringBuilder sb = new StringBuilder(header.isEmpty() ? "" : header + "\n");
    for (int i = 0; i < n; i++) sb.append(row.apply(i)).append('\n');
    for (String e : extra) sb.append(e).append('\n');
    return Files.writeString(dir.resolve(file), sb.toString());
  }

  /**
   * The job's arguments for any task on local[2]: batches of 4 and 4 steps per averaging round, so
   * a few dozen examples still give ~30 optimizer steps in a handful of Spark rounds; {@code more}
   * adds or replaces options.
   */
  static String[] taskArgs(
      Path out,
      String runId,
      String task,
      Path train,
      Path validation,
      Path test,
      String textColumns,
      String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--master",
                "local[2]",
                "--checkpoint",
                checkpoint.toString(),
                "--task",
                task,
                "--train",
                train.toString(),
                "--validation",
                validation.toString(),
                "--test",
                test.toString(),
                "--text-columns",
                textColumns,
                "--id-column",
                "id",
                "--output",
                out.toString(),
                "--run-id",
                runId,
                "--batch-size",
                "4",
                "--learning-rate",
                "3e-3",
                "--set",
                "averaging_frequency=4",
                "--epochs",
                "4"));
    for (int i = 0; i + 1 < more.length; i += 2) {
      int at = a.indexOf(more[i]);
      if (at >= 0) a.set(at + 1, more[i + 1]);
      else a.addAll(List.of(more[i], more[i + 1]));
    }
    return a.toArray(new String[0]);
  }

  /**
   * A short phrase: 1..3 neutral words, then a good or bad word (pairs of them fit the 32-token
   * context).
   */
  static String phrase(Random r, boolean good) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1 + r.nextInt(3); i > 0; i--)
      sb.append(NEUTRAL[r.nextInt(NEUTRAL.length)]).append(' ');
    return sb.append((good ? GOOD : BAD)[r.nextInt(GOOD.length)]).toString();
  }

  /**
   * A tab-separated phrase pair of which {@code goodCount} (0..2) end in a good word, in random
   * order.
   */
  static String pair(Random r, int goodCount) {
    boolean firstGood = goodCount == 2 || (goodCount == 1 && r.nextBoolean());
    boolean secondGood = goodCount == 2 || (goodCount == 1 && !firstGood);
    return phrase(r, firstGood) + "\t" + phrase(r, secondGood);
  }

  @Test
  void similarityWithClassLabelsSumsBothOrderings() throws Exception {
    // label 1: both phrases end in a good word, 0: both in a bad one
    Random r = new Random(11);
    java.util.function.IntFunction<String> row =
        i -> "p" + i + "\t" + pair(r, i % 2 == 0 ? 2 : 0) + "\t" + (i % 2 == 0 ? 1 : 0);
    Path train = rows("sim-train.tsv", "id\ta\tb\tlabel", 64, row, "short\tonly one sentence\t\t1");
    Path val = rows("sim-val.tsv", "id\ta\tb\tlabel", 24, row);
    Path test = rows("sim-test.tsv", "id\ta\tb\tlabel", 6, row);
    Path out = dir.resolve("ft-sim");
    assertEquals(0, FinetuneJob.run(taskArgs(out, "s", "similarity", train, val, test, "a,b")));
    Path run = out.resolve("s");
    JsonNode m = JSON.readTree(run.resolve("metrics.json").toFile());
    assertEquals("sum", m.path("training").path("mode").asText());
    double acc = m.path("evaluations").path("validation").path("accuracy").asDouble();
    System.out.printf("similarity (labels): validation accuracy %.3f%n", acc);
    assertTrue(acc >= 0.8, "validation accuracy " + acc + " (chance 0.5)");
    assertEquals(24, m.path("evaluations").path("validation").path("examples").asInt());
    assertEquals(6, m.path("evaluations").path("test").path("examples").asInt());
    assertEquals(
        "[\"0\",\"1\"]",
        JSON.readTree(run.resolve("labels.json").toFile()).path("labels").toString());
    assertEquals(
        1, m.path("splits").path("train").path("rejected").path("task_missing_field").asInt());
    List<String> preds = Files.readAllLines(run.resolve("predictions.jsonl"));
    assertEquals(6, preds.size());
    assertEquals(2, JSON.readTree(preds.get(0)).path("probabilities").size());
    assertEquals(
        2, GptTaskModel.layerOf(Checkpoint.load(run.resolve("model")).network()).getSequences());
  }

  @Test
  void similarityWithScoresIsRegressionWithPearsonAndSpearman() throws Exception {
    // score = 2.5 x the number of phrases ending in a good word: 0, 2.5 or 5 (STS-B-like 0..5, with
    // ties)
    Random r = new Random(12);
    java.util.function.IntFunction<String> row =
        i -> "p" + i + "\t" + pair(r, i % 3) + "\t" + (2.5 * (i % 3));
    Path train =
        rows(
            "sts-train.tsv",
            "id\ta\tb\tscore",
            72,
            row,
            "bad\tthe day\tthe town\tvery similar",
            "inf\tthe day\tthe town\tInfinity");
    Path val = rows("sts-val.tsv", "id\ta\tb\tscore", 30, row);
    Path test =
        rows("sts-test.tsv", "id\ta\tb\tscore", 6, i -> "t" + i + "\t" + pair(r, i % 3) + "\t");
    Path out = dir.resolve("ft-sts");
    String console =
        Console.out(
            () ->
                assertEquals(
                    0,
                    FinetuneJob.run(
                        taskArgs(
                            out,
                            "s",
                            "similarity",
                            train,
                            val,
                            test,
                            "a,b",
                            "--label-column",
                            "score",
                            "--similarity-target",
                            "score"))));
    Path run = out.resolve("s");
    JsonNode m = JSON.readTree(run.resolve("metrics.json").toFile());
    assertEquals("regress", m.path("training").path("mode").asText());
    JsonNode v = m.path("evaluations").path("validation");
    double pearson = v.path("pearson").asDouble(),
        spearman = v.path("spearman").asDouble(),
        mse = v.path("mse").asDouble();
    System.out.printf(
        "similarity (scores): validation Pearson %.3f, Spearman %.3f, MSE %.3f%n",
        pearson, spearman, mse);
    assertEquals(30, v.path("examples").asInt());
    assertTrue(
        Double.isFinite(pearson) && Double.isFinite(spearman) && Double.isFinite(mse),
        v.toString());
    assertTrue(pearson > 0.6, "validation Pearson " + pearson);
    assertTrue(console.contains("Pearson") && console.contains("Spearman"), console);
    assertTrue(m.path("training").path("epochs").get(0).has("validation_pearson"));
    assertFalse(m.path("evaluations").has("test"), "the test rows carry no score");
    assertEquals(2, m.path("splits").path("train").path("rejected").path("task_bad_score").asInt());
    assertEquals(
        "score", JSON.readTree(run.resolve("labels.json").toFile()).path("target").asText());
    List<String> preds = Files.readAllLines(run.resolve("predictions.jsonl"));
    assertEquals(6, preds.size());
    JsonNode p0 = JSON.readTree(preds.get(0));
    assertTrue(
        p0.path("prediction").isDouble() && Double.isFinite(p0.path("prediction").asDouble()),
        p0.toString());
    assertFalse(p0.has("label"));
    assertEquals(
        1, GptTaskModel.layerOf(Checkpoint.load(run.resolve("model")).network()).getNumClasses());
  }

  @Test
  void multipleChoiceWithAnswersInAJsonArrayColumn() throws Exception {
    // context: neutral words; answers: a good and a bad phrase in random order; the right answer is
    // the good one
    Random r = new Random(13);
    java.util.function.IntFunction<String> tsv =
        i -> {
          int right = i % 2;
          String good = phrase(r, true), bad = phrase(r, false);
          String answers =
              right == 0
                  ? "[\"" + good + "\",\"" + bad + "\"]"
                  : "[\"" + bad + "\",\"" + good + "\"]";
          return "q"
              + i
              + "\t"
              + "the "
              + NEUTRAL[r.nextInt(NEUTRAL.length)]
              + " was\t"
              + answers
              + "\t"
              + right;
        };
    Path train =
        rows(
            "mc-train.tsv",
            "id\tcontext\tanswers\tlabel",
            64,
            tsv,
            "three\tthe day\t[\"warm\",\"cold\",\"dark\"]\t0",
            "bad\tthe day\t[\"warm\",\"cold\"]\t2");
    Path val = rows("mc-val.tsv", "id\tcontext\tanswers\tlabel", 24, tsv);
    Path test =
        rows(
            "mc-test.jsonl",
            "",
            4,
            i ->
                "{\"id\":\"t"
                    + i
                    + "\",\"context\":\"the day was sunny\","
                    + "\"answers\":[\"a "
                    + GOOD[i]
                    + "\",\"a "
                    + BAD[i]
                    + "\"]}");
    Path out = dir.resolve("ft-mc");
    assertEquals(
        0,
        FinetuneJob.run(
            taskArgs(out, "m", "multiple_choice", train, val, test, "context,answers")));
    Path run = out.resolve("m");
    JsonNode m = JSON.readTree(run.resolve("metrics.json").toFile());
    assertEquals("choice", m.path("training").path("mode").asText());
    JsonNode v = m.path("evaluations").path("validation");
    double acc = v.path("accuracy").asDouble();
    System.out.printf("multiple choice: validation accuracy %.3f%n", acc);
    assertEquals(24, v.path("examples").asInt());
    assertEquals(
        List.of("0", "1"),
        List.of(v.path("labels").get(0).asText(), v.path("labels").get(1).asText()));
    assertTrue(acc >= 0.8, "validation accuracy " + acc + " (chance 0.5)");
    assertTrue(v.has("macro_f1") && v.path("confusion_matrix").size() == 2, v.toString());
    assertEquals(
        1, m.path("splits").path("train").path("rejected").path("task_choice_count").asInt());
    assertEquals(
        1, m.path("splits").path("train").path("rejected").path("task_unknown_label").asInt());
    List<String> preds = Files.readAllLines(run.resolve("predictions.jsonl"));
    assertEquals(4, preds.size());
    int rightOnTest = 0;
    for (String line : preds) {
      JsonNode p = JSON.readTree(line);
      double p0 = p.path("probabilities").path("0").asDouble(),
          p1 = p.path("probabilities").path("1").asDouble();
      assertEquals(1.0, p0 + p1, 1e-6, line);
      assertEquals(p0 >= p1 ? "0" : "1", p.path("prediction").asText(), line);
      if (p.path("prediction").asText().equals("0")) rightOnTest++;
    }
    assertTrue(rightOnTest >= 3, rightOnTest + "/4 test questions answered with the good word");
    assertEquals(
        2, GptTaskModel.layerOf(Checkpoint.load(run.resolve("model")).network()).getSequences());
  }
}
