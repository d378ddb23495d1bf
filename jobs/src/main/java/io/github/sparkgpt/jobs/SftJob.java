package io.github.sparkgpt.jobs;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.sft.SftRun;
import io.github.sparkgpt.jobs.sft.SftSettings;
import io.github.sparkgpt.jobs.storage.TaskRunStaging;
import io.github.sparkgpt.jobs.task.TaskRun;
import io.github.sparkgpt.jobs.task.TaskSplits;
import io.github.sparkgpt.model.Checkpoint;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * spark-submit entry point of generative supervised fine-tuning (SFT): a language-model checkpoint
 * and prompt -> response files in, a run directory {@code <output>/<run-id>/} out with
 * rejected.jsonl, predictions.jsonl, metrics.json, report.html, the trained language model under
 * model/, config.conf and {@code _SUCCESS} (written last).
 */
@Command(
    name = "sft",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt sft " + Versions.PROJECT,
    description = {
      "Fine-tunes a language model on prompt -> response pairs with Spark (DL4J parameter"
          + " averaging):",
      "each row becomes template(prompt) + response + <|endoftext|>, and the loss counts the"
          + " response",
      "tokens only. Answers the validation (and test) prompts greedily and scores them by exact"
          + " match",
      "and token F1 (lower case, no punctuation or articles; the best over accepted answers: a"
          + " response",
      "cell may be a JSON array). The result is a language-model checkpoint under model/.",
      "Idempotent per run id: a complete run is skipped, a partial one is redone from scratch.",
      "",
      "Defaults: conf/sft.conf. Exit codes: 0 success or already complete, 1 failure while"
          + " running,",
      "2 bad usage or data.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  deploy/submit sft --checkpoint runs/small/checkpoints/step-000500 --train qa/train.jsonl"
          + " \\",
      "      --validation qa/validation.jsonl --test qa/test.jsonl --output sft --run-id qa",
      "  deploy/submit sft ... --prompt-column question --response-column answers \\",
      "      --template $'Q: {prompt}\\nA: ' --from-scratch"
    })
public final class SftJob implements Callable<Integer> {
  static final String JOB = "sft";

  @Mixin TrainingFiles files = new TrainingFiles();

  @Option(names = "--prompt-column", paramLabel = "COL", description = "(prompt_column)")
  String promptColumn;

  @Option(
      names = "--response-column",
      paramLabel = "COL",
      description = "A response, or a JSON array of accepted ones (response_column).")
  String responseColumn;

  @Option(names = "--id-column", paramLabel = "COL", description = "(id_column)")
  String idColumn;

  @Option(
      names = "--template",
      paramLabel = "TEXT",
      description = "The text before a response, with {prompt} once (template).")
  String template;

  @Option(
      names = "--from-scratch",
      arity = "0..1",
      description = "Do not use the checkpoint's weights, only its config and tokenizer.")
  Boolean fromScratch;

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
    return JobRunner.execute(JOB, new SftJob(), args);
  }

  @Override
  public Integer call() throws IOException {
    return runOptions.runOnce(JOB, options, namedOptions(), SftSettings::from, this::runLeased);
  }

  private Integer runLeased(Config config, SftSettings settings, TaskRunStaging staged)
      throws IOException {
    // Everything that can be refused is refused before Spark starts.
    Checkpoint start = ModelTools.loadLanguageModel(files.checkpoint);
    SftRun.Start from =
        new SftRun.Start(
            start,
            files.checkpoint,
            ModelTools.tokenizer(start, files.checkpoint),
            SftRun.maxLength(settings, start));
    TaskSplits splits = files.read(settings);
    SftRun.Data data = SftRun.encode(settings, from, splits);
    TaskRun run = TaskRun.start(JOB, staged, config);
    run.writeRejected(data.quarantine());
    run.requireRows(files.train, data.train().size(), "examples");
    run.requireRows(files.validation, data.validation().size(), "examples");
    System.out.printf(
        Locale.ROOT,
        "sft: train %d, validation %d%s examples; %d rows rejected, %d prompts cut to fit %d"
            + " tokens%n",
        data.train().size(),
        data.validation().size(),
        data.test() == null ? "" : ", test " + data.test().size(),
        data.quarantine().rejected(),
        data.encoder().truncatedPrompts(),
        from.maxLength());
    new SftRun(settings, options.master).train(from, data, run);
    return JobRunner.OK;
  }

  Map<String, Object> namedOptions() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("prompt_column", promptColumn);
    m.put("response_column", responseColumn);
    m.put("id_column", idColumn);
    m.put("template", template);
    m.put("from_scratch", fromScratch);
    m.put("epochs", epochs);
    m.put("learning_rate", learningRate);
    m.put("workers", workers);
    return m;
  }
}
