package io.github.sparkgpt.jobs;

import io.github.sparkgpt.pipeline.task.sets.TaskSetBuilder;
import io.github.sparkgpt.pipeline.task.sets.generative.AcronymTask;
import io.github.sparkgpt.pipeline.task.sets.generative.CorrectionTask;
import io.github.sparkgpt.pipeline.task.sets.generative.DebianFaqTask;
import io.github.sparkgpt.pipeline.task.sets.generative.DictionaryTask;
import io.github.sparkgpt.pipeline.task.sets.generative.GenerativeSetBuilder;
import io.github.sparkgpt.pipeline.task.sets.generative.ManPageTask;
import io.github.sparkgpt.pipeline.task.sets.generative.PerlFaqTask;
import io.github.sparkgpt.pipeline.task.sets.generative.RiddleTask;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * prepare-tasks' prompt -> response sets and preference pairs (for sft and dpo), each read from the
 * directory deploy/fetch-data unpacks its package into ({@code DATA/<package>}), and their options.
 */
final class GenerativeTaskSets {
  @Option(
      names = "--max-prompt-words",
      paramLabel = "N",
      description =
          "Prompt -> response sets: longer prompts are quarantined. Default: ${DEFAULT-VALUE}.")
  int maxPromptWords = GenerativeSetBuilder.MAX_PROMPT_WORDS;

  @Option(
      names = "--max-response-words",
      paramLabel = "N",
      description =
          "Prompt -> response sets: longer responses (each accepted answer, each side of a pair)"
              + " are quarantined. Default: ${DEFAULT-VALUE}.")
  int maxResponseWords = GenerativeSetBuilder.MAX_RESPONSE_WORDS;

  /** Adds every set by name, in build order, reading {@code data} (the raw task data). */
  void register(Map<String, Supplier<TaskSetBuilder>> m, Supplier<Path> data) {
    for (DictionaryTask.Dictionary d : DictionaryTask.Dictionary.values())
      put(m, d.set, d.pkg, data, dir -> new DictionaryTask(d, dir));
    put(m, AcronymTask.NAME, AcronymTask.PACKAGE, data, AcronymTask::new);
    put(m, PerlFaqTask.NAME, PerlFaqTask.PACKAGE, data, PerlFaqTask::new);
    put(m, DebianFaqTask.NAME, DebianFaqTask.PACKAGE, data, DebianFaqTask::new);
    put(m, ManPageTask.NAME, ManPageTask.PACKAGE, data, ManPageTask::new);
    put(m, RiddleTask.NAME, RiddleTask.PACKAGE, data, RiddleTask::new);
    put(m, CorrectionTask.NAME, CorrectionTask.PACKAGE, data, CorrectionTask::sentences);
    put(m, CorrectionTask.PAIRS_NAME, CorrectionTask.PACKAGE, data, CorrectionTask::pairs);
  }

  private void put(
      Map<String, Supplier<TaskSetBuilder>> m,
      String name,
      String pkg,
      Supplier<Path> data,
      Function<Path, GenerativeSetBuilder> make) {
    m.put(
        name,
        () ->
            make.apply(data.get().resolve(pkg))
                .setMaxPromptWords(maxPromptWords)
                .setMaxResponseWords(maxResponseWords));
  }
}
