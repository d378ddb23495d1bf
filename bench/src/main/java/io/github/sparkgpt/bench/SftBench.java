package io.github.sparkgpt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.jobs.SftJob;
import io.github.sparkgpt.jobs.decode.GenerationSettings;
import io.github.sparkgpt.jobs.decode.TextCompleter;
import io.github.sparkgpt.jobs.sft.SftSettings;
import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.decode.DecoderWeights;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What generative fine-tuning learns on prompt -> response sets, side by side in one run: the sft
 * job from the pretrained checkpoint, the same job {@code --from-scratch}, few-shot prompting of
 * the pretrained model (K solved training examples in the sft template, the answer generated
 * greedily with the KV cache, its first line), the answer of the nearest training prompt by TF-IDF
 * cosine, and for sentence-rewriting sets the input sentence copied unchanged. Every number is
 * exact match / token F1 on the (capped) test split, scored with the sft job's AnswerMetrics, in
 * this run.
 *
 * <pre>
 * bench/run SftBench [--checkpoint DIR] [--data DIR] [--sets a,b] [--max-train N] [--max-validation N]
 *     [--max-test N] [--epochs N] [--shots K] [--template TEXT] [--copy-prefix TEXT] [--output DIR]
 *     [--set key=value ...] [--only sft,fewshot,retrieval]
 *   defaults: the latest checkpoint of runs/demo/pretrain, data/tasks/prepared,
 *   vera-acronyms,languagetool-corrections, 2000 / 200 / 300 rows, 3 epochs, 4 shots, the template
 *   of conf/sft.conf, "Correct this sentence: ", out/sft-bench (must not exist yet)</pre>
 *
 * Make the inputs with deploy/fetch-data and deploy/submit prepare-tasks.
 */
public final class SftBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Result(String set, String method, AnswerRows.Score score, double seconds) {}

  static final class Options {
    Path checkpoint;
    Path data = Path.of("data/tasks/prepared");
    List<String> sets = List.of("vera-acronyms", "languagetool-corrections");
    int maxTrain = 2000, maxValidation = 200, maxTest = 300, epochs = 3, shots = 4;
    String template = new SftSettings().getTemplate();
    String copyPrefix = "Correct this sentence: ";
    Path output = Path.of("out/sft-bench");
    List<String> sftSets = new ArrayList<>();
    List<String> only = List.of("sft", "fewshot", "retrieval");

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--checkpoint" -> o.checkpoint = Path.of(args[++i]);
          case "--data" -> o.data = Path.of(args[++i]);
          case "--sets" -> o.sets = List.of(args[++i].split(","));
          case "--max-train" -> o.maxTrain = positive(args[i], args[++i]);
          case "--max-validation" -> o.maxValidation = positive(args[i], args[++i]);
          case "--max-test" -> o.maxTest = positive(args[i], args[++i]);
          case "--epochs" -> o.epochs = positive(args[i], args[++i]);
          case "--shots" -> o.shots = Integer.parseInt(args[++i]);
          case "--template" -> o.template = args[++i];
          case "--copy-prefix" -> o.copyPrefix = args[++i];
          case "--output" -> o.output = Path.of(args[++i]);
          case "--set" -> o.sftSets.add(args[++i]);
          case "--only" -> o.only = List.of(args[++i].split(","));
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
      if (o.shots < 0) throw new IllegalArgumentException("--shots must be >= 0");
      ResponseTemplate.of("sft", o.template); // refuses a template without {prompt} before any work
      return o;
    }

    private static int positive(String name, String value) {
      int v = Integer.parseInt(value);
      if (v < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + v);
      return v;
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    if (o.checkpoint == null)
      o.checkpoint = FinetuneBench.latestCheckpoint(Path.of("runs/demo/pretrain/checkpoints"));
    // the bench writes only where nothing was before: its sft runs would otherwise be skipped
    if (Files.exists(o.output))
      throw new IllegalArgumentException(o.output + " exists: pass a new --output");
    Checkpoint cp = Checkpoint.load(o.checkpoint);
    BpeTokenizer tok =
        HfTokenizerJson.fromJson(
            new String(cp.tokenizer(), StandardCharsets.UTF_8),
            o.checkpoint.resolve(Checkpoint.TOKENIZER).toString());
    int maxNew = new SftSettings().getMaxNewTokens();
    System.out.printf(
        Locale.ROOT,
        "checkpoint %s (%,d parameters, context %d), sets %s from %s%n"
            + "rows: train <= %d, validation <= %d, test <= %d; sft: %d epochs, settings %s%n"
            + "few-shot: %d shots, greedy, <= %d new tokens, first line; template %s; %d cores%n",
        o.checkpoint,
        cp.config().parameterCount(),
        cp.config().getContextLength(),
        o.sets,
        o.data,
        o.maxTrain,
        o.maxValidation,
        o.maxTest,
        o.epochs,
        o.sftSets.isEmpty() ? "conf/sft.conf" : "conf/sft.conf + " + o.sftSets,
        o.shots,
        maxNew,
        JSON.writeValueAsString(o.template),
        Runtime.getRuntime().availableProcessors());

    List<Result> results = new ArrayList<>();
    for (String set : o.sets) {
      Path dir = o.output.resolve(set);
      Path in = o.data.resolve(set);
      List<AnswerRows.Row> train =
          AnswerRows.cap(in.resolve("train.jsonl"), dir.resolve("data/train.jsonl"), o.maxTrain);
      AnswerRows.cap(
          in.resolve("validation.jsonl"), dir.resolve("data/validation.jsonl"), o.maxValidation);
      List<AnswerRows.Row> test =
          AnswerRows.cap(in.resolve("test.jsonl"), dir.resolve("data/test.jsonl"), o.maxTest);
      System.out.printf(
          Locale.ROOT, "%n== %s: train %d, test %d rows%n", set, train.size(), test.size());
      if (o.only.contains("sft")) {
        for (String variant : List.of("pretrained", "from-scratch"))
          add(results, sft(o, set, dir, variant));
      }
      if (o.only.contains("fewshot")) add(results, fewShot(o, set, cp, tok, maxNew, train, test));
      if (o.only.contains("retrieval")) add(results, retrieval(set, train, test));
      if (test.stream().allMatch(r -> r.prompt().startsWith(o.copyPrefix)))
        add(results, copy(set, o.copyPrefix, test));
    }
    print(results);
  }

  private static Result sft(Options o, String set, Path dir, String variant) throws IOException {
    Path data = dir.resolve("data");
    List<String> a =
        new ArrayList<>(
            List.of(
                "--checkpoint", o.checkpoint.toString(),
                "--train", data.resolve("train.jsonl").toString(),
                "--validation", data.resolve("validation.jsonl").toString(),
                "--test", data.resolve("test.jsonl").toString(),
                "--id-column", "id",
                "--template", o.template,
                "--epochs", Integer.toString(o.epochs),
                "--output", dir.resolve("sft").toString(),
                "--run-id", variant));
    if (variant.equals("from-scratch")) a.add("--from-scratch");
    for (String s : o.sftSets) a.addAll(List.of("--set", s));
    long t0 = System.nanoTime();
    int exit = SftJob.run(a.toArray(new String[0]));
    if (exit != 0) throw new IllegalStateException("sft " + variant + " exited with " + exit);
    JsonNode m =
        JSON.readTree(dir.resolve("sft").resolve(variant).resolve("metrics.json").toFile());
    return new Result(
        set,
        "sft, " + variant,
        new AnswerRows.Score(
            m.at("/evaluations/test/exact_match").asDouble(),
            m.at("/evaluations/test/token_f1").asDouble()),
        (System.nanoTime() - t0) / 1e9);
  }

  private static Result fewShot(
      Options o,
      String set,
      Checkpoint cp,
      BpeTokenizer tok,
      int maxNew,
      List<AnswerRows.Row> train,
      List<AnswerRows.Row> test) {
    long t0 = System.nanoTime();
    FewShotPrompts layout =
        new FewShotPrompts(
            ResponseTemplate.of("sft", o.template),
            train.subList(0, Math.min(o.shots, train.size())),
            tok,
            cp.config().getContextLength() - maxNew);
    List<String> prompts = new ArrayList<>();
    long shots = 0;
    for (AnswerRows.Row r : test) {
      FewShotPrompts.Prompt p = layout.prompt(r.prompt());
      prompts.add(p.text());
      shots += p.shots();
    }
    GenerationSettings greedy =
        new GenerationSettings()
            .setTemperature(0)
            .setMaxNewTokens(maxNew)
            .setStop(List.of("\n"))
            .validate();
    List<String> answers =
        new TextCompleter(DecoderWeights.of(cp.network()), tok, greedy).complete(prompts);
    double mean = test.isEmpty() ? 0 : (double) shots / test.size();
    System.out.printf(
        Locale.ROOT, "few-shot: %.2f solved examples per prompt fit the context%n", mean);
    return new Result(
        set,
        String.format(Locale.ROOT, "%d-shot prompting, pretrained (%.1f fit)", o.shots, mean),
        AnswerRows.score(answers, test),
        (System.nanoTime() - t0) / 1e9);
  }

  private static Result retrieval(
      String set, List<AnswerRows.Row> train, List<AnswerRows.Row> test) {
    long t0 = System.nanoTime();
    PromptRetrieval index =
        new PromptRetrieval(train.stream().map(AnswerRows.Row::prompt).toList());
    List<String> answers = new ArrayList<>();
    for (AnswerRows.Row r : test)
      answers.add(train.get(index.nearest(r.prompt())).answers().get(0));
    return new Result(
        set,
        "nearest training prompt (TF-IDF cosine)",
        AnswerRows.score(answers, test),
        (System.nanoTime() - t0) / 1e9);
  }

  private static Result copy(String set, String prefix, List<AnswerRows.Row> test) {
    List<String> answers = new ArrayList<>();
    for (AnswerRows.Row r : test) answers.add(r.prompt().substring(prefix.length()));
    return new Result(set, "copy the input sentence", AnswerRows.score(answers, test), 0);
  }

  /** Keeps a result and prints it at once, so a later failure does not lose it. */
  private static void add(List<Result> results, Result r) {
    results.add(r);
    System.out.print(line("result: %s | %s | EM %.3f | F1 %.3f | %.0f s%n", r));
  }

  private static String line(String format, Result r) {
    return String.format(
        Locale.ROOT, format, r.set, r.method, r.score.exactMatch(), r.score.tokenF1(), r.seconds);
  }

  private static void print(List<Result> results) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "| %-24s | %-44s | %7s | %7s | %7s |%n",
        "set (test split)",
        "method",
        "EM",
        "F1",
        "seconds");
    System.out.println(
        "|"
            + "-".repeat(26)
            + "|"
            + "-".repeat(46)
            + "|"
            + "-".repeat(9)
            + "|"
            + "-".repeat(9)
            + "|"
            + "-".repeat(9)
            + "|");
    for (Result r : results)
      System.out.print(line("| %-24s | %-44s | %7.3f | %7.3f | %7.0f |%n", r));
  }
}
