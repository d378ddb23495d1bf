package io.github.sparkgpt.jobs;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.fewshot.FewShotRun;
import io.github.sparkgpt.jobs.fewshot.FewShotSettings;
import io.github.sparkgpt.jobs.fewshot.PromptTemplate;
import io.github.sparkgpt.jobs.fewshot.ShotSampler;
import io.github.sparkgpt.jobs.storage.TaskRunStaging;
import io.github.sparkgpt.jobs.task.Quarantine;
import io.github.sparkgpt.jobs.task.TaskLabels;
import io.github.sparkgpt.jobs.task.TaskRun;
import io.github.sparkgpt.jobs.task.TaskSplits;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Zero-/few-shot evaluation of a pretrained language model (in-context learning, no weight update),
 * on one machine: every candidate answer is scored by its log-likelihood after a prompt of K solved
 * training examples and the query; the prediction is the best-scored candidate. Output {@code
 * <output>/<run-id>/}: metrics.json, predictions.jsonl, rejected.jsonl, config.conf and {@code
 * _SUCCESS} (written last).
 */
@Command(
    name = "fewshot",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt fewshot " + Versions.PROJECT,
    description = {
      "Evaluates a pretrained GPT by in-context learning (GPT-2/GPT-3 style, no training). Each"
          + " example",
      "becomes a prompt: K solved examples drawn from --train (seeded; the same K for every query),"
          + " each",
      "followed by example_separator, then the query. Each candidate (a label's word from"
          + " label_words,",
      "or a multiple-choice answer) is scored by sum log P(candidate tokens | prompt), or the mean"
          + " per",
      "token with --normalize mean; the prediction is the best score. A prompt longer than the"
          + " model's",
      "context loses shots from the front first, then the query is cut from the left (both"
          + " counted).",
      "Templates (templates.<task>, or --template) use named placeholders:",
      "  classification {text} {label}     entailment {premise} {hypothesis} {label}",
      "  similarity {text_a} {text_b} {label} (both orderings, averaged)",
      "  multiple_choice {context} {answer}",
      "Reports accuracy, macro-F1, per-class precision/recall and the confusion matrix like"
          + " finetune.",
      "Runs on this machine (no Spark). Idempotent per run id: a complete run is skipped, a partial"
          + " one",
      "is redone from scratch.",
      "",
      "Defaults: conf/fewshot.conf. Exit codes: 0 success or already complete, 1 failure while"
          + " running,",
      "2 bad usage or data.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  deploy/submit fewshot --checkpoint runs/demo/pretrain/checkpoints/step-000120 \\",
      "      --train yelp.json --eval amazon.json --label-column class \\",
      "      --label-words 0=negative,1=positive --shots 4 --output fewshot --run-id"
          + " sentiment-4shot",
      "  deploy/submit fewshot ... --task multiple_choice --text-columns context,answers"
          + " --normalize mean"
    })
public final class FewShotCommand implements Callable<Integer> {
  static final String JOB = "fewshot";

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "DIR",
      description = "A pretrained (language model) checkpoint directory.")
  String checkpoint;

  @Option(
      names = "--train",
      paramLabel = "FILE",
      description = "Where shots are drawn from, and the label set unless label_words gives it.")
  String train;

  @Option(
      names = "--eval",
      required = true,
      paramLabel = "FILE",
      description = "Examples to predict (csv, tsv, jsonl, json); labelled ones are scored.")
  String eval;

  @Option(
      names = "--shots",
      paramLabel = "K",
      description = "Solved examples in each prompt; 0 = zero-shot (shots).")
  Integer shots;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the shot draw (seed).")
  Long seed;

  @Option(
      names = "--template",
      paramLabel = "TEXT",
      description = "Prompt template for this run, overriding templates.<task> (template).")
  String template;

  @Option(
      names = "--label-words",
      split = ",",
      paramLabel = "LABEL=WORDS",
      description =
          "Verbalizer: the word(s) scored for each label, e.g. 0=negative,1=positive"
              + " (label_words).")
  Map<String, String> labelWords;

  @Option(
      names = "--normalize",
      paramLabel = "MODE",
      description = "sum or mean (per candidate token) log-likelihood (normalize).")
  String normalize;

  @Option(
      names = "--batch-size",
      paramLabel = "B",
      description = "Sequences per forward pass (batch_size).")
  Integer batchSize;

  @Mixin TaskOptions taskOptions = new TaskOptions();

  @Mixin JobOptions options = new JobOptions();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return JobRunner.execute(JOB, new FewShotCommand(), args);
  }

  @Override
  public Integer call() throws IOException {
    return taskOptions.runOnce(
        JOB, options, namedOptions(), FewShotSettings::from, this::runLeased);
  }

  private Integer runLeased(Config config, FewShotSettings settings, TaskRunStaging staged)
      throws IOException {
    // Everything that can be refused is refused before the output directory is touched.
    PromptTemplate prompt = new PromptTemplate(settings.taskType(), settings.effectiveTemplate());
    Checkpoint cp = ModelTools.loadLanguageModel(checkpoint);
    BpeTokenizer tokenizer = ModelTools.tokenizer(cp, checkpoint);
    if (settings.getShots() > 0 && train == null)
      throw new UsageException(
          "--shots " + settings.getShots() + " needs --train to draw them from");
    TaskSplits files = TaskSplits.read(settings, "train", train, "eval", eval);
    TaskLabels labels = FewShotRun.labels(settings, files);
    Quarantine quarantine = new Quarantine();
    List<TaskExample> pool =
        !files.has("train")
            ? List.of()
            : kept("train", labels.labelled(files.rows("train")), quarantine);
    List<TaskExample> queries = kept("eval", labels.labelledOrNot(files.rows("eval")), quarantine);
    ShotSampler<TaskExample> sampler;
    try {
      sampler =
          new ShotSampler<>(
              pool, settings.getShots(), settings.getSeed(), settings.isResampleShots());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--shots: " + e.getMessage() + " in " + train);
    }
    TaskRun run = TaskRun.start(JOB, staged, config);
    new FewShotRun(settings, cp, tokenizer, prompt, labels.labels())
        .run(queries, sampler, quarantine, run, files, checkpoint);
    return JobRunner.OK;
  }

  private static List<TaskExample> kept(
      String split, TaskReader.Result read, Quarantine quarantine) {
    quarantine.split(split, read.examples().size(), read.rejected());
    return read.examples();
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
