package io.github.sparkgpt.pipeline.normalise;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import java.text.Normalizer;

/**
 * Stage {@code normalise}: makes equal text equal byte for byte before filters and dedup look at
 * it. In order, each step switchable:
 *
 * <ol>
 *   <li>line endings: CRLF and lone CR become LF;
 *   <li>control characters (Unicode Cc) are removed, except newline and tab (and CR when step 1 is
 *       off);
 *   <li>Unicode NFC, so a precomposed "é" and "e" + combining acute are the same string;
 *   <li>inside a line, every run of two or more spaces/tabs after the first visible character
 *       becomes one space (leading indentation is kept: it carries structure in poetry, lists and
 *       code);
 *   <li>trailing spaces and tabs of each line are stripped;
 *   <li>more than {@code max_blank_lines} consecutive blank lines collapse to that many (default 1:
 *       paragraphs stay separated by exactly one blank line);
 *   <li>the whole text is trimmed.
 * </ol>
 *
 * A document left empty is dropped ({@code normalise_empty}). Counters: {@code
 * invalid_utf8_replaced} (U+FFFD characters, which is how invalid UTF-8 looks after decoding;
 * counted, not removed), {@code control_chars_removed}, {@code nfc_changed_docs}.
 */
public final class TextNormalizer implements DocumentStage {
  private static final long serialVersionUID = 1L;

  public static final String NAME = "normalise";
  public static final String EMPTY = "normalise_empty";
  public static final String INVALID_UTF8_REPLACED = "invalid_utf8_replaced";
  public static final String CONTROL_CHARS_REMOVED = "control_chars_removed";
  public static final String NFC_CHANGED_DOCS = "nfc_changed_docs";

  private boolean normaliseLineEndings = true;
  private boolean removeControlChars = true;
  private boolean nfc = true;
  private boolean collapseSpaces = true;
  private boolean stripTrailingSpaces = true;
  private boolean collapseBlankLines = true;
  private int maxBlankLines = 1;
  private boolean trim = true;

  public TextNormalizer setNormaliseLineEndings(boolean v) {
    normaliseLineEndings = v;
    return this;
  }

  public TextNormalizer setRemoveControlChars(boolean v) {
    removeControlChars = v;
    return this;
  }

  public TextNormalizer setNfc(boolean v) {
    nfc = v;
    return this;
  }

  public TextNormalizer setCollapseSpaces(boolean v) {
    collapseSpaces = v;
    return this;
  }

  public TextNormalizer setStripTrailingSpaces(boolean v) {
    stripTrailingSpaces = v;
    return this;
  }

  public TextNormalizer setCollapseBlankLines(boolean v) {
    collapseBlankLines = v;
    return this;
  }

  /** Blank lines kept between two non-blank lines when {@code collapse_blank_lines} is on. */
  public TextNormalizer setMaxBlankLines(int v) {
    maxBlankLines = v;
    return this;
  }

  public TextNormalizer setTrim(boolean v) {
    trim = v;
    return this;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void validate() {
    if (maxBlankLines < 0) {
      throw new IllegalArgumentException(
          "normalise.max_blank_lines must be >= 0 (1 keeps paragraph breaks), got "
              + maxBlankLines);
    }
  }

  @Override
  public Verdict apply(Document doc, StageCounters counters) {
    String out = normalise(doc.text(), counters);
    if (out.isEmpty()) return Verdict.drop(EMPTY);
    return Verdict.keep(out.equals(doc.text()) ? doc : doc.withText(out));
  }

  /** The normalised text; counters are updated. */
  public String normalise(String text, StageCounters counters) {
    counters.add(INVALID_UTF8_REPLACED, count(text, '\uFFFD'));
    String s = fixCharacters(text, counters);
    if (nfc && !Normalizer.isNormalized(s, Normalizer.Form.NFC)) {
      s = Normalizer.normalize(s, Normalizer.Form.NFC);
      counters.increment(NFC_CHANGED_DOCS);
    }
    if (collapseSpaces || stripTrailingSpaces || collapseBlankLines) s = fixLines(s);
    return trim ? s.strip() : s;
  }

  /** Steps 1 and 2, one pass over the characters. */
  private String fixCharacters(String s, StageCounters counters) {
    if (!normaliseLineEndings && !removeControlChars) return s;
    StringBuilder sb = new StringBuilder(s.length());
    long removed = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' && normaliseLineEndings) {
        sb.append('\n');
        if (i + 1 < s.length() && s.charAt(i + 1) == '\n') i++;
      } else if (removeControlChars
          && Character.getType(c) == Character.CONTROL
          && c != '\n'
          && c != '\t'
          && c != '\r') {
        removed++;
      } else {
        sb.append(c);
      }
    }
    counters.add(CONTROL_CHARS_REMOVED, removed);
    return sb.length() == s.length() ? s : sb.toString();
  }

  /** Steps 4 to 6, line by line. */
  private String fixLines(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    int blankRun = 0;
    int start = 0;
    while (start <= s.length()) {
      int nl = s.indexOf('\n', start);
      int end = nl < 0 ? s.length() : nl;
      String line = s.substring(start, end);
      if (collapseSpaces) line = collapseInterior(line);
      if (stripTrailingSpaces) line = stripTrailing(line);
      boolean blank = isSpaces(line);
      if (blank) blankRun++;
      else blankRun = 0;
      if (!(collapseBlankLines && blank && blankRun > maxBlankLines)) {
        sb.append(line);
        if (nl >= 0) sb.append('\n');
      }
      if (nl < 0) break;
      start = nl + 1;
    }
    return sb.toString();
  }

  private static String collapseInterior(String line) {
    int i = 0;
    while (i < line.length() && isSpace(line.charAt(i))) i++; // keep indentation
    StringBuilder sb = null;
    int copied = 0;
    while (i < line.length()) {
      if (!isSpace(line.charAt(i))) {
        i++;
        continue;
      }
      int j = i;
      while (j < line.length() && isSpace(line.charAt(j))) j++;
      if (j - i >= 2) {
        if (sb == null) sb = new StringBuilder(line.length());
        sb.append(line, copied, i).append(' ');
        copied = j;
      }
      i = j;
    }
    if (sb == null) return line;
    return sb.append(line, copied, line.length()).toString();
  }

  private static String stripTrailing(String line) {
    int end = line.length();
    while (end > 0 && isSpace(line.charAt(end - 1))) end--;
    return end == line.length() ? line : line.substring(0, end);
  }

  private static boolean isSpaces(String line) {
    for (int i = 0; i < line.length(); i++) if (!isSpace(line.charAt(i))) return false;
    return true;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }

  private static long count(String s, char c) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) == c) n++;
    return n;
  }
}
