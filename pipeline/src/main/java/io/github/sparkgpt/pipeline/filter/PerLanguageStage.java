package io.github.sparkgpt.pipeline.filter;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One quality family with its parameters per document language (the {@code quality.by_language}
 * block): a document goes to the instance bound for its language, else to the {@value #OTHER}
 * instance if the document is not English, else to the default instance. A family switched off for
 * a language keeps that language's documents unchanged and counts them ({@code
 * skipped_language_<code>}), so nothing is dropped by a rule that does not apply.
 */
public final class PerLanguageStage implements DocumentStage {
  private static final long serialVersionUID = 1L;

  /** The block for non-English languages that have no block of their own. */
  public static final String OTHER = "other";

  private final String name;
  private final DocumentStage defaults;
  private final TreeMap<String, DocumentStage> byLanguage;
  private final TreeSet<String> off;

  /**
   * @param defaults the instance for English and unknown languages, null if the family is off for
   *     them
   * @param byLanguage instances by ISO 639-1 code or {@value #OTHER}
   * @param off codes (or {@value #OTHER}) whose block switches the family off
   */
  public PerLanguageStage(
      String name, DocumentStage defaults, Map<String, DocumentStage> byLanguage, Set<String> off) {
    this.name = name;
    this.defaults = defaults;
    this.byLanguage = new TreeMap<>(byLanguage);
    this.off = new TreeSet<>(off);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * The instance that judges documents in {@code language}, or null when the family is off for it.
   */
  public DocumentStage forLanguage(String language) {
    String key =
        language != null && (byLanguage.containsKey(language) || off.contains(language))
            ? language
            : !LanguageText.isEnglish(language)
                    && (byLanguage.containsKey(OTHER) || off.contains(OTHER))
                ? OTHER
                : null;
    return key == null ? defaults : off.contains(key) ? null : byLanguage.get(key);
  }

  @Override
  public Verdict apply(Document doc, StageCounters counters) {
    DocumentStage stage = forLanguage(doc.language());
    if (stage == null) {
      counters.increment("skipped_language_" + doc.language());
      return Verdict.keep(doc);
    }
    return stage.apply(doc, counters);
  }

  @Override
  public void validate() {
    if (defaults != null) defaults.validate();
    byLanguage.values().forEach(DocumentStage::validate);
  }
}
