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
 * The finetune job end to end on local[2]: a tiny LM briefly pretrained on sentences of the task's words, then
 * fine-tuned on a generated sentiment-like task (label = which of two word sets the sentence draws from).
 */
class FinetuneJobTest {
  private static final String[] GOOD = {"bright", "warm", "happy", "lovely", "sunny", "kind"};
  private static final String[] BAD = {"dark", "cold", "sad", "awful", "rainy", "cruel"};
  private static final String[] NEUTRAL = {"the", "day", "was", "and", "a", "river", "town", "very"};
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
    sb.append(' ').append((good ? GOOD : BAD)[r.nextInt(GOOD.length)]);   // every sentence carries its class word
    return sb.toString();
  }

  @BeforeAll
  static void pretrainedCheckpoint() throws Exception {
    Random r = new Random(5);
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 200; i++) corpus.add(sentence(r, r.nextBoolean()));
    Map<String, Long> counts = new HashMap<>();
    for (String s : corpus) for (String piece : Gpt2PreTokenizer.split(s + " ")) counts.merge(piece, 1L, Long::sum);
    BpeTokenizer tok = new BpeTrainer().setVocabSize(300).trainOnCounts(counts);
    GptConfig cfg = GptConfig.tiny().setVocabSize(tok.vocabSize()).setContextLength(32);
    ComputationGraph lm = GptModel.create(cfg, 3e-3, 1);
    int[][] seqs = corpus.stream().map(tok::encode).filter(s -> s.length >= 2 && s.length <= 33).toArray(int[][]::new);
    for (int step = 0; step < 20; step++) lm.fit(GptBatch.fromSequences(java.util.Arrays.copyOfRange(seqs, 0, 64), 32));    // a little "pretraining"
    checkpoint = dir.resolve("ckpt");
    new Checkpoint(lm, HfTokenizerJson.toJson(tok, true).getBytes(StandardCharsets.UTF_8), tok.vocabSize(),
        new TrainingState()).save(checkpoint);
  }

  /** A TSV with a header, n rows alternating the two classes, plus the given extra raw lines. */
  static Path task(String name, int n, long seed, boolean labelled, String... extra) throws Exception {
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
    List<String> a = new ArrayList<>(List.of("--master", "local[2]", "--checkpoint", checkpoint.toString(),
        "--task", "classification", "--train", task("train", 96, 1, true, "bad1\t\tpositive").toString(),
        "--validation", task("validation", 40, 2, true, "bad2\tthe day was warm\tmaybe").toString(),
        "--test", task("test", 12, 3, false).toString(),
        "--text-columns", "sentence", "--id-column", "id", "--output", out.toString(), "--run-id", runId,
        "--batch-size", "8", "--learning-rate", "1e-3", "--set", "averaging_frequency=2"));
    a.addAll(List.of("--epochs", "6"));
    for (int i = 0; i + 1 < more.length; i += 2) {            // options in `more` replace the defaults above
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
    double acc = m.path("validation").path("accuracy").asDouble();
    System.out.printf("finetune test: validation accuracy %.3f, macro-F1 %.3f, job %.1f s%n", acc,
        m.path("validation").path("macro_f1").asDouble(), secs);
    assertTrue(acc >= 0.85, "validation accuracy " + acc + " (chance 0.5)");
    assertEquals(40, m.path("validation").path("examples").asInt());
    assertEquals(96, m.path("train_examples").asInt());
    JsonNode confusion = m.path("validation").path("confusion_matrix");
    assertEquals(40, confusion.get(0).get(0).asInt() + confusion.get(0).get(1).asInt()
        + confusion.get(1).get(0).asInt() + confusion.get(1).get(1).asInt());
    assertTrue(m.path("validation").path("per_class").has("positive"));
    assertEquals("[\"negative\",\"positive\"]", JSON.readTree(run.resolve("labels.json").toFile()).path("labels").toString());

    // quarantined: an empty sentence in train, an unknown label in validation
    List<String> rejected = Files.readAllLines(run.resolve("rejected.jsonl"));
    assertEquals(2, rejected.size(), rejected.toString());
    assertEquals(2, m.path("rejected").asInt());
    assertTrue(rejected.get(0).contains("\"split\":\"train\"") && rejected.get(0).contains("task_missing_field"), rejected.get(0));
    assertTrue(rejected.get(1).contains("\"split\":\"validation\"") && rejected.get(1).contains("task_unknown_label"));

    // predictions for the unlabelled test rows, ids from the id column
    List<String> preds = Files.readAllLines(run.resolve("predictions.jsonl"));
    assertEquals(12, preds.size());
    JsonNode p0 = JSON.readTree(preds.get(0));
    assertTrue(p0.path("id").asText().endsWith("#id=test0"), p0.toString());
    int right = 0;
    for (int i = 0; i < preds.size(); i++) {
      if (JSON.readTree(preds.get(i)).path("prediction").asText().equals(i % 2 == 0 ? "positive" : "negative")) right++;
    }
    assertTrue(right >= 9, right + "/12 test predictions right");

    // the fine-tuned checkpoint loads back as a task network
    Checkpoint ft = Checkpoint.load(run.resolve("model"));
    assertEquals(2, GptTaskModel.layerOf(ft.network()).getNumClasses());

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
    assertEquals(0, FinetuneJob.run(args(out, "r", "--epochs", "1", "--lambda", "0", "--from-scratch", "true")));
    assertFalse(Files.exists(run.resolve("stale.txt")));
    assertTrue(Files.exists(run.resolve("_SUCCESS")));
    assertEquals(0.0, JSON.readTree(run.resolve("metrics.json").toFile()).path("training").path("lm_weight").asDouble());

    String err = Console.err(() -> assertEquals(2, FinetuneJob.run("--checkpoint", checkpoint.toString(),
        "--train", dir.resolve("missing.tsv").toString(), "--validation", dir.resolve("missing.tsv").toString(),
        "--output", out.toString(), "--run-id", "x")));
    assertEquals(1, err.strip().lines().count(), err);
    assertTrue(err.contains("missing.tsv"), err);
    // a fine-tuned checkpoint is refused as the starting point
    String[] fromFinetuned = args(out, "y", "--checkpoint", run.resolve("model").toString());
    err = Console.err(() -> assertEquals(2, FinetuneJob.run(fromFinetuned)));
    assertTrue(err.contains("fine-tuned"), err);
  }


}
