package io.github.sparkgpt.jobs;

import io.github.sparkgpt.jobs.report.RunReport;
import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.fewshot.CandidateScorer;
import io.github.sparkgpt.jobs.fewshot.FewShotSettings;
import io.github.sparkgpt.jobs.fewshot.NetworkLogProbs;
import io.github.sparkgpt.jobs.fewshot.PromptBuilder;
import io.github.sparkgpt.jobs.fewshot.PromptBuilder.Prompt;
import io.github.sparkgpt.jobs.fewshot.PromptTemplate;
import io.github.sparkgpt.jobs.fewshot.ShotSampler;
import io.github.sparkgpt.jobs.finetune.ClassificationMetrics;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.Inference;
import io.github.sparkgpt.pipeline.Preprocessor;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.LabelMap;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.task.TaskType;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import io.github.sparkgpt.jobs.storage.ShownPaths;
import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.TaskRunStaging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Zero-/few-shot evaluation of a pretrained language model (in-context learning, no weight update), on one
 * machine: every candidate answer is scored by its log-likelihood after a prompt of K solved training examples
 * and the query; the prediction is the best-scored candidate. Output {@code <output>/<run-id>/}: metrics.json,
 * predictions.jsonl, rejected.jsonl, config.conf and {@code _SUCCESS} (written last).
 */
@Command(name = "fewshot", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 100,
    version = "sparkgpt fewshot " + Versions.PROJECT,
    description = {
        "Evaluates a pretrained GPT by in-context learning (GPT-2/GPT-3 style, no training). Each example",
        "becomes a prompt: K solved examples drawn from --train (seeded; the same K for every query), each",
        "followed by example_separator, then the query. Each candidate (a label's word from label_words,",
        "or a multiple-choice answer) is scored by sum log P(candidate tokens | prompt), or the mean per",
        "token with --normalize mean; the prediction is the best score. A prompt longer than the model's",
        "context loses shots from the front first, then the query is cut from the left (both counted).",
        "Templates (templates.<task>, or --template) use named placeholders:",
        "  classification {text} {label}     entailment {premise} {hypothesis} {label}",
        "  similarity {text_a} {text_b} {label} (both orderings, averaged)",
        "  multiple_choice {context} {answer}",
        "Reports accuracy, macro-F1, per-class precision/recall and the confusion matrix like finetune.",
        "Runs on this machine (no Spark). Idempotent per run id: a complete run is skipped, a partial one",
        "is redone from scratch.",
        "",
        "Defaults: conf/fewshot.conf. Exit codes: 0 success or already complete, 1 failure while running,",
        "2 bad usage or data.",
        ""},
    footer = {"", "Examples:",
        "  deploy/submit fewshot --checkpoint runs/demo/pretrain/checkpoints/step-000120 \\",
        "      --train yelp.json --eval amazon.json --label-column class \\",
        "      --label-words 0=negative,1=positive --shots 4 --output fewshot --run-id sentiment-4shot",
        "  deploy/submit fewshot ... --task multiple_choice --text-columns context,answers --normalize mean"})
public final class FewShotCommand implements Callable<Integer> {
  static final String JOB = "fewshot";

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A pretrained (language model) checkpoint directory.")
  String checkpoint;

  @Option(names = "--train", paramLabel = "FILE", description = "Where shots are drawn from, and the label set unless label_words gives it.")
  String train;

  @Option(names = "--eval", required = true, paramLabel = "FILE", description = "Examples to predict (csv, tsv, jsonl, json); labelled ones are scored.")
  String eval;

  @Option(names = "--shots", paramLabel = "K", description = "Solved examples in each prompt; 0 = zero-shot (shots).")
  Integer shots;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the shot draw (seed).")
  Long seed;

  @Option(names = "--template", paramLabel = "TEXT", description = "Prompt template for this run, overriding templates.<task> (template).")
  String template;

  @Option(names = "--label-words", split = ",", paramLabel = "LABEL=WORDS",
      description = "Verbalizer: the word(s) scored for each label, e.g. 0=negative,1=positive (label_words).")
  Map<String, String> labelWords;

  @Option(names = "--normalize", paramLabel = "MODE", description = "sum or mean (per candidate token) log-likelihood (normalize).")
  String normalize;

  @Option(names = "--batch-size", paramLabel = "B", description = "Sequences per forward pass (batch_size).")
  Integer batchSize;

  @Mixin
  TaskOptions taskOptions = new TaskOptions();

  @Mixin
  JobOptions options = new JobOptions();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return JobRunner.execute(JOB, new FewShotCommand(), args);
  }

  /** One query's prompt(s) (similarity: both orderings) and where its scores go. */
  private record Query(TaskExample example, int label, int firstPrompt, int prompts, int[][] candidates) {}

  @Override
  public Integer call() throws IOException {
    try (Storage storage = new Storage()) {
      return call(storage);
    }
  }

  private Integer call(Storage storage) throws IOException {
    Config config = options.load(JOB, namedOptions());
    if (config == null) return JobRunner.OK; // --print-config
    FewShotSettings settings = FewShotSettings.from(config);
    TaskRunStaging staged = taskOptions.runDirectory(storage);
    return staged.runOnce(JOB, options.leasePolicy(), () -> runLeased(config, settings, staged.local(), staged));
  }

  private Integer runLeased(Config config, FewShotSettings settings, Path run, TaskRunStaging staged) throws IOException {
    // Everything that can be refused is refused before the output directory is touched.
    TaskType taskType = settings.taskType();
    PromptTemplate prompt = new PromptTemplate(taskType, settings.effectiveTemplate());
    Checkpoint cp = ModelTools.loadLanguageModel(checkpoint);
    BpeTokenizer tokenizer = ModelTools.tokenizer(cp, checkpoint);
    if (settings.getShots() > 0 && train == null) throw new UsageException("--shots " + settings.getShots() + " needs --train to draw them from");
    TaskReader reader = new TaskReader().setFormat(settings.getFormat()).setInputColumns(settings.getTextColumns())
        .setLabelColumn(settings.getLabelColumn()).setIdColumn(settings.getIdColumn()).validate();
    Configuration hadoop = new Configuration();
    TaskReader.Result trainRead = train == null ? null : reader.read(train, hadoop);
    TaskReader.Result evalRead = reader.read(eval, hadoop);
    Map<String, String> taskFiles = LineageFiles.taskFiles(hadoop, "train", train, "eval", eval);
    LabelMap labels = labelsOf(taskType, settings, trainRead, evalRead);
    List<String> words = new ArrayList<>();
    for (String name : labels.names()) words.add(settings.getLabelWords().getOrDefault(name, name));

    List<Map<String, Object>> rejected = new ArrayList<>();
    Map<String, Object> metrics = new LinkedHashMap<>();
    List<TaskExample> pool = trainRead == null ? List.of()
        : usable("train", taskType, TaskReader.applyLabels(trainRead, labels), labels, rejected, metrics);
    List<TaskExample> queries = usable("eval", taskType, labelledOrNot(evalRead, labels), labels, rejected, metrics);
    ShotSampler<TaskExample> sampler;
    try {
      sampler = new ShotSampler<>(pool, settings.getShots(), settings.getSeed(), settings.isResampleShots());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--shots: " + e.getMessage() + " in " + train);
    }

    TaskRunFiles.startFresh(JOB, run);
    Files.writeString(run.resolve("config.conf"), JobConfig.render(JOB, config));

    // Prompts: one per query (two for similarity), candidates in label order (multiple choice: answer order).
    int start = settings.isStartWithEndOfText() && tokenizer.hasSpecialToken(Preprocessor.END_OF_TEXT)
        ? tokenizer.specialTokenId(Preprocessor.END_OF_TEXT) : -1;
    PromptBuilder builder = new PromptBuilder(tokenizer, settings.getExampleSeparator(), start, cp.config().getContextLength());
    List<Prompt> prompts = new ArrayList<>();
    List<Query> built = new ArrayList<>();
    long tooLong = 0;
    for (TaskExample e : queries) {
      List<String> demos = new ArrayList<>();
      for (TaskExample shot : sampler.next()) demos.add(prompt.demonstration(shot.inputs(), answerOf(taskType, shot, labels, words)));
      List<List<String>> orderings = new ArrayList<>(List.of(e.inputs()));
      if (taskType == TaskType.SIMILARITY) orderings.add(List.of(e.inputs().get(1), e.inputs().get(0)));
      List<Prompt> mine = new ArrayList<>();
      try {
        for (List<String> fields : orderings) {
          List<String> candidates = new ArrayList<>();
          List<String> answers = taskType == TaskType.MULTIPLE_CHOICE ? e.inputs().subList(1, e.inputs().size()) : words;
          for (String a : answers) candidates.add(prompt.candidateText(fields, a.strip()));
          mine.add(builder.build(demos, prompt.queryPrefix(fields), candidates));
        }
      } catch (PromptBuilder.TooLong x) {
        tooLong++;
        rejected.add(TaskRunFiles.rejectedRow("eval", new RejectedDocument(e.id(), eval, "fewshot_prompt", "fewshot_too_long",
            x.getMessage(), String.join(" | ", e.inputs()))));
        continue;
      }
      built.add(new Query(e, e.label() == null ? -1 : labels.indexOf(e.label()), prompts.size(), mine.size(),
          mine.get(0).candidates()));
      prompts.addAll(mine);
    }
    TaskRunFiles.writeJsonLines(run.resolve("rejected.jsonl"), rejected);
    if (built.isEmpty()) throw new UsageException(eval + ": no usable examples (see " + run.resolve("rejected.jsonl") + ")");
    System.out.printf(Locale.ROOT, "fewshot: %s, %d-shot, %d candidates %s; %d queries, %d prompts; %d rows rejected; "
            + "%d shots dropped and %d queries cut to fit the context of %d%n", taskType.key(), settings.getShots(),
        taskType == TaskType.MULTIPLE_CHOICE ? labels.size() : words.size(),
        taskType == TaskType.MULTIPLE_CHOICE ? "(answers)" : words.toString(), built.size(), prompts.size(),
        rejected.size(), builder.shotsDropped(), builder.truncated(), cp.config().getContextLength());

    // Score every prompt's candidates in length-sorted batches.
    CandidateScorer scorer = new CandidateScorer(new NetworkLogProbs(new Inference(cp.network())), settings.getBatchSize());
    long t0 = System.nanoTime();
    long[] lastPrint = {t0};
    double queryCount = built.size();
    double[][] sums = scorer.logLikelihoods(prompts, (done, total) -> {
      long now = System.nanoTime();
      if (now - lastPrint[0] > 10_000_000_000L || done == total) {
        lastPrint[0] = now;
        double secs = (now - t0) / 1e9;
        System.out.printf(Locale.ROOT, "fewshot: scored %d/%d sequences, %.1f examples/s%n", done, total,
            queryCount * done / total / secs);
      }
    });
    double seconds = (System.nanoTime() - t0) / 1e9;

    ClassificationMetrics m = new ClassificationMetrics(labels.names());
    List<Map<String, Object>> predictions = new ArrayList<>();
    for (Query q : built) {
      double[] scores = new double[q.candidates().length];
      for (int p = q.firstPrompt(); p < q.firstPrompt() + q.prompts(); p++) {
        double[] s = CandidateScorer.normalized(sums[p], prompts.get(p).candidates(), settings.normalizeMode());
        for (int c = 0; c < scores.length; c++) scores[c] += s[c] / q.prompts();
      }
      int predicted = CandidateScorer.argmax(scores);
      if (q.label() >= 0) m.add(q.label(), predicted);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", q.example().id());
      row.put("prediction", labels.name(predicted));
      Map<String, Double> byName = new LinkedHashMap<>();
      for (int c = 0; c < scores.length; c++) byName.put(labels.name(c), scores[c]);
      row.put("scores", byName);
      if (q.label() >= 0) row.put("label", labels.name(q.label()));
      predictions.add(row);
    }
    TaskRunFiles.writeJsonLines(run.resolve("predictions.jsonl"), predictions);

    metrics.put("task", taskType.key());
    metrics.put("checkpoint", checkpoint.toString());
    metrics.put("lineage", LineageFiles.taskRun(cp, checkpoint, taskFiles));
    metrics.put("shots", settings.getShots());
    metrics.put("seed", settings.getSeed());
    metrics.put("normalize", settings.getNormalize());
    metrics.put("template", settings.effectiveTemplate());
    if (taskType != TaskType.MULTIPLE_CHOICE) {
      Map<String, String> verbalizer = new LinkedHashMap<>();
      for (int c = 0; c < labels.size(); c++) verbalizer.put(labels.name(c), words.get(c));
      metrics.put("label_words", verbalizer);
    }
    metrics.put("rejected", rejected.size());
    metrics.put("too_long", tooLong);
    metrics.put("shots_dropped", builder.shotsDropped());
    metrics.put("truncated", builder.truncated());
    metrics.put("sequences", scorer.sequences());
    metrics.put("seconds", seconds);
    metrics.put("examples_per_second", built.size() / seconds);
    metrics.put("eval", m.toMap());
    TaskRunFiles.writeJson(run.resolve("metrics.json"), metrics);
    RunReport.tryWrite(new RunReport.Options().setTasks(List.of(run)), run.resolve(RunReport.FILE));
    new ShownPaths().add(run, staged.target()).rewrite(run.resolve(RunReport.FILE));
    TaskRunFiles.markComplete(run);
    staged.publish();
    System.out.printf(Locale.ROOT, "fewshot: done in %.1f s (%.1f examples/s, %d sequences); %d labelled: accuracy %.4f, "
        + "macro-F1 %.4f; %s%n", seconds, built.size() / seconds, scorer.sequences(), m.count(), m.accuracy(), m.macroF1(), staged.target());
    return JobRunner.OK;
  }

  /** Multiple choice: answer indices up to the most answers seen; else label_words' labels, or the training labels. */
  private LabelMap labelsOf(TaskType taskType, FewShotSettings s, TaskReader.Result trainRead, TaskReader.Result evalRead) {
    LabelMap labels;
    if (taskType == TaskType.MULTIPLE_CHOICE) {
      int most = 0;
      for (TaskReader.Result r : trainRead == null ? List.of(evalRead) : List.of(trainRead, evalRead)) {
        for (TaskExample e : r.examples()) most = Math.max(most, e.inputs().size() - 1);
      }
      List<String> names = new ArrayList<>();
      for (int k = 0; k < most; k++) names.add(Integer.toString(k));
      if (names.isEmpty()) throw new UsageException(eval + ": no usable examples");
      labels = new LabelMap(names);
    } else if (!s.getLabelWords().isEmpty()) {
      labels = LabelMap.fromLabels(s.getLabelWords().keySet());
    } else if (trainRead != null) {
      labels = LabelMap.fromLabels(trainRead.examples().stream().map(TaskExample::label).toList());
    } else {
      throw new UsageException("without --train the labels are unknown: give label_words (--label-words 0=negative,1=positive)");
    }
    if (labels.size() < 2) {
      throw new UsageException("needs at least 2 candidate labels, found " + labels.names() + " (label_column '"
          + s.getLabelColumn() + "' of " + (train == null ? eval : train) + ", or label_words)");
    }
    return labels;
  }

  /** Eval rows may come without a label (predicted, not scored); a label outside the label set is quarantined. */
  private static TaskReader.Result labelledOrNot(TaskReader.Result in, LabelMap labels) {
    List<TaskExample> unlabelled = in.examples().stream().filter(e -> e.label() == null).toList();
    TaskReader.Result labelled = TaskReader.applyLabels(new TaskReader.Result(
        in.examples().stream().filter(e -> e.label() != null).toList(), in.rejected()), labels);
    List<TaskExample> all = new ArrayList<>(labelled.examples());
    all.addAll(unlabelled);
    return new TaskReader.Result(all, labelled.rejected());
  }

  /** The examples with the task's number of fields (multiple choice: a right answer among its own); rejections kept. */
  private static List<TaskExample> usable(String split, TaskType taskType, TaskReader.Result read, LabelMap labels,
                                          List<Map<String, Object>> rejected, Map<String, Object> metrics) {
    List<RejectedDocument> drops = new ArrayList<>(read.rejected());
    List<TaskExample> ok = new ArrayList<>();
    int expected = PromptTemplate.fieldNames(taskType).size();
    for (TaskExample e : read.examples()) {
      int n = e.inputs().size();
      String problem = null;
      if (taskType == TaskType.MULTIPLE_CHOICE) {
        if (n < 3) problem = "a context and at least 2 answers needed, got " + n + " fields";
        else if (e.label() != null && labels.indexOf(e.label()) >= n - 1) problem = "answer " + e.label() + " of " + (n - 1) + " answers";
      } else if (n != expected) {
        problem = taskType.key() + " takes " + expected + " text columns, got " + n;
      }
      if (problem == null) ok.add(e);
      else drops.add(new RejectedDocument(e.id(), null, "fewshot_prompt", "task_field_count", problem, String.join(" | ", e.inputs())));
    }
    Map<String, Long> reasons = new LinkedHashMap<>();
    for (RejectedDocument d : drops) {
      rejected.add(TaskRunFiles.rejectedRow(split, d));
      reasons.merge(d.reason(), 1L, Long::sum);
    }
    metrics.put(split + "_examples", ok.size());
    metrics.put(split + "_rejected", reasons);
    return ok;
  }

  /** A shot's right answer: its label's word, or (multiple choice) the text of its right answer. */
  private static String answerOf(TaskType taskType, TaskExample e, LabelMap labels, List<String> words) {
    int y = labels.indexOf(e.label());
    return (taskType == TaskType.MULTIPLE_CHOICE ? e.inputs().get(1 + y) : words.get(y)).strip();
  }

  Map<String, Object> namedOptions() {
    Map<String, Object> m = new LinkedHashMap<>();
    taskOptions.putInto(m);
    m.put("shots", shots);
    m.put("seed", seed);
    m.put("template", template);
    m.put("label_words", labelWords);
    m.put("normalize", normalize);
    m.put("batch_size", batchSize);
    return m;
  }
}
