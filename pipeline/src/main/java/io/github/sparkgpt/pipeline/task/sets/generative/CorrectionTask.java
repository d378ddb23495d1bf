package io.github.sparkgpt.pipeline.task.sets.generative;

import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Two sets from the examples of LanguageTool's English rules ({@link LanguageToolRules}), both
 * split by rule id so that the rules of the test split are unseen in training; examples without a
 * correction or with other than one marker are quarantined.
 *
 * <ul>
 *   <li>{@link #sentences}: "Correct this sentence: S" -> S with the marked words replaced by each
 *       correction (a JSON array when the rule offers several; the first is the rule's preferred
 *       one).
 *   <li>{@link #pairs}: preference pairs, prompt {@code Write this sentence correctly:} (with the
 *       rule's short description as context when it has one), rejected = S as written, chosen = the
 *       first correction applied; a pair whose correction changes nothing is quarantined.
 * </ul>
 */
public final class CorrectionTask extends GenerativeSetBuilder {
  public static final String NAME = "languagetool-corrections";
  public static final String PAIRS_NAME = "languagetool-correction-pairs";
  public static final String PACKAGE = "languagetool-en";
  public static final String INSTRUCTION = "Write this sentence correctly:";

  private final boolean pairs;

  private CorrectionTask(String name, Path dir, boolean pairs) {
    super(name, "lt", dir);
    this.pairs = pairs;
  }

  public static CorrectionTask sentences(Path dir) {
    return new CorrectionTask(NAME, dir, false);
  }

  public static CorrectionTask pairs(Path dir) {
    return new CorrectionTask(PAIRS_NAME, dir, true);
  }

  @Override
  protected TaskSet build(Rows rows) {
    for (LanguageToolRules.Example e : LanguageToolRules.read(dir)) {
      if (e.problem() != null) {
        rows.reject(e.id(), e.file(), e.problem(), null, e.written());
      } else if (pairs) {
        String prompt =
            e.hint().isEmpty() ? INSTRUCTION : INSTRUCTION.replace(":", " (" + e.hint() + "):");
        String chosen = e.corrected(e.corrections().get(0));
        rows.addPair(e.id(), e.rule(), e.file(), prompt, chosen, e.written(), rule(e));
      } else {
        List<String> answers = e.corrections().stream().map(e::corrected).distinct().toList();
        String prompt = "Correct this sentence: " + e.written();
        rows.add(e.id(), e.rule(), e.file(), prompt, answers, rule(e));
      }
    }
    return rows.set(
        "Maven Central " + packageVersion(PACKAGE) + " (" + LanguageToolRules.FILES + ")",
        "LGPL-2.1-or-later (LanguageTool rule files)",
        (pairs
                ? "one pair per rule example with a marker and a correction: rejected = the"
                    + " sentence as written, chosen = the first correction applied"
                : "one row per rule example with a marker and a correction; the response is the"
                    + " sentence with the marked words replaced by each correction")
            + "; split by rule id (a rule group's id for its rules)");
  }

  private static Map<String, Object> rule(LanguageToolRules.Example e) {
    return Map.of("rule", e.rule());
  }
}
