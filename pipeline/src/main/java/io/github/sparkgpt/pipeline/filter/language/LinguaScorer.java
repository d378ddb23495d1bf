package io.github.sparkgpt.pipeline.filter.language;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import com.github.pemistahl.lingua.internal.TestDataLanguageModel;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Language probabilities from lingua's trigram models, one detector per JVM and candidate set.
 *
 * <p>Why not {@code LanguageDetector.computeLanguageConfidenceValues}: in lingua 1.2.2 (the last
 * JVM release) those values are ratios of log-likelihoods, with the top language always 1.0, so no
 * threshold can be applied to them. This class runs the same steps lingua runs in low-accuracy mode
 * (clean the text, script/character rules, trigram log-likelihoods per candidate language) through
 * lingua's public-in-bytecode internal methods, and turns the log-likelihoods into probabilities
 * with a softmax. The pinned version makes that safe; {@code LanguageFilterTest} fails if an
 * upgrade changes them.
 *
 * <p>A softmax over summed log-likelihoods of a whole document is near 1.0 even for a half-English,
 * half-German text. So the sample is cut into chunks of about {@code chunkChars} characters at
 * white space, each chunk gets its own probabilities, and the document's probability of a language
 * is the length-weighted mean over chunks: a mixed-language document scores about its share of each
 * language, like fastText's score in datatrove.
 */
final class LinguaScorer {
  private static final Map<Set<Language>, LinguaScorer> BY_CANDIDATES = new ConcurrentHashMap<>();

  private final LanguageDetector detector;

  private LinguaScorer(Set<Language> candidates) {
    // Low-accuracy mode = trigram models only (lingua uses only trigrams for texts >= 120 chars
    // anyway); preloading
    // loads them once here instead of racing lazily inside concurrent Spark tasks.
    this.detector =
        LanguageDetectorBuilder.fromLanguages(candidates.toArray(new Language[0]))
            .withLowAccuracyMode()
            .withPreloadedLanguageModels()
            .build();
  }

  /**
   * The JVM-wide scorer for {@code candidates}, built on first use (about a second; ~2.5 MB of heap
   * per language, 27 MB for the 11 defaults).
   */
  static LinguaScorer forCandidates(Set<Language> candidates) {
    return BY_CANDIDATES.computeIfAbsent(EnumSet.copyOf(candidates), LinguaScorer::new);
  }

  /**
   * Mean per-chunk probability of each language over {@code sample}; empty when no chunk has a
   * letter-trigram any candidate language knows.
   */
  Map<Language, Double> probabilities(String sample, int chunkChars) {
    EnumMap<Language, Double> sum = new EnumMap<>(Language.class);
    double totalWeight = 0;
    int n = sample.length();
    int start = 0;
    while (start < n) {
      int end = Math.min(n, start + chunkChars);
      if (end < n) {
        int space = sample.lastIndexOf(' ', end);
        if (space > start + chunkChars / 2)
          end = space; // cut at a word boundary unless the word is huge
      }
      String chunk = sample.substring(start, end);
      start = end;
      Map<Language, Double> p = chunkProbabilities(chunk);
      if (p.isEmpty()) continue;
      double weight = chunk.length();
      totalWeight += weight;
      for (Map.Entry<Language, Double> e : p.entrySet())
        sum.merge(e.getKey(), weight * e.getValue(), Double::sum);
    }
    if (totalWeight > 0) {
      final double w = totalWeight;
      sum.replaceAll((lang, v) -> v / w);
    }
    return sum;
  }

  /**
   * Softmax over lingua's trigram log-likelihoods of one chunk; a language decided by script rules
   * gets 1.0.
   */
  private Map<Language, Double> chunkProbabilities(String chunk) {
    String cleaned = detector.cleanUpInputText$lingua(chunk);
    if (cleaned.length() < 3) return Map.of();
    List<String> words = detector.splitTextIntoWords$lingua(cleaned);
    Language byRules = detector.detectLanguageWithRules$lingua(words);
    if (byRules != Language.UNKNOWN) return Map.of(byRules, 1.0);
    Set<Language> plausible = detector.filterLanguagesByRules$lingua(words);
    if (plausible.size() == 1) return Map.of(plausible.iterator().next(), 1.0);
    TestDataLanguageModel trigrams = TestDataLanguageModel.Companion.fromText(cleaned, 3);
    Map<Language, Float> logLikelihood =
        detector.computeLanguageProbabilities$lingua(trigrams, plausible);
    double max = Double.NEGATIVE_INFINITY;
    for (Map.Entry<Language, Float> e : logLikelihood.entrySet()) {
      if (e.getValue() < 0)
        max = Math.max(max, e.getValue()); // 0 means "no trigram known": not a candidate
    }
    if (max == Double.NEGATIVE_INFINITY) return Map.of();
    EnumMap<Language, Double> p = new EnumMap<>(Language.class);
    double z = 0;
    for (Map.Entry<Language, Float> e : logLikelihood.entrySet()) {
      if (e.getValue() >= 0) continue;
      double v = Math.exp(e.getValue() - max);
      p.put(e.getKey(), v);
      z += v;
    }
    final double norm = z;
    p.replaceAll((lang, v) -> v / norm);
    return p;
  }
}
