package io.github.sparkgpt.jobs.task;

import java.util.ArrayList;
import java.util.List;

/**
 * Completes prompts with a language model: one completion (text only, prompt excluded) per prompt,
 * same order, each with its {@link io.github.sparkgpt.model.FinishReason}.
 */
@FunctionalInterface
public interface Completer {
  List<Completion> completions(List<String> prompts);

  /** The completions' texts, for callers that do not ask why they stopped. */
  default List<String> complete(List<String> prompts) {
    List<String> out = new ArrayList<>(prompts.size());
    for (Completion c : completions(prompts)) out.add(c.text());
    return out;
  }
}
