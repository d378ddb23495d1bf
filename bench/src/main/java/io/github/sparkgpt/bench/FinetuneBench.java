package io.github.sparkgpt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.jobs.FewShotCommand;
import io.github.sparkgpt.jobs.FinetuneJob;
import io.github.sparkgpt.jobs.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * What pretraining buys on a held-out split of a real task, side by side in one run: the finetune
 * job from the pretrained checkpoint, the same job {@code --from-scratch} (GPT-1's ablation), zero-
 * and few-shot scoring by the pretrained model's likelihood (no weight update), and a TF-IDF +
 * logistic regression baseline in Spark MLlib. Every number is test-split accuracy / macro-F1
 * measured in this run.
 *
 * <pre>
 * bench/run FinetuneBench [--checkpoint DIR] [--task DIR] [--conf FILE] [--shots K] [--output DIR]
 *     [--set key=value ...] [--only finetune,fewshot,tfidf]
 *   defaults: the latest checkpoint of runs/demo/pretrain, data/tasks/prepared/sentiment (train/validation/test.jsonl),
 *   conf/demo-finetune.conf, 4 shots, out/finetune-bench</pre>
 *
 * Make the inputs with deploy/demo (or deploy/submit prepare-tasks and a pretrain run).
 */
public final class FinetuneBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Row(
      String method, double accuracy, double macroF1, double validationAccuracy, double seconds) {}

  public static void main(String[] args) throws Exception {
    Path checkpoint = null;
    Path task = Path.of("data/tasks/prepared/sentiment");
    String conf = "conf/demo-finetune.conf";
    int shots = 4;
    Path output = Path.of("out/finetune-bench");
    List<String> sets = new ArrayList<>();
    List<String> only = List.of("finetune", "fewshot", "tfidf");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--checkpoint" -> checkpoint = Path.of(args[++i]);
        case "--task" -> task = Path.of(args[++i]);
        case "--conf" -> conf = args[++i];
        case "--shots" -> shots = Integer.parseInt(args[++i]);
        case "--output" -> output = Path.of(args[++i]);
        case "--set" -> sets.add(args[++i]);
        case "--only" -> only = List.of(args[++i].split(","));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (checkpoint == null && !only.equals(List.of("tfidf")))
      checkpoint = latestCheckpoint(Path.of("runs/demo/pretrain/checkpoints"));
    String train = task.resolve("train.jsonl").toString();
    String validation = task.resolve("validation.jsonl").toString();
    String test = task.resolve("test.jsonl").toString();
    deleteTree(output);
    System.out.printf(
        Locale.ROOT,
        "checkpoint %s, task %s, conf %s, %d cores%n",
        checkpoint,
        task,
        conf,
        Runtime.getRuntime().availableProcessors());

    List<Row> rows = new ArrayList<>();
    for (String variant :
        only.contains("finetune") ? List.of("pretrained", "from-scratch") : List.<String>of()) {
      List<String> a =
          new ArrayList<>(
              List.of(
                  "--checkpoint",
                  checkpoint.toString(),
                  "--conf",
                  conf,
                  "--train",
                  train,
                  "--validation",
                  validation,
                  "--test",
                  test,
                  "--text-columns",
                  "text",
                  "--label-column",
                  "label",
                  "--output",
                  output.toString(),
                  "--run-id",
                  variant));
      if (variant.equals("from-scratch")) a.add("--from-scratch");
      for (String s : sets) a.addAll(List.of("--set", s));
      long t0 = System.nanoTime();
      check(FinetuneJob.run(a.toArray(new String[0])), "finetune " + variant);
      JsonNode m = JSON.readTree(output.resolve(variant).resolve("metrics.json").toFile());
      rows.add(
          new Row(
              "fine-tuned, " + variant,
              m.at("/evaluations/test/accuracy").asDouble(),
              m.at("/evaluations/test/macro_f1").asDouble(),
              m.at("/evaluations/validation/accuracy").asDouble(),
              (System.nanoTime() - t0) / 1e9));
    }

    for (int k : only.contains("fewshot") ? new int[] {0, shots} : new int[0]) {
      String id = k + "-shot";
      long t0 = System.nanoTime();
      check(
          FewShotCommand.run(
              "--checkpoint",
              checkpoint.toString(),
              "--train",
              train,
              "--eval",
              test,
              "--text-columns",
              "text",
              "--label-column",
              "label",
              "--shots",
              Integer.toString(k),
              "--output",
              output.toString(),
              "--run-id",
              id),
          "fewshot " + id);
      JsonNode m = JSON.readTree(output.resolve(id).resolve("metrics.json").toFile());
      rows.add(
          new Row(
              (k == 0 ? "zero-shot" : k + "-shot") + " (pretrained likelihood of the label word)",
              m.at("/evaluations/eval/accuracy").asDouble(),
              m.at("/evaluations/eval/macro_f1").asDouble(),
              Double.NaN,
              (System.nanoTime() - t0) / 1e9));
    }

    if (only.contains("tfidf")) {
      SparkSession spark = SparkSessions.create("tfidf-baseline", "local[*]", new SparkConf());
      try {
        TfidfBaseline.Result b = TfidfBaseline.run(spark, train, validation, test, "text", "label");
        rows.add(
            new Row(
                "TF-IDF + logistic regression (MLlib, regParam " + b.regParam() + ")",
                b.test().accuracy(),
                b.test().macroF1(),
                b.validation().accuracy(),
                b.seconds()));
      } finally {
        spark.stop();
      }
    }

    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "| %-58s | %13s | %13s | %14s | %8s |%n",
        "method (" + task.getFileName() + ", test split)",
        "test accuracy",
        "test macro-F1",
        "val accuracy",
        "seconds");
    System.out.println(
        "|"
            + "-".repeat(60)
            + "|"
            + "-".repeat(15)
            + "|"
            + "-".repeat(15)
            + "|"
            + "-".repeat(16)
            + "|"
            + "-".repeat(10)
            + "|");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %-58s | %13.4f | %13.4f | %14.4f | %8.0f |%n",
          r.method,
          r.accuracy,
          r.macroF1,
          r.validationAccuracy,
          r.seconds);
    }
    if (!only.contains("finetune")) return;
    double gap = 100 * (rows.get(0).accuracy - rows.get(1).accuracy);
    System.out.printf(
        Locale.ROOT,
        "%npretrained - from scratch: %+.1f accuracy points on the test split (target >= +5.0)%n",
        gap);
  }

  static Path latestCheckpoint(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("step-"))
          .max(Comparator.naturalOrder())
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "no checkpoint in " + dir + ": run deploy/demo or pass --checkpoint"));
    }
  }

  private static void check(int exit, String what) {
    if (exit != 0) throw new IllegalStateException(what + " exited with " + exit);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
    }
  }
}
