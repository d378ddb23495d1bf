package io.github.sparkgpt.pipeline.filter.quality;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import io.github.sparkgpt.pipeline.filter.TextUnits;
import java.text.BreakIterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * C4's line-level cleaning (Raffel et al. 2020, section 2.2; datatrove's {@code C4QualityFilter}): removes lines that
 * look like boilerplate, drops documents that look like templates or code, then requires enough sentences in what
 * is left. The units are lines, or with {@code split_paragraph = false} sentences (for documents that hold a
 * whole speech on one line; kept sentences keep the line and paragraph breaks that followed them, otherwise a space). Each line is trimmed; citation marks ({@code [1]}, {@code [edit]}, {@code [citation needed]}) are removed
 * first. A line is removed (counter {@code c4_removed_line_<why>}) when, in this order:
 *
 * <pre>
 *   too_long_word     it has a word longer than max_word_length chars (1000)
 *   no_terminal_punct it does not end in . ? ! " ' (or ends in "...")        [filter_no_terminal_punct]
 *   too_few_words     it has fewer than min_words_per_line words (3)
 *   javascript        it mentions "javascript"                                 [filter_javascript]
 *   policy            it mentions terms of use / privacy policy / cookies      [filter_policy]
 * </pre>
 *
 * The whole document is dropped when a kept-so-far line contains "lorem ipsum" ({@code c4_lorem_ipsum},
 * [filter_lorem_ipsum]) or a curly bracket ({@code c4_curly_bracket}, [filter_curly_bracket]), or when the kept lines
 * hold fewer than min_num_sentences sentences ({@code c4_too_few_sentences}; sentences from the JDK's English
 * sentence {@link BreakIterator}). An empty result is dropped as {@code c4_empty}. Kept lines are joined with
 * {@code \n}, and with one blank line where the input had blank lines, so paragraphs survive; counters
 * {@code c4_line_total} and {@code c4_line_kept} give the line-level yield.
 */
public final class C4QualityFilter implements DocumentStage {
  private static final long serialVersionUID = 1L;
  private static final Pattern CITATION = Pattern.compile("\\[\\d*]|\\[edit]|\\[citation needed]");
  private static final String[] POLICY = {
    "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"};

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

  @Override public String name() { return "c4_quality"; }

  @Override public Verdict apply(Document doc, StageCounters counters) {
    BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ENGLISH);
    List<String> lines = splitParagraph ? TextUnits.of(doc.text()).lines() : splitSentences(sentences, doc.text());
    StringBuilder kept = new StringBuilder(doc.text().length());
    int numSentences = 0;
    int keptLines = 0;
    boolean paragraphBreak = false;
    int breakStrength = 0; // sentence mode: strongest break (0 space, 1 line, 2 paragraph) since the last kept unit
    String previous = null;
    for (String raw : lines) {
      if (!splitParagraph && previous != null) breakStrength = Math.max(breakStrength, trailingBreak(previous));
      previous = raw;
      String line = raw.strip();
      if (line.isEmpty()) { paragraphBreak = true; continue; } // blank lines separate paragraphs: keep one
      counters.increment("c4_line_total");
      int[] wordStats = wordStats(line);
      if (wordStats[1] > maxWordLength) { counters.increment("c4_removed_line_too_long_word"); continue; }
      if (removeCitations && line.indexOf('[') >= 0) line = CITATION.matcher(line).replaceAll("");
      if (filterNoTerminalPunct && !endsWithTerminalPunct(line)) {
        counters.increment("c4_removed_line_no_terminal_punct");
        continue;
      }
      if (wordStats[0] < minWordsPerLine) { counters.increment("c4_removed_line_too_few_words"); continue; }
      String lower = line.toLowerCase(Locale.ROOT);
      if (filterLoremIpsum && lower.contains("lorem ipsum")) return Verdict.drop("c4_lorem_ipsum");
      if (filterJavascript && lower.contains("javascript")) { counters.increment("c4_removed_line_javascript"); continue; }
      if (filterCurlyBracket && line.indexOf('{') >= 0) return Verdict.drop("c4_curly_bracket");
      if (filterPolicy && mentionsPolicy(lower)) { counters.increment("c4_removed_line_policy"); continue; }
      numSentences += splitParagraph && minNumSentences > 0 ? countSentences(sentences, line) : 1;
      if (keptLines++ > 0) {
        kept.append(!splitParagraph ? SENTENCE_SEPARATORS[breakStrength] : paragraphBreak ? "\n\n" : "\n");
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

  private static final String[] SENTENCE_SEPARATORS = {" ", "\n", "\n\n"};

  /** Line structure after a sentence: 2 if its trailing whitespace holds a blank line, 1 a newline, else 0. */
  private static int trailingBreak(String sentence) {
    int newlines = 0;
    for (int i = sentence.length() - 1; i >= 0 && Character.isWhitespace(sentence.charAt(i)); i--) {
      if (sentence.charAt(i) == '\n') newlines++;
    }
    return Math.min(newlines, 2);
  }

  /** {number of whitespace-separated words, length of the longest} of a line. */
  private static int[] wordStats(String line) {
    int words = 0;
    int longest = 0;
    int n = line.length();
    int i = 0;
    while (i < n) {
      while (i < n && TextUnits.isSpace(line.charAt(i))) i++;
      int start = i;
      while (i < n && !TextUnits.isSpace(line.charAt(i))) i++;
      if (i > start) { words++; longest = Math.max(longest, i - start); }
    }
    return new int[] {words, longest};
  }

  private static boolean endsWithTerminalPunct(String line) {
    if (line.isEmpty() || line.endsWith("...")) return false;
    char last = line.charAt(line.length() - 1);
    return last == '.' || last == '?' || last == '!' || last == '"' || last == '\'';
  }

  private static boolean mentionsPolicy(String lower) {
    for (String p : POLICY) if (lower.contains(p)) return true;
    return false;
  }

  private static List<String> splitSentences(BreakIterator it, String text) {
    List<String> out = new java.util.ArrayList<>();
    it.setText(text);
    int start = it.first();
    for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) out.add(text.substring(start, end));
    return out;
  }

  private static int countSentences(BreakIterator it, String line) {
    it.setText(line);
    int n = 0;
    int start = it.first();
    for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
      if (!line.substring(start, end).isBlank()) n++;
    }
    return n;
  }

  @Override public void validate() {
    if (minNumSentences < 0) throw new IllegalArgumentException("c4_quality: min_num_sentences must be >= 0 (0 disables)");
    if (minWordsPerLine < 0) throw new IllegalArgumentException("c4_quality: min_words_per_line must be >= 0 (0 disables)");
    if (maxWordLength < 1) {
      throw new IllegalArgumentException("c4_quality: max_word_length must be >= 1; use a large value to disable");
    }
  }

  /** True: the units are lines. False: the units are sentences, joined by spaces (for one-line documents). */
  public C4QualityFilter setSplitParagraph(boolean v) { splitParagraph = v; return this; }
  public C4QualityFilter setMinNumSentences(int v) { minNumSentences = v; return this; }
  public C4QualityFilter setMinWordsPerLine(int v) { minWordsPerLine = v; return this; }
  public C4QualityFilter setMaxWordLength(int v) { maxWordLength = v; return this; }
  public C4QualityFilter setRemoveCitations(boolean v) { removeCitations = v; return this; }
  public C4QualityFilter setFilterNoTerminalPunct(boolean v) { filterNoTerminalPunct = v; return this; }
  public C4QualityFilter setFilterLoremIpsum(boolean v) { filterLoremIpsum = v; return this; }
  public C4QualityFilter setFilterJavascript(boolean v) { filterJavascript = v; return this; }
  public C4QualityFilter setFilterCurlyBracket(boolean v) { filterCurlyBracket = v; return this; }
  public C4QualityFilter setFilterPolicy(boolean v) { filterPolicy = v; return this; }
}
