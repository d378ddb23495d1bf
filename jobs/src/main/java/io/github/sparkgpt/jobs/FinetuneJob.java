package io.github.sparkgpt.jobs;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.finetune.FinetuneChecks;
import io.github.sparkgpt.jobs.finetune.FinetuneRun;
import io.github.sparkgpt.jobs.finetune.FinetuneSettings;
import io.github.sparkgpt.jobs.finetune.TaskTokens;
import io.github.sparkgpt.jobs.storage.TaskRunStaging;
import io.github.sparkgpt.jobs.task.TaskLabels;
import io.github.sparkgpt.jobs.task.TaskRun;
import io.github.sparkgpt.jobs.task.TaskSplits;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * spark-submit entry point of GPT-1 supervised fine-tuning: a pretrained checkpoint and task files
 * in, a run directory {@code <output>/<run-id>/} out with labels.json, rejected.jsonl,
 * metrics.json, predictions.jsonl (test), the fine-tuned checkpoint under model/, config.conf and
 * {@code _SUCCESS} (written last).
 */
@Command(
    name = "finetune",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt finetune " + Versions.PROJECT,
    description = {
      "Fine-tunes a pretrained GPT on a labelled task (GPT-1: head on the extract token, auxiliary"
          + " LM loss",
      "x lambda) with Spark (DL4J parameter averaging). The four GPT-1 tasks and their input"
          + " transforms:",
      "  classification   text                               -> class",
      "  entailment       premise $ hypothesis               -> class",
      "  similarity       a $ b and b $ a, states summed     -> class, or a real-valued score with",
      "                                                         --similarity-target score (e.g."
          + " STS-B",
      "                                                         0..5; squared-error regression)",
      "  multiple_choice  context $ answer_k for each answer -> index of the right answer (softmax",
      "                                                         over the answers' scores)",
      "Evaluates on validation (and test): accuracy, macro-F1, per-class precision/recall and the"
          + " confusion",
      "matrix for classes and answer indices; Pearson, Spearman and MSE for scores.",
      "Idempotent per run id: a complete run is skipped, a partial one is redone from scratch.",
      "",
      "Defaults: conf/finetune.conf. Exit codes: 0 success or already complete, 1 failure while"
          + " running,",
      "2 bad usage or data.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  deploy/submit finetune --checkpoint runs/small/checkpoints/step-000500 --task"
          + " classification \\",
      "      --train sst2/train.tsv --validation sst2/dev.tsv --text-columns sentence --output ft"
          + " --run-id sst2",
      "  deploy/submit finetune ... --task entailment --text-columns premise,hypothesis --lambda 0",
      "  deploy/submit finetune ... --task similarity --text-columns sentence1,sentence2 \\",
      "      --label-column score --similarity-target score",
      "  deploy/submit finetune ... --task multiple_choice --text-columns context,answers",
      "      (answers: a JSON array; or one column each: --text-columns context,a0,a1,a2,a3)"
    })
public final class FinetuneJob implements Callable<Integer> {
  static final String JOB = "finetune";

  @Mixin TrainingFiles files = new TrainingFiles();

  @Option(
      names = "--similarity-target",
      paramLabel = "KIND",
      description =
          "Similarity labels: label (classes) or score (a real number; regression)"
              + " (similarity_target).")
  String similarityTarget;

  @Option(
      names = "--from-scratch",
      arity = "0..1",
      description = "Do not use the checkpoint's weights, only its config and tokenizer.")
  Boolean fromScratch;

  @Option(
      names = "--lambda",
      paramLabel = "W",
      description = "Auxiliary LM loss weight, 0 = off (lm_weight).")
  Double lambda;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Passes over the training set (epochs).")
  Integer epochs;

  @Option(
      names = "--batch-size",
      paramLabel = "B",
      description = "Examples per worker per step (batch_size).")
  Integer batchSize;

  @Option(
      names = "--learning-rate",
      paramLabel = "LR",
      description = "Adam peak learning rate (learning_rate).")
  Double learningRate;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Data-parallel workers; 0 = default parallelism (workers).")
  Integer workers;

  @Mixin TaskOptions taskOptions = new TaskOptions();

  @Mixin JobOptions options = new JobOptions();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return JobRunner.execute(JOB, new FinetuneJob(), args);
  }

  @Override
  public Integer call() throws IOException {
    return taskOptions.runOnce(
        JOB, options, namedOptions(), FinetuneSettings::from, this::runLeased);
  }

  private Integer runLeased(Config config, FinetuneSettings settings, TaskRunStaging staged)
      throws IOException {
    // Everything that can be refused is refused before Spark starts.
    FinetuneRun.Start start = start(settings);
    TaskSplits splits = files.read(settings);
    TaskLabels labels =
        TaskLabels.of(
            settings.taskType(), settings.isScore(), List.of(), splits.rows("train"), files.train);
    TaskRun run = TaskRun.start(JOB, staged, config);
    Map<String, Object> labelsJson = new LinkedHashMap<>();
    labelsJson.put("task", settings.taskType().key());
    labelsJson.put("target", labels.isScore() ? "score" : "label");
    if (!labels.isScore()) labelsJson.put("labels", labels.labels().names());
    run.writeJson("labels.json", labelsJson);
    FinetuneRun.Data data = FinetuneRun.encode(settings, start, splits, labels);
    run.writeRejected(data.quarantine());
    if (data.train().size() == 0) {
      throw new UsageException(
          files.train
              + ": no usable training examples (see "
              + run.dir().resolve(TaskRun.REJECTED)
              + ")");
    }
    System.out.printf(
        Locale.ROOT,
        "finetune: %s, %s; train %d, validation %d%s examples; %d rows rejected, "
            + "%d sequences truncated to %d tokens%n",
        settings.taskType().key(),
        labels.isScore()
            ? "real-valued scores"
            : labels.labels().size() + " labels " + labels.labels().names(),
        data.train().size(),
        data.validation().size(),
        data.test() == null ? "" : ", test " + data.test().size(),
        data.quarantine().rejected(),
        data.encoder().truncatedSequences(),
        start.maxLength());
    if (start.taskTokens().grown())
      System.out.println("finetune: " + start.taskTokens().describe(settings.isFromScratch()));
    new FinetuneRun(settings, files.checkpoint, options.master).train(start, data, run);
    return JobRunner.OK;
  }

  private FinetuneRun.Start start(FinetuneSettings settings) {
    Checkpoint pretrained = ModelTools.loadLanguageModel(files.checkpoint);
    // A tokenizer without <|start|>, <|delim|>, <|extract|> gets them at ids V..; the model grows
    // to match.
    TaskTokens.Result taskTokens =
        TaskTokens.ensure(ModelTools.tokenizer(pretrained, files.checkpoint));
    BpeTokenizer tokenizer = taskTokens.tokenizer();
    GptConfig model = pretrained.config().copy().setVocabSize(tokenizer.vocabSize());
    int maxLength = FinetuneChecks.maxLength(settings, model);
    return new FinetuneRun.Start(pretrained, taskTokens, tokenizer, model, maxLength);
  }

  Map<String, Object> namedOptions() {
    Map<String, Object> m = new LinkedHashMap<>();
    taskOptions.putInto(m);
    m.put("similarity_target", similarityTarget);
    m.put("from_scratch", fromScratch);
    m.put("lm_weight", lambda);
    m.put("epochs", epochs);
    m.put("batch_size", batchSize);
    m.put("learning_rate", learningRate);
    m.put("workers", workers);
    return m;
  }
}
