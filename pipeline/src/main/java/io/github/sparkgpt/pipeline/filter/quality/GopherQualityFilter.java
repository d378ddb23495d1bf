package io.github.sparkgpt.pipeline.filter.quality;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import io.github.sparkgpt.pipeline.filter.TextUnits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Gopher quality rules (Rae et al. 2021, appendix A; datatrove's {@code GopherQualityFilter}):
 * drops documents whose word statistics look unlike natural prose. Rules run in this order, the
 * first failing one names the drop:
 *
 * <pre>
 *   gopher_short_doc / gopher_long_doc            non-symbol words outside [min_doc_words, max_doc_words]
 *   gopher_below_avg_threshold / ..._above_...    mean word length outside [min_avg_word_length, max_avg_word_length]
 *   gopher_too_many_hashes                        count("#") / words > max_symbol_word_ratio
 *   gopher_too_many_ellipsis                      count("..." and "…") / words > max_symbol_word_ratio
 *   gopher_too_many_start_bullets                 lines starting with a bullet / lines > max_bullet_lines_ratio
 *   gopher_too_many_end_ellipsis                  lines ending with an ellipsis / lines > max_ellipsis_lines_ratio
 *   gopher_below_alpha_threshold                  words with a letter / words < min_alpha_words_ratio
 *   gopher_enough_stop_words                      stop-word occurrences < min_stop_words (datatrove's name)
 * </pre>
 *
 * Words are whitespace-separated, or dictionary segments in Chinese, Japanese and Thai ({@link
 * TextUnits}); word length is measured without surrounding punctuation, which is what datatrove's
 * tokenizer achieves by splitting punctuation off. Lines are the non-blank lines. Stop words match
 * case-insensitively ("The" counts). Set a min to 0 or a max above any possible value to disable
 * one rule.
 */
public final class GopherQualityFilter implements DocumentStage {
  private static final long serialVersionUID = 1L;

  /** Line starts that mark a bullet list item. */
  private static final String BULLETS = "•‣◦▪●-*";

  private int minDocWords = 50;
  private int maxDocWords = 100_000;
  private double minAvgWordLength = 3;
  private double maxAvgWordLength = 10;
  private double maxSymbolWordRatio = 0.1;
  private double maxBulletLinesRatio = 0.9;
  private double maxEllipsisLinesRatio = 0.3;
  private double minAlphaWordsRatio = 0.8;
  private int minStopWords = 2;
  private List<String> stopWords = List.of("the", "be", "to", "of", "and", "that", "have", "with");
  private transient Set<String> stopWordSet;

  @Override
  public String name() {
    return "gopher_quality";
  }

  @Override
  public Verdict apply(Document doc, StageCounters counters) {
    String text = doc.text();
    TextUnits units = TextUnits.of(text, doc.language());
    String[] words = units.words();
    int[] core = units.coreLengths();
    int nWords = words.length;

    int nonSymbolWords = 0;
    long coreChars = 0;
    for (int len : core) {
      if (len > 0) {
        nonSymbolWords++;
        coreChars += len;
      }
    }
    if (nonSymbolWords < minDocWords) return Verdict.drop("gopher_short_doc");
    if (nonSymbolWords > maxDocWords) return Verdict.drop("gopher_long_doc");
    if (nonSymbolWords == 0)
      return Verdict.keep(doc); // only reachable with min_doc_words = 0: nothing to measure

    double avgWordLength = (double) coreChars / nonSymbolWords;
    if (avgWordLength < minAvgWordLength) return Verdict.drop("gopher_below_avg_threshold");
    if (avgWordLength > maxAvgWordLength) return Verdict.drop("gopher_above_avg_threshold");

    if ((double) TextUnits.count(text, "#") / nWords > maxSymbolWordRatio)
      return Verdict.drop("gopher_too_many_hashes");
    int ellipses = TextUnits.count(text, "...") + TextUnits.count(text, "…");
    if ((double) ellipses / nWords > maxSymbolWordRatio)
      return Verdict.drop("gopher_too_many_ellipsis");

    List<String> lines = units.nonBlankLines();
    int bulletLines = 0;
    int ellipsisLines = 0;
    for (String line : lines) {
      String stripped = line.strip();
      if (BULLETS.indexOf(stripped.charAt(0)) >= 0) bulletLines++;
      if (stripped.endsWith("...") || stripped.endsWith("…")) ellipsisLines++;
    }
    if ((double) bulletLines / lines.size() > maxBulletLinesRatio)
      return Verdict.drop("gopher_too_many_start_bullets");
    if ((double) ellipsisLines / lines.size() > maxEllipsisLinesRatio) {
      return Verdict.drop("gopher_too_many_end_ellipsis");
    }

    int alphaWords = 0;
    int stopWordHits = 0;
    Set<String> stops = stopWordSet();
    for (String w : words) {
      if (hasLetter(w)) alphaWords++;
      if (stopWordHits < minStopWords && stops.contains(TextUnits.core(w).toLowerCase(Locale.ROOT)))
        stopWordHits++;
    }
    if ((double) alphaWords / nWords < minAlphaWordsRatio)
      return Verdict.drop("gopher_below_alpha_threshold");
    if (stopWordHits < minStopWords) return Verdict.drop("gopher_enough_stop_words");
    return Verdict.keep(doc);
  }

  private static boolean hasLetter(String w) {
    for (int i = 0; i < w.length(); i++) if (Character.isLetter(w.charAt(i))) return true;
    return false;
  }

  private Set<String> stopWordSet() {
    if (stopWordSet == null) {
      Set<String> s = new HashSet<>();
      for (String w : stopWords) s.add(w.toLowerCase(Locale.ROOT));
      stopWordSet = s;
    }
    return stopWordSet;
  }

  @Override
  public void validate() {
    if (minDocWords < 0 || maxDocWords < minDocWords) {
      throw new IllegalArgumentException(
          "gopher_quality: need 0 <= min_doc_words <= max_doc_words, got "
              + minDocWords
              + " and "
              + maxDocWords);
    }
    if (minAvgWordLength < 0 || maxAvgWordLength < minAvgWordLength) {
      throw new IllegalArgumentException(
          "gopher_quality: need 0 <= min_avg_word_length <= max_avg_word_length, got "
              + minAvgWordLength
              + " and "
              + maxAvgWordLength);
    }
    Ratios.requireNonNegative("gopher_quality", "max_symbol_word_ratio", maxSymbolWordRatio);
    Ratios.requireFraction("gopher_quality", "max_bullet_lines_ratio", maxBulletLinesRatio);
    Ratios.requireFraction("gopher_quality", "max_ellipsis_lines_ratio", maxEllipsisLinesRatio);
    Ratios.requireFraction("gopher_quality", "min_alpha_words_ratio", minAlphaWordsRatio);
    if (minStopWords < 0)
      throw new IllegalArgumentException(
          "gopher_quality: min_stop_words must be >= 0 (0 disables)");
    if (minStopWords > 0 && stopWords.isEmpty()) {
      throw new IllegalArgumentException(
          "gopher_quality: stop_words is empty but min_stop_words = "
              + minStopWords
              + "; list stop words or set min_stop_words = 0");
    }
  }

  public GopherQualityFilter setMinDocWords(int v) {
    minDocWords = v;
    return this;
  }

  public GopherQualityFilter setMaxDocWords(int v) {
    maxDocWords = v;
    return this;
  }

  public GopherQualityFilter setMinAvgWordLength(double v) {
    minAvgWordLength = v;
    return this;
  }

  public GopherQualityFilter setMaxAvgWordLength(double v) {
    maxAvgWordLength = v;
    return this;
  }

  public GopherQualityFilter setMaxSymbolWordRatio(double v) {
    maxSymbolWordRatio = v;
    return this;
  }

  public GopherQualityFilter setMaxBulletLinesRatio(double v) {
    maxBulletLinesRatio = v;
    return this;
  }

  public GopherQualityFilter setMaxEllipsisLinesRatio(double v) {
    maxEllipsisLinesRatio = v;
    return this;
  }

  public GopherQualityFilter setMinAlphaWordsRatio(double v) {
    minAlphaWordsRatio = v;
    return this;
  }

  public GopherQualityFilter setMinStopWords(int v) {
    minStopWords = v;
    return this;
  }

  public GopherQualityFilter setStopWords(List<String> v) {
    stopWords = List.copyOf(new ArrayList<>(v));
    stopWordSet = null;
    return this;
  }
}
