package io.github.sparkgpt.pipeline.task.sets.generative;

import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import java.nio.file.Path;
import java.util.Map;

/**
 * Preference pairs from the examples of LanguageTool's English rules ({@link LanguageToolRules}):
 * prompt {@code Write this sentence correctly:} (with the rule's short description as context when
 * it has one), rejected = the sentence as written, chosen = the marked words replaced by the first
 * correction. Split by rule id, so test rules are unseen in training; a pair whose correction
 * changes nothing is quarantined.
 */
public final class CorrectionPairsTask extends GenerativeSetBuilder {
  public static final String NAME = "languagetool-correction-pairs";
  public static final String INSTRUCTION = "Write this sentence correctly:";

  public CorrectionPairsTask(Path dir) {
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
      String prompt =
          e.hint().isEmpty() ? INSTRUCTION : INSTRUCTION.replace(":", " (" + e.hint() + "):");
      rows.addPair(
          e.id(),
          e.rule(),
          e.file(),
          prompt,
          e.corrected(e.corrections().get(0)),
          e.written(),
          Map.of("rule", e.rule()));
    }
    return rows.set(
        "Maven Central "
            + packageVersion(CorrectionTask.PACKAGE)
            + " ("
            + LanguageToolRules.FILES
            + ")",
        CorrectionTask.LICENCE,
        "one pair per rule example with a marker and a correction: rejected = the sentence as"
            + " written, chosen = the first correction applied; split by rule id");
  }
}
