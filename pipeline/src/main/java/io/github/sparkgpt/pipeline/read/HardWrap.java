package io.github.sparkgpt.pipeline.read;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Recognises hard-wrapped plain text (e-books, RFCs, mail: lines broken near one width, paragraphs
 * separated by blank lines) and joins the lines of each wrapped paragraph into one, so that filters
 * which judge lines (C4's terminal punctuation, FineWeb's short lines, Gopher's line repetition)
 * see paragraphs, as on web pages.
 *
 * <p>A line was wrapped when the first word of the next line of its paragraph would not have fitted
 * on it: its length plus a space plus that word exceeds {@link #FIT_SHARE} of the wrap width, the
 * 90th percentile length of lines that continue a paragraph. In {@code auto} mode a file counts as
 * wrapped when enough of its paragraph-inner lines pass that test and few of them are followed by a
 * capitalised line (verse capitalises every line); then each paragraph is joined only if it passes
 * the test itself and none of its continuation lines is indented or looks like a list item or a
 * table row, so verse, lists, code and tables inside a wrapped book keep their lines.
 */
final class HardWrap {
  /** How {@link #unwrap} decides; the config spelling is lower case. */
  enum Mode {
    /** Join paragraphs of files that look hard-wrapped, leave every other file as it is. */
    AUTO,
    /**
     * Join the lines of every paragraph of every file (text known to be wrapped, at whatever
     * width).
     */
    ALWAYS,
    /** Never join lines. */
    NEVER;

    static Mode parse(String s) {
      for (Mode m : values()) if (m.name().toLowerCase(Locale.ROOT).equals(s)) return m;
      throw new IllegalArgumentException(
          "read.unwrap '" + s + "' is unknown: use auto, always or never");
    }
  }

  /** Narrower wrap widths are not prose wrapping (verse, lists, columns). */
  static final int MIN_WIDTH = 30;

  /**
   * A wrapped line plus the next word exceeds this share of the wrap width (wrappers differ by a
   * few columns).
   */
  static final double FIT_SHARE = 0.85;

  /** Auto: at least this share of a file's paragraph-inner lines must pass the fit test. */
  static final double MIN_WRAPPED_SHARE = 0.7;

  /**
   * Auto: at most this share of paragraph-inner lines may be followed by a line starting with a
   * capital.
   */
  static final double MAX_CAPITALISED_SHARE = 0.5;

  /** Auto: fewer paragraph-inner lines than this are too little evidence. */
  static final int MIN_INNER_LINES = 3;

  /** Percentile of paragraph-inner line lengths taken as the wrap width. */
  static final double WIDTH_PERCENTILE = 0.9;

  /**
   * The unwrapped text, the number of line breaks removed and whether the file was judged
   * hard-wrapped.
   */
  record Result(String text, long linesJoined, boolean wrapped) {}

  private HardWrap() {}

  static Result unwrap(String text, Mode mode) {
    if (mode == Mode.NEVER || text.indexOf('\n') < 0) return new Result(text, 0, false);
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].endsWith("\r")) lines[i] = lines[i].substring(0, lines[i].length() - 1);
    }
    int width = width(lines);
    if (mode == Mode.AUTO && !looksWrapped(lines, width)) return new Result(text, 0, false);
    StringBuilder out = new StringBuilder(text.length());
    long joined = 0;
    int i = 0;
    while (i < lines.length) {
      if (lines[i].isBlank()) {
        out.append(lines[i]).append('\n');
        i++;
        continue;
      }
      int end = i;
      while (end + 1 < lines.length && !lines[end + 1].isBlank()) end++;
      if (end > i && (mode == Mode.ALWAYS || paragraphWrapped(lines, i, end, width))) {
        out.append(join(lines, i, end)).append('\n');
        joined += end - i;
      } else {
        for (int k = i; k <= end; k++) out.append(lines[k]).append('\n');
      }
      i = end + 1;
    }
    if (joined == 0) return new Result(text, 0, false); // untouched, line ends included
    out.setLength(out.length() - 1); // split(-1) gave one more element than there were newlines
    return new Result(out.toString(), joined, true);
  }

  /**
   * The wrap width: a high percentile of the lengths of lines followed by another line of their
   * paragraph.
   */
  static int width(String[] lines) {
    List<Integer> inner = new ArrayList<>();
    for (int i = 0; i + 1 < lines.length; i++) {
      if (!lines[i].isBlank() && !lines[i + 1].isBlank())
        inner.add(lines[i].stripTrailing().length());
    }
    if (inner.isEmpty()) return 0;
    int[] sorted = inner.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(WIDTH_PERCENTILE * sorted.length))];
  }

  private static boolean looksWrapped(String[] lines, int width) {
    if (width < MIN_WIDTH) return false;
    int inner = 0;
    int fits = 0;
    int capitalised = 0;
    for (int i = 0; i + 1 < lines.length; i++) {
      if (lines[i].isBlank() || lines[i + 1].isBlank()) continue;
      inner++;
      if (nextWordWouldNotFit(lines[i], lines[i + 1], width)) fits++;
      String next = lines[i + 1].strip();
      if (Character.isUpperCase(next.codePointAt(0))) capitalised++;
    }
    return inner >= MIN_INNER_LINES
        && fits >= MIN_WRAPPED_SHARE * inner
        && capitalised <= MAX_CAPITALISED_SHARE * inner;
  }

  /** Every continuation line plain prose, and the paragraph's inner lines mostly wrapped. */
  private static boolean paragraphWrapped(String[] lines, int from, int to, int width) {
    int indent = commonIndent(lines, from, to);
    if (indent > 0) return indentedBlockWrapped(lines, from, to, indent);
    int fits = 0;
    for (int k = from; k <= to; k++) {
      if (layoutLine(lines[k], k > from)) return false;
      if (k < to && nextWordWouldNotFit(lines[k], lines[k + 1], width)) fits++;
    }
    return fits >= MIN_WRAPPED_SHARE * (to - from);
  }

  /**
   * The indentation every line of the paragraph shares exactly, or 0 if they differ or there is
   * none.
   */
  private static int commonIndent(String[] lines, int from, int to) {
    int indent = leadingSpaces(lines[from]);
    for (int k = from + 1; k <= to; k++) if (leadingSpaces(lines[k]) != indent) return 0;
    return indent;
  }

  private static int leadingSpaces(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') i++;
    return i;
  }

  /**
   * A block indented as a whole (a letter or a quotation inside a book) is often wrapped at its
   * own, narrower width: judge it on that width, and like a file (enough lines, few capitalised
   * continuations: verse is indented this way too).
   */
  private static boolean indentedBlockWrapped(String[] lines, int from, int to, int indent) {
    String[] block = new String[to - from + 1];
    for (int k = from; k <= to; k++) {
      String line = lines[k].substring(indent);
      if (layoutLine(line, k > from)) return false;
      block[k - from] = line;
    }
    return looksWrapped(block, width(block));
  }

  /**
   * A line that carries layout: indented (when it continues a paragraph), a list item, a table row
   * (a pipe, a tab or a run of three spaces between words). Such paragraphs keep their lines.
   */
  private static boolean layoutLine(String line, boolean continuation) {
    if (continuation && !line.isEmpty() && Character.isWhitespace(line.charAt(0))) return true;
    String s = line.strip();
    if (s.indexOf('|') >= 0 || s.indexOf('\t') >= 0 || s.contains("   ")) return true;
    return continuation && isListItem(s);
  }

  private static boolean isListItem(String s) {
    if (s.length() > 1 && "-*\u2022+".indexOf(s.charAt(0)) >= 0 && s.charAt(1) == ' ') return true;
    int i = 0;
    while (i < s.length() && i < 3 && Character.isDigit(s.charAt(i))) i++;
    return i > 0
        && i + 1 < s.length()
        && (s.charAt(i) == '.' || s.charAt(i) == ')')
        && s.charAt(i + 1) == ' ';
  }

  private static boolean nextWordWouldNotFit(String line, String next, int width) {
    String n = next.strip();
    int space = 0;
    while (space < n.length() && !Character.isWhitespace(n.charAt(space))) space++;
    return line.stripTrailing().length() + 1 + space > FIT_SHARE * width;
  }

  /**
   * One line: inner breaks become a space, or nothing after a hyphen that ends a word ("well-" +
   * "known").
   */
  private static String join(String[] lines, int from, int to) {
    StringBuilder sb = new StringBuilder(lines[from].stripTrailing());
    for (int k = from + 1; k <= to; k++) {
      String next = lines[k].strip();
      int n = sb.length();
      // "well-" + "known" -> "well-known", "said--" + "but" -> "said--but" (plain-text dashes).
      boolean hyphen =
          n > 1
              && sb.charAt(n - 1) == '-'
              && (Character.isLetter(sb.charAt(n - 2)) || sb.charAt(n - 2) == '-')
              && !next.isEmpty()
              && Character.isLetter(next.charAt(0));
      if (!hyphen) sb.append(' ');
      sb.append(next);
    }
    return sb.toString();
  }
}
