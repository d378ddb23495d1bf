package io.github.sparkgpt.pipeline.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * The units the quality filters measure (lines, paragraphs, words, word n-grams), split once per
 * text and shared: {@link #of(String)} keeps the last analysis per thread, so consecutive filters
 * looking at the same (unmodified) text reuse one split instead of re-tokenizing per rule. Every
 * unit is computed lazily on first use.
 *
 * <p>Definitions (Unicode-aware):
 *
 * <ul>
 *   <li>line: text between line breaks ({@code \n}, {@code \r\n}, {@code \r}); {@link
 *       #nonBlankLines()} drops lines that are only whitespace.
 *   <li>paragraph: text between runs of blank lines, after trimming the whole text.
 *   <li>word: a maximal run of non-whitespace characters (Unicode white space, including no-break
 *       space), as in the Gopher paper; for languages written without spaces (Chinese, Japanese,
 *       Thai) a dictionary segment ({@link LanguageText}), chosen by the language given to {@link
 *       #of(String, String)}. Its <em>core</em> is the word without leading/trailing punctuation
 *       and symbols ({@code "dog."} has core {@code "dog"}); a word whose core is empty is a symbol
 *       word ({@code "--"}, {@code "."}).
 * </ul>
 *
 * Word n-grams are compared through 64-bit hashes of their words, which avoids building n-gram
 * strings; a collision needs two different n-grams with equal 64-bit hashes in one document, which
 * is negligible.
 */
public final class TextUnits {
  private static final ThreadLocal<TextUnits> LAST = new ThreadLocal<>();

  private final String text;
  private final String language;
  private List<String> lines;
  private List<String> nonBlankLines;
  private List<String> paragraphs;
  private String[] words;
  private int[] coreLengths;
  private long[] wordHashes;

  private TextUnits(String text, String language) {
    this.text = text;
    this.language = language;
  }

  /** The analysis of {@code text} with whitespace-separated words (English rules). */
  public static TextUnits of(String text) {
    return of(text, null);
  }

  /**
   * The analysis of {@code text} in {@code language} (ISO 639-1, null = unknown), reused if this
   * thread analysed the very same String instance in the same language last.
   */
  public static TextUnits of(String text, String language) {
    TextUnits last = LAST.get();
    if (last != null && last.text == text && java.util.Objects.equals(last.language, language))
      return last;
    TextUnits units = new TextUnits(text, language);
    LAST.set(units);
    return units;
  }

  public String text() {
    return text;
  }

  /** All lines, including empty ones (like Python's {@code str.splitlines()}). */
  public List<String> lines() {
    if (lines == null) {
      List<String> out = new ArrayList<>();
      int start = 0;
      int n = text.length();
      for (int i = 0; i < n; i++) {
        char c = text.charAt(i);
        if (c == '\n' || c == '\r') {
          out.add(text.substring(start, i));
          if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
          start = i + 1;
        }
      }
      if (start < n) out.add(text.substring(start));
      lines = out;
    }
    return lines;
  }

  /** Lines that contain something other than white space. */
  public List<String> nonBlankLines() {
    if (nonBlankLines == null) {
      List<String> out = new ArrayList<>();
      for (String line : lines()) if (!line.isBlank()) out.add(line);
      nonBlankLines = out;
    }
    return nonBlankLines;
  }

  /**
   * Paragraphs: the trimmed text split at blank lines (one or more lines holding only white space).
   */
  public List<String> paragraphs() {
    if (paragraphs == null) {
      List<String> out = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String line : lines()) {
        if (line.isBlank()) {
          if (current.length() > 0) {
            out.add(current.toString());
            current.setLength(0);
          }
        } else {
          if (current.length() > 0) current.append('\n');
          current.append(line);
        }
      }
      if (current.length() > 0) out.add(current.toString());
      paragraphs = out;
    }
    return paragraphs;
  }

  /**
   * Words in order: whitespace-separated, or dictionary segments for languages written without
   * spaces.
   */
  public String[] words() {
    if (words == null) splitWords();
    return words;
  }

  public int wordCount() {
    return words().length;
  }

  /**
   * Length of each word without its leading/trailing punctuation and symbols; 0 for symbol words.
   */
  public int[] coreLengths() {
    if (coreLengths == null) {
      String[] ws = words();
      int[] out = new int[ws.length];
      for (int i = 0; i < ws.length; i++) out[i] = coreLength(ws[i]);
      coreLengths = out;
    }
    return coreLengths;
  }

  /**
   * The word without leading/trailing punctuation and symbols, e.g. {@code "(The"} -> {@code
   * "The"}.
   */
  public static String core(String word) {
    int s = 0;
    int e = word.length();
    while (s < e && isEdgeSymbol(word.charAt(s))) s++;
    while (e > s && isEdgeSymbol(word.charAt(e - 1))) e--;
    return word.substring(s, e);
  }

  private static int coreLength(String word) {
    int s = 0;
    int e = word.length();
    while (s < e && isEdgeSymbol(word.charAt(s))) s++;
    while (e > s && isEdgeSymbol(word.charAt(e - 1))) e--;
    return e - s;
  }

  private static boolean isEdgeSymbol(char c) {
    if (c < 0x80) return !Character.isLetterOrDigit(c);
    return switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL ->
          true;
      default -> false;
    };
  }

  public static boolean isSpace(char c) {
    return c == ' '
        || c == '\n'
        || c == '\t'
        || c == '\r'
        || (c > 0x7f && (Character.isWhitespace(c) || Character.isSpaceChar(c)));
  }

  private void splitWords() {
    if (LanguageText.segmentsWithDictionary(language)) {
      words = LanguageText.words(text, language);
      return;
    }
    List<String> out = new ArrayList<>(text.length() / 5 + 1);
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && isSpace(text.charAt(i))) i++;
      int start = i;
      while (i < n && !isSpace(text.charAt(i))) i++;
      if (i > start) out.add(text.substring(start, i));
    }
    words = out.toArray(new String[0]);
  }

  /** 64-bit hash per word (FNV-1a over the UTF-16 chars), the alphabet of the n-gram hashes. */
  private long[] wordHashes() {
    if (wordHashes == null) {
      String[] ws = words();
      long[] out = new long[ws.length];
      for (int i = 0; i < ws.length; i++) {
        long h = 0xcbf29ce484222325L;
        String w = ws[i];
        for (int k = 0; k < w.length(); k++) h = (h ^ w.charAt(k)) * 0x100000001b3L;
        out[i] = h;
      }
      wordHashes = out;
    }
    return wordHashes;
  }

  private long ngramHash(int start, int n) {
    long[] wh = wordHashes();
    long h = n;
    for (int k = 0; k < n; k++) h = (h ^ wh[start + k]) * 0x9E3779B97F4A7C15L + k;
    return h ^ (h >>> 29);
  }

  /** Characters of words[start..start+n) without separators. */
  private int ngramChars(int start, int n) {
    String[] ws = words();
    int len = 0;
    for (int k = 0; k < n; k++) len += ws[start + k].length();
    return len;
  }

  /**
   * Characters covered by the most frequent word n-gram, counting every occurrence: its length
   * (words joined by single spaces) times its count. 0 when no n-gram occurs twice (a unique n-gram
   * is not repetition).
   */
  public long topNgramChars(int n) {
    int positions = wordCount() - n + 1;
    if (positions < 2) return 0;
    LongCounts counts = new LongCounts(positions);
    int bestCount = 1;
    int bestStart = -1;
    for (int i = 0; i < positions; i++) {
      int c = counts.increment(ngramHash(i, n));
      if (c > bestCount) {
        bestCount = c;
        bestStart = i;
      }
    }
    return bestStart < 0 ? 0 : (long) bestCount * (ngramChars(bestStart, n) + n - 1);
  }

  /**
   * Characters (words without separators) in n-grams that repeat an earlier n-gram, scanning left
   * to right and jumping past each repeat so overlapping repeats are not counted twice (the Gopher
   * / datatrove definition).
   */
  public long duplicateNgramChars(int n) {
    int positions = wordCount() - n + 1;
    if (positions < 2) return 0;
    LongCounts seen = new LongCounts(positions);
    long repeated = 0;
    int i = 0;
    while (i < positions) {
      if (seen.increment(ngramHash(i, n)) > 1) {
        repeated += ngramChars(i, n);
        i += n;
      } else {
        i++;
      }
    }
    return repeated;
  }

  /**
   * Duplicates among {@code elements}: {count of elements equal to an earlier one, their total
   * length in chars}.
   */
  public static long[] duplicates(List<String> elements) {
    java.util.HashSet<String> seen = new java.util.HashSet<>(elements.size() * 2);
    long dupElements = 0;
    long dupChars = 0;
    for (String e : elements) {
      if (!seen.add(e)) {
        dupElements++;
        dupChars += e.length();
      }
    }
    return new long[] {dupElements, dupChars};
  }

  /** Occurrences of {@code needle} in {@code text}, non-overlapping. */
  public static int count(String text, String needle) {
    int n = 0;
    int from = 0;
    while ((from = text.indexOf(needle, from)) >= 0) {
      n++;
      from += needle.length();
    }
    return n;
  }

  /** Open-addressing long -> count map; enough for the n-gram counts of one document. */
  private static final class LongCounts {
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    LongCounts(int expected) {
      int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
      keys = new long[cap];
      values = new int[cap];
      mask = cap - 1;
    }

    /** Add one to {@code key}'s count and return the new count. */
    int increment(long key) {
      int slot = (int) (key ^ (key >>> 32)) & mask;
      while (values[slot] != 0) {
        if (keys[slot] == key) return ++values[slot];
        slot = (slot + 1) & mask;
      }
      keys[slot] = key;
      values[slot] = 1;
      if (++size * 2 > keys.length) grow();
      return 1;
    }

    private void grow() {
      long[] oldKeys = keys;
      int[] oldValues = values;
      keys = new long[oldKeys.length * 2];
      values = new int[oldKeys.length * 2];
      mask = keys.length - 1;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldValues[i] == 0) continue;
        int slot = (int) (oldKeys[i] ^ (oldKeys[i] >>> 32)) & mask;
        while (values[slot] != 0) slot = (slot + 1) & mask;
        keys[slot] = oldKeys[i];
        values[slot] = oldValues[i];
      }
    }
  }
}
