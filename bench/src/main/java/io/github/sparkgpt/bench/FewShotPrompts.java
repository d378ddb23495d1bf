package io.github.sparkgpt.bench;

import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.util.List;

/**
 * Few-shot prompts in the sft template: solved examples, each {@code template(prompt) + answer} and
 * a blank line, then {@code template(query)}, so the answer is the completion's first line.
 * Examples are left out from the first on until the prompt fits {@code budget} tokens (the context
 * minus the answer's room), so the query itself is never cut.
 */
final class FewShotPrompts {
  static final String SEPARATOR = "\n\n";

  /** A prompt and how many solved examples it holds. */
  record Prompt(String text, int shots) {}

  private final ResponseTemplate template;
  private final List<AnswerRows.Row> examples;
  private final BpeTokenizer tokenizer;
  private final int budget;

  FewShotPrompts(
      ResponseTemplate template,
      List<AnswerRows.Row> examples,
      BpeTokenizer tokenizer,
      int budget) {
    this.template = template;
    this.examples = List.copyOf(examples);
    this.tokenizer = tokenizer;
    this.budget = budget;
  }

  Prompt prompt(String query) {
    String tail = template.render(query);
    for (int from = 0; from < examples.size(); from++) {
      StringBuilder s = new StringBuilder();
      for (AnswerRows.Row e : examples.subList(from, examples.size())) {
        s.append(template.render(e.prompt())).append(e.answers().get(0)).append(SEPARATOR);
      }
      String text = s.append(tail).toString();
      if (tokenizer.encode(text).length <= budget) return new Prompt(text, examples.size() - from);
    }
    return new Prompt(tail, 0);
  }
}
