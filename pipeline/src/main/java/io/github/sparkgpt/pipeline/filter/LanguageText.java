package io.github.sparkgpt.pipeline.filter;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.util.ULocale;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How text of one language splits into words and sentences, for the word-based rules. The language
 * is the ISO 639-1 code the language stage records on the document ({@code Document.language()});
 * null (no language stage) and {@code en} give the English behaviour the published thresholds were
 * set on, unchanged.
 *
 * <ul>
 *   <li>Words: runs of non-space characters for languages written with spaces; for languages
 *       written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese) ICU's
 *       dictionary word break iterator, keeping every segment that is not white space (so
 *       punctuation marks are their own symbol words, as with datatrove's per-language word
 *       tokenizers).
 *   <li>Sentences: the JDK's English sentence iterator for English (as before); ICU's sentence
 *       iterator for the document's locale otherwise, which ends sentences at {@code 。！？．} and
 *       their kin.
 *   <li>Terminal punctuation of a line (C4): {@code . ? ! " '} for English; plus closing quotes and
 *       the script's own sentence ends for other languages ({@code 。！？．｡…」』} for Chinese and
 *       Japanese).
 * </ul>
 *
 * ICU iterators are not thread-safe: one per thread and language.
 */
public final class LanguageText {
  /** Languages written without spaces between words. */
  private static final Set<String> DICTIONARY_SEGMENTED =
      Set.of("zh", "ja", "th", "lo", "km", "my");

  private static final String ENGLISH_TERMINAL = ".?!\"'";

  /**
   * Other space-separated languages: closing guillemet and curly quotes, Arabic question mark,
   * Devanagari danda.
   */
  private static final String OTHER_TERMINAL = ENGLISH_TERMINAL + "»”’؟।";

  /**
   * Chinese and Japanese sentence ends, full-width forms, the ideographic full stop and closing
   * brackets/quotes.
   */
  private static final String CJK_TERMINAL = OTHER_TERMINAL + "。！？．｡…」』";

  private static final ThreadLocal<Map<String, BreakIterator>> WORDS =
      ThreadLocal.withInitial(HashMap::new);
  private static final ThreadLocal<java.text.BreakIterator> ENGLISH_SENTENCES =
      ThreadLocal.withInitial(() -> java.text.BreakIterator.getSentenceInstance(Locale.ENGLISH));
  private static final ThreadLocal<Map<String, BreakIterator>> SENTENCES =
      ThreadLocal.withInitial(HashMap::new);

  private LanguageText() {}

  /** True for the English rules: no language recorded, or {@code en}. */
  public static boolean isEnglish(String language) {
    return language == null || language.equals("en");
  }

  /** True when words are found with a dictionary, not at spaces. */
  public static boolean segmentsWithDictionary(String language) {
    return language != null && DICTIONARY_SEGMENTED.contains(language);
  }

  /**
   * The words of {@code text}: whitespace-separated, or dictionary segments without the white space
   * ones.
   */
  public static String[] words(String text, String language) {
    List<String> out = new ArrayList<>(text.length() / 4 + 1);
    if (segmentsWithDictionary(language)) {
      BreakIterator it = wordIterator(language);
      it.setText(text);
      int start = it.first();
      for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
        if (!isBlank(text, start, end)) out.add(text.substring(start, end));
      }
    } else {
      int n = text.length();
      int i = 0;
      while (i < n) {
        while (i < n && TextUnits.isSpace(text.charAt(i))) i++;
        int start = i;
        while (i < n && !TextUnits.isSpace(text.charAt(i))) i++;
        if (i > start) out.add(text.substring(start, i));
      }
    }
    return out.toArray(new String[0]);
  }

  /** {number of words, length of the longest} of a line. */
  public static int[] wordStats(String line, String language) {
    int words = 0;
    int longest = 0;
    if (segmentsWithDictionary(language)) {
      for (String w : words(line, language)) {
        words++;
        longest = Math.max(longest, w.length());
      }
      return new int[] {words, longest};
    }
    int n = line.length();
    int i = 0;
    while (i < n) {
      while (i < n && TextUnits.isSpace(line.charAt(i))) i++;
      int start = i;
      while (i < n && !TextUnits.isSpace(line.charAt(i))) i++;
      if (i > start) {
        words++;
        longest = Math.max(longest, i - start);
      }
    }
    return new int[] {words, longest};
  }

  /** Whether a (stripped, non-empty) line ends like a sentence; an ASCII "..." never does (C4). */
  public static boolean endsWithTerminalPunct(String line, String language) {
    if (line.isEmpty() || line.endsWith("...")) return false;
    char last = line.charAt(line.length() - 1);
    String terminal =
        isEnglish(language)
            ? ENGLISH_TERMINAL
            : segmentsWithDictionary(language) ? CJK_TERMINAL : OTHER_TERMINAL;
    return terminal.indexOf(last) >= 0;
  }

  /** Sentences of {@code text}, each with its trailing white space. */
  public static List<String> sentences(String text, String language) {
    List<String> out = new ArrayList<>();
    if (isEnglish(language)) {
      java.text.BreakIterator it = ENGLISH_SENTENCES.get();
      it.setText(text);
      int start = it.first();
      for (int end = it.next(); end != java.text.BreakIterator.DONE; start = end, end = it.next()) {
        out.add(text.substring(start, end));
      }
      return out;
    }
    BreakIterator it = sentenceIterator(language);
    it.setText(text);
    int start = it.first();
    for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
      out.add(text.substring(start, end));
    }
    return out;
  }

  /** Number of non-blank sentences in {@code text}. */
  public static int countSentences(String text, String language) {
    int n = 0;
    for (String s : sentences(text, language)) if (!s.isBlank()) n++;
    return n;
  }

  private static boolean isBlank(String text, int start, int end) {
    for (int i = start; i < end; i++) if (!TextUnits.isSpace(text.charAt(i))) return false;
    return true;
  }

  private static BreakIterator wordIterator(String language) {
    return WORDS
        .get()
        .computeIfAbsent(language, l -> BreakIterator.getWordInstance(new ULocale(l)));
  }

  private static BreakIterator sentenceIterator(String language) {
    return SENTENCES
        .get()
        .computeIfAbsent(language, l -> BreakIterator.getSentenceInstance(new ULocale(l)));
  }
}
