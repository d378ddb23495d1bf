package io.github.sparkgpt.pipeline.task.sets.generative;

import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * "Correct this sentence: ..." -> the corrected sentence, from the examples of LanguageTool's
 * English rules ({@link LanguageToolRules}): the marked words replaced by each correction (a JSON
 * array when the rule offers several; the first is the rule's preferred one). The split key is the
 * rule id, so the rules of the test split are unseen in training. Examples without a correction or
 * with other than one marker are quarantined.
 */
public final class CorrectionTask extends GenerativeSetBuilder {
  public static final String NAME = "languagetool-corrections";
  public static final String PACKAGE = "languagetool-en";
  static final String LICENCE = "LGPL-2.1-or-later (LanguageTool rule files)";

  public CorrectionTask(Path dir) {
    super(dir);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TaskSet build() {
    validate();
    Rows rows = new Rows("lt");
    for (LanguageToolRules.Example e : LanguageToolRules.read(dir)) {
      if (e.problem() != null) {
        rows.reject(e.id(), e.file(), e.problem(), null, e.written());
        continue;
      }
      List<String> answers = e.corrections().stream().map(e::corrected).distinct().toList();
      rows.add(
          e.id(),
          e.rule(),
          e.file(),
          "Correct this sentence: " + e.written(),
          answers,
          Map.of("rule", e.rule()));
    }
    return rows.set(
        "Maven Central " + packageVersion(PACKAGE) + " (" + LanguageToolRules.FILES + ")",
        LICENCE,
        "one row per rule example with a marker and a correction; the response is the sentence"
            + " with the marked words replaced by each correction; split by rule id (a rule group's"
            + " id for its rules)");
  }
}
