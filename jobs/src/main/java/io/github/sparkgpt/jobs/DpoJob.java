package io.github.sparkgpt.jobs;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.dpo.DpoRun;
import io.github.sparkgpt.jobs.dpo.DpoSettings;
import io.github.sparkgpt.jobs.storage.TaskRunStaging;
import io.github.sparkgpt.jobs.task.TaskRun;
import io.github.sparkgpt.jobs.task.TaskSplits;
import io.github.sparkgpt.model.Checkpoint;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * spark-submit entry point of preference tuning (direct preference optimisation): a language-model
 * checkpoint and (prompt, chosen, rejected) files in, a run directory {@code <output>/<run-id>/}
 * out with rejected.jsonl, metrics.json, report.html, the tuned language model under model/,
 * config.conf and {@code _SUCCESS} (written last).
 */
@Command(
    name = "dpo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt dpo " + Versions.PROJECT,
    description = {
      "Tunes a language model on preference pairs with Spark (DL4J parameter averaging): the"
          + " policy",
      "learns to raise log pi(chosen) - log ref(chosen) above log pi(rejected) - log"
          + " ref(rejected),",
      "where ref is the starting checkpoint, frozen (its log-probs are computed once, on the"
          + " executors).",
      "Responses are encoded as sft encodes them (template(prompt) + response + <|endoftext|>),",
      "except that a response whose finish reason is length (cut at the sampling limit, as",
      "preference-pairs marks it) gets no <|endoftext|>; rows without the column ended.",
      "After every epoch: validation preference accuracy, reward margin, log ratios and"
          + " KL(policy || ref)",
      "per token on sampled completions. The result is a language-model checkpoint under model/.",
      "Idempotent per run id: a complete run is skipped, a partial one is redone from scratch.",
      "",
      "Defaults: conf/dpo.conf. Exit codes: 0 success or already complete, 1 failure while"
          + " running,",
      "2 bad usage or data.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  deploy/submit dpo --checkpoint sft/qa/model --pairs prefs/train.jsonl \\",
      "      --validation prefs/validation.jsonl --output dpo --run-id qa --beta 0.1"
    })
public final class DpoJob implements Callable<Integer> {
  static final String JOB = "dpo";

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "DIR",
      description =
          "A language-model checkpoint directory (pretrain, sft or import); {date} is replaced by"
              + " the UTC date, as in --run-id, so a schedule can name that day's sft run.")
  String checkpoint;

  @Option(
      names = "--pairs",
      required = true,
      paramLabel = "FILE",
      description = "Training pairs (csv, tsv, jsonl, json).")
  String pairs;

  @Option(
      names = "--validation",
      required = true,
      paramLabel = "FILE",
      description = "Validation pairs.")
  String validation;

  @Option(names = "--beta", paramLabel = "B", description = "> 0 (beta)")
  Double beta;

  @Option(names = "--loss", paramLabel = "LOSS", description = "sigmoid or ipo (loss)")
  String loss;

  @Option(names = "--label-smoothing", paramLabel = "E", description = "(label_smoothing)")
  Double labelSmoothing;

  @Option(names = "--prompt-column", paramLabel = "COL", description = "(prompt_column)")
  String promptColumn;

  @Option(names = "--chosen-column", paramLabel = "COL", description = "(chosen_column)")
  String chosenColumn;

  @Option(names = "--rejected-column", paramLabel = "COL", description = "(rejected_column)")
  String rejectedColumn;

  @Option(names = "--id-column", paramLabel = "COL", description = "(id_column)")
  String idColumn;

  @Option(names = "--template", paramLabel = "TEXT", description = "With {prompt} (template).")
  String template;

  @Option(names = "--epochs", paramLabel = "N", description = "(epochs)")
  Integer epochs;

  @Option(names = "--learning-rate", paramLabel = "LR", description = "(learning_rate)")
  Double learningRate;

  @Option(names = "--workers", paramLabel = "N", description = "0 = default parallelism (workers)")
  Integer workers;

  @Mixin RunOptions runOptions = new RunOptions();

  @Mixin JobOptions options = new JobOptions();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return JobRunner.execute(JOB, new DpoJob(), args);
  }

  @Override
  public Integer call() throws IOException {
    return runOptions.runOnce(JOB, options, namedOptions(), DpoSettings::from, this::runLeased);
  }

  private Integer runLeased(Config config, DpoSettings settings, TaskRunStaging staged)
      throws IOException {
    // Everything that can be refused is refused before Spark starts.
    String dir = TaskRunFiles.expandRunId(checkpoint, LocalDate.now(ZoneOffset.UTC));
    Checkpoint start = ModelTools.loadLanguageModel(dir);
    DpoRun.Start from = new DpoRun.Start(start, dir, ModelTools.tokenizer(start, dir));
    TaskSplits splits = TaskSplits.read(settings, "train", pairs, "validation", validation);
    DpoRun.Data data = DpoRun.encode(settings, from, splits);
    TaskRun run = TaskRun.start(JOB, staged, config);
    run.writeRejected(data.quarantine());
    run.requireRows(pairs, data.train().size(), "pairs");
    run.requireRows(validation, data.validation().size(), "pairs");
    System.out.printf(
        "dpo: train %d, validation %d pairs; %d rows rejected%n",
        data.train().size(), data.validation().size(), data.quarantine().rejected());
    new DpoRun(settings, options.master).train(from, data, run);
    return JobRunner.OK;
  }

  Map<String, Object> namedOptions() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("beta", beta);
    m.put("loss", loss);
    m.put("label_smoothing", labelSmoothing);
    m.put("prompt_column", promptColumn);
    m.put("chosen_column", chosenColumn);
    m.put("rejected_column", rejectedColumn);
    m.put("id_column", idColumn);
    m.put("template", template);
    m.put("epochs", epochs);
    m.put("learning_rate", learningRate);
    m.put("workers", workers);
    return m;
  }
}
