package io.github.sparkgpt.jobs.task;

import java.util.List;

/**
 * Completes prompts with a language model: one completion (text only, prompt excluded) per prompt,
 * same order.
 */
@FunctionalInterface
public interface Completer {
  List<String> complete(List<String> prompts);
}
