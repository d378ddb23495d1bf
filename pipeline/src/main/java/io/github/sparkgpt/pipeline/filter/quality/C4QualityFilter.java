package io.github.sparkgpt.pipeline.filter.quality;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Utf8;
import io.github.sparkgpt.pipeline.Verdict;
import io.github.sparkgpt.pipeline.filter.LanguageText;
import io.github.sparkgpt.pipeline.filter.TextUnits;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * C4's line-level cleaning (Raffel et al. 2020, section 2.2; datatrove's {@code C4QualityFilter}):
 * removes lines that look like boilerplate, drops documents that look like templates or code, then
 * requires enough sentences in what is left. The units are lines, or with {@code split_paragraph =
 * false} sentences (for documents that hold a whole speech on one line; kept sentences keep the
 * line and paragraph breaks that followed them, otherwise a space). Each line is trimmed; citation
 * marks ({@code [1]}, {@code [edit]}, {@code [citation needed]}) are removed first. A line is
 * removed (counters {@code c4_removed_line_<why>} and {@code c4_removed_bytes_<why>}, its UTF-8
 * bytes with the line break) when, in this order:
 *
 * <pre>
 *   too_long_word     it has a word longer than max_word_length chars (1000)
 *   no_terminal_punct it does not end in . ? ! " ' (or ends in "...")        [filter_no_terminal_punct]
 *                     (other languages: also their sentence ends, see LanguageText; 。！？．… in Chinese)
 *   too_few_words     it has fewer than min_words_per_line words (3)
 *   javascript        it mentions "javascript"                                 [filter_javascript]
 *   policy            it mentions terms of use / privacy policy / cookies      [filter_policy]
 * </pre>
 *
 * The whole document is dropped when a kept-so-far line contains "lorem ipsum" ({@code
 * c4_lorem_ipsum}, [filter_lorem_ipsum]) or a curly bracket ({@code c4_curly_bracket},
 * [filter_curly_bracket]), or when the kept lines hold fewer than min_num_sentences sentences
 * ({@code c4_too_few_sentences}; sentences from the JDK's English sentence iterator, ICU's for
 * other languages). An empty result is dropped as {@code c4_empty}. Kept lines are joined with
 * {@code \n}, and with one blank line where the input had blank lines, so paragraphs survive;
 * counters {@code c4_line_total} and {@code c4_line_kept} give the line-level yield. Words and
 * sentences follow the document's language ({@link LanguageText}): a Chinese line has as many words
 * as its dictionary segments.
 */
public final class C4QualityFilter implements DocumentStage {
  private static final long serialVersionUID = 1L;
  private static final Pattern CITATION = Pattern.compile("\\[\\d*]|\\[edit]|\\[citation needed]");
  private static final String[] POLICY = {
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies"
  };

  private boolean splitParagraph = true;
  private int minNumSentences = 5;
  private int minWordsPerLine = 3;
  private int maxWordLength = 1000;
  private boolean removeCitations = true;
  private boolean filterNoTerminalPunct = true;
  private boolean filterLoremIpsum = true;
  private boolean filterJavascript = true;
  private boolean filterCurlyBracket = true;
  private boolean filterPolicy = true;

  @Override
  public String name() {
    return "c4_quality";
  }

  @Override
  public Verdict apply(Document doc, StageCounters counters) {
    String lang = doc.language();
    List<String> lines =
        splitParagraph
            ? TextUnits.of(doc.text(), lang).lines()
            : LanguageText.sentences(doc.text(), lang);
    StringBuilder kept = new StringBuilder(doc.text().length());
    int numSentences = 0;
    int keptLines = 0;
    boolean paragraphBreak = false;
    int breakStrength =
        0; // sentence mode: strongest break (0 space, 1 line, 2 paragraph) since the last kept unit
    String previous = null;
    for (String raw : lines) {
      if (!splitParagraph && previous != null)
        breakStrength = Math.max(breakStrength, trailingBreak(previous));
      previous = raw;
      String line = raw.strip();
      if (line.isEmpty()) {
        paragraphBreak = true;
        continue;
      } // blank lines separate paragraphs: keep one
      counters.increment("c4_line_total");
      int[] wordStats = LanguageText.wordStats(line, lang);
      if (wordStats[1] > maxWordLength) {
        removed(counters, "too_long_word", raw);
        continue;
      }
      if (removeCitations && line.indexOf('[') >= 0) {
        String cleaned = CITATION.matcher(line).replaceAll("");
        counters.add(
            REMOVED_BYTES + "citations", Utf8.encodedLength(line) - Utf8.encodedLength(cleaned));
        line = cleaned;
      }
      if (filterNoTerminalPunct && !LanguageText.endsWithTerminalPunct(line, lang)) {
        removed(counters, "no_terminal_punct", raw);
        continue;
      }
      if (wordStats[0] < minWordsPerLine) {
        removed(counters, "too_few_words", raw);
        continue;
      }
      String lower = line.toLowerCase(Locale.ROOT);
      if (filterLoremIpsum && lower.contains("lorem ipsum")) return Verdict.drop("c4_lorem_ipsum");
      if (filterJavascript && lower.contains("javascript")) {
        removed(counters, "javascript", raw);
        continue;
      }
      if (filterCurlyBracket && line.indexOf('{') >= 0) return Verdict.drop("c4_curly_bracket");
      if (filterPolicy && mentionsPolicy(lower)) {
        removed(counters, "policy", raw);
        continue;
      }
      numSentences +=
          splitParagraph && minNumSentences > 0 ? LanguageText.countSentences(line, lang) : 1;
      if (keptLines++ > 0) {
        kept.append(
            !splitParagraph ? SENTENCE_SEPARATORS[breakStrength] : paragraphBreak ? "\n\n" : "\n");
      }
      breakStrength = 0;
      kept.append(line);
      paragraphBreak = false;
    }
    counters.add("c4_line_kept", keptLines);
    if (numSentences < minNumSentences) return Verdict.drop("c4_too_few_sentences");
    if (keptLines == 0) return Verdict.drop("c4_empty");
    String text = kept.toString();
    return Verdict.keep(text.equals(doc.text()) ? doc : doc.withText(text));
  }

  /**
   * Prefix of the counters of UTF-8 bytes removed per rule (the line's bytes and its line break).
   */
  public static final String REMOVED_BYTES = "c4" + StageCounters.REMOVED_BYTES;

  private static void removed(StageCounters counters, String why, String raw) {
    counters.increment("c4_removed_line_" + why);
    counters.add(REMOVED_BYTES + why, Utf8.encodedLength(raw) + 1);
  }

  private static final String[] SENTENCE_SEPARATORS = {" ", "\n", "\n\n"};

  /**
   * Line structure after a sentence: 2 if its trailing whitespace holds a blank line, 1 a newline,
   * else 0.
   */
  private static int trailingBreak(String sentence) {
    int newlines = 0;
    for (int i = sentence.length() - 1; i >= 0 && Character.isWhitespace(sentence.charAt(i)); i--) {
      if (sentence.charAt(i) == '\n') newlines++;
    }
    return Math.min(newlines, 2);
  }

  private static boolean mentionsPolicy(String lower) {
    for (String p : POLICY) if (lower.contains(p)) return true;
    return false;
  }

  @Override
  public void validate() {
    if (minNumSentences < 0)
      throw new IllegalArgumentException("c4_quality: min_num_sentences must be >= 0 (0 disables)");
    if (minWordsPerLine < 0)
      throw new IllegalArgumentException(
          "c4_quality: min_words_per_line must be >= 0 (0 disables)");
    if (maxWordLength < 1) {
      throw new IllegalArgumentException(
          "c4_quality: max_word_length must be >= 1; use a large value to disable");
    }
  }

  /**
   * True: the units are lines. False: the units are sentences, joined by spaces (for one-line
   * documents).
   */
  public C4QualityFilter setSplitParagraph(boolean v) {
    splitParagraph = v;
    return this;
  }

  public C4QualityFilter setMinNumSentences(int v) {
    minNumSentences = v;
    return this;
  }

  public C4QualityFilter setMinWordsPerLine(int v) {
    minWordsPerLine = v;
    return this;
  }

  public C4QualityFilter setMaxWordLength(int v) {
    maxWordLength = v;
    return this;
  }

  public C4QualityFilter setRemoveCitations(boolean v) {
    removeCitations = v;
    return this;
  }

  public C4QualityFilter setFilterNoTerminalPunct(boolean v) {
    filterNoTerminalPunct = v;
    return this;
  }

  public C4QualityFilter setFilterLoremIpsum(boolean v) {
    filterLoremIpsum = v;
    return this;
  }

  public C4QualityFilter setFilterJavascript(boolean v) {
    filterJavascript = v;
    return this;
  }

  public C4QualityFilter setFilterCurlyBracket(boolean v) {
    filterCurlyBracket = v;
    return this;
  }

  public C4QualityFilter setFilterPolicy(boolean v) {
    filterPolicy = v;
    return this;
  }
}
