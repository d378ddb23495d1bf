package io.github.sparkgpt.pipeline.filter;

import com.typesafe.config.Config;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.DocumentStage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Builds the quality families from the {@code quality} section: each family's defaults, plus an
 * instance per block of {@code quality.by_language} that names the family (the block's keys over
 * the defaults), wrapped in a {@link PerLanguageStage}. Unknown blocks and families are rejected
 * before Spark starts.
 */
public final class QualityStages {
  public static final List<String> FAMILIES =
      List.of("gopher_quality", "gopher_repetition", "c4", "fineweb");
  public static final String BY_LANGUAGE = "by_language";

  private QualityStages() {}

  /**
   * Every block of {@code by_language} is an ISO 639-1 code (or other) holding known families only.
   */
  public static void checkLanguageBlocks(Config quality) {
    if (!quality.hasPath(BY_LANGUAGE)) return;
    Config blocks = quality.getConfig(BY_LANGUAGE);
    for (String lang : blocks.root().keySet()) {
      if (!lang.equals(PerLanguageStage.OTHER) && !lang.matches("[a-z]{2}")) {
        throw new IllegalArgumentException(
            "quality."
                + BY_LANGUAGE
                + "."
                + lang
                + ": a block is named by an ISO "
                + "639-1 code (zh, ja, de, ...) or '"
                + PerLanguageStage.OTHER
                + "'");
      }
      for (String family : blocks.getConfig(lang).root().keySet()) {
        if (!FAMILIES.contains(family)) {
          throw new IllegalArgumentException(
              "unknown option 'quality."
                  + BY_LANGUAGE
                  + "."
                  + lang
                  + "."
                  + family
                  + "'; known families: "
                  + String.join(", ", FAMILIES));
        }
      }
    }
  }

  /** The family's stage, or null when it is off for every language. */
  public static DocumentStage build(
      Config quality, String family, Supplier<? extends DocumentStage> factory) {
    checkLanguageBlocks(quality);
    Config base = quality.getConfig(family);
    String path = "quality." + family;
    // The defaults first, so a bad key there is reported under its own path, not a language
    // block's.
    DocumentStage defaults = null;
    if (base.getBoolean("enabled")) {
      defaults = ConfigBinder.bind(factory.get(), base, path, "enabled");
      defaults.validate();
    }
    Map<String, DocumentStage> byLanguage = new TreeMap<>();
    Set<String> off = new TreeSet<>();
    if (quality.hasPath(BY_LANGUAGE)) {
      Config blocks = quality.getConfig(BY_LANGUAGE);
      for (String lang : blocks.root().keySet()) {
        Config block = blocks.getConfig(lang);
        if (!block.hasPath(family)) continue;
        Config merged = block.getConfig(family).withFallback(base);
        if (!merged.getBoolean("enabled")) {
          off.add(lang);
          continue;
        }
        DocumentStage stage =
            ConfigBinder.bind(
                factory.get(),
                merged,
                "quality." + BY_LANGUAGE + "." + lang + "." + family,
                "enabled");
        stage.validate();
        byLanguage.put(lang, stage);
      }
    }
    if (defaults == null && byLanguage.isEmpty()) return null;
    if (byLanguage.isEmpty() && off.isEmpty()) return defaults;
    return new PerLanguageStage(factory.get().name(), defaults, byLanguage, off);
  }
}
