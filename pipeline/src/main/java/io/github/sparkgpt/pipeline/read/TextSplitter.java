package io.github.sparkgpt.pipeline.read;

import io.github.sparkgpt.pipeline.Utf8;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cuts a long plain-text file (a book, a manual, a transcript) into documents at natural
 * boundaries, so that the per-document rules (Gopher's word limits, C4's sentence count), the
 * train/validation split and deduplication see pieces of the size they were designed for instead of
 * one huge document.
 *
 * <p>A file up to {@code maxBytes} stays whole. A longer one is cut between blank-line paragraphs:
 * a part ends before a chapter or section heading once it holds {@code minBytes}, and before any
 * paragraph that would take it past {@code maxBytes}. A single paragraph longer than {@code
 * maxBytes} is cut between its lines. Parts are slices of the text, with the blank lines around
 * them dropped; nothing else is removed.
 */
final class TextSplitter {
  /** How {@link #split} cuts; the config spelling is lower case. */
  enum Mode {
    /** Cut at chapter/section headings where present, between paragraphs to stay under the size. */
    AUTO,
    /** Cut between paragraphs by size only. */
    PARAGRAPHS,
    /** One document per file. */
    NEVER;

    static Mode parse(String s) {
      for (Mode m : values()) if (m.name().toLowerCase(Locale.ROOT).equals(s)) return m;
      throw new IllegalArgumentException(
          "read.split '" + s + "' is unknown: use auto, paragraphs or never");
    }
  }

  private static final String NUMBER =
      "(?:\\d{1,4}|[ivxlcdm]{1,8}|(?:the\\s+)?(?:one|two|three|four|five|six|seven"
          + "|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty"
          + "|forty|fifty|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last)(?:[-"
          + " ](?:one|two|three|four|five|six|seven|eight|nine|first|second|third|fourth|fifth|sixth|seventh"
          + "|eighth|ninth))?)";

  /**
   * "CHAPTER I.", "Chapter 1", "BOOK II: The Return", "Part the Second", "Volume III", "Canto 4": a
   * keyword and a number, then nothing or punctuation and a title. "Part two of the plan ..." is
   * prose, not a heading.
   */
  private static final Pattern NUMBERED =
      Pattern.compile(
          "(?i)(?:chapter|book|part|volume|section|canto|act|scene"
              + "|stave|letter|chap\\.)\\s+"
              + NUMBER
              + "\\s*(?:[.:\u2014\u2013-].*)?");

  /** A roman or arabic number alone on its line ("XII", "IV.", "12."). */
  private static final Pattern BARE_NUMBER = Pattern.compile("(?:[IVXLCDM]{1,8}|\\d{1,4})\\.?");

  /** Unnumbered sections that start a new part of a book. */
  private static final Pattern NAMED =
      Pattern.compile(
          "(?:PREFACE|PROLOGUE|EPILOGUE|INTRODUCTION|FOREWORD|AFTERWORD"
              + "|APPENDIX|CONCLUSION|Preface|Prologue|Epilogue|Introduction|Foreword|Afterword|Appendix|Conclusion)\\.?");

  /** Headings are short lines. */
  static final int MAX_HEADING_CHARS = 80;

  private final Mode mode;
  private final long maxBytes;
  private final long minBytes;

  TextSplitter(Mode mode, long maxBytes, long minBytes) {
    this.mode = mode;
    this.maxBytes = maxBytes;
    this.minBytes = minBytes;
  }

  /** A line that opens a chapter or section. */
  static boolean isHeading(String line) {
    String s = line.strip();
    if (s.isEmpty() || s.length() > MAX_HEADING_CHARS) return false;
    return NUMBERED.matcher(s).matches()
        || BARE_NUMBER.matcher(s).matches()
        || NAMED.matcher(s).matches();
  }

  /**
   * The parts of {@code text}, in order; one part (the text itself) when it is short or splitting
   * is off.
   */
  List<String> split(String text) {
    if (mode == Mode.NEVER || Utf8.encodedLength(text) <= maxBytes) return List.of(text);
    List<int[]> paragraphs = paragraphs(text);
    List<String> parts = new ArrayList<>();
    int partStart = -1;
    int partEnd = -1;
    long partBytes = 0;
    for (int[] p : paragraphs) {
      long bytes = Utf8.encodedLength(text.substring(p[0], p[1]));
      long gap =
          partStart < 0
              ? 0
              : Utf8.encodedLength(text.substring(partEnd, p[0])); // blank lines between
      boolean heading = mode == Mode.AUTO && isHeading(firstLine(text, p[0], p[1]));
      if (partStart >= 0
          && ((heading && partBytes >= minBytes) || partBytes + gap + bytes > maxBytes)) {
        parts.add(text.substring(partStart, partEnd));
        partStart = -1;
        partBytes = 0;
      }
      if (bytes > maxBytes) {
        splitLines(text, p[0], p[1], parts);
        continue;
      }
      if (partStart < 0) {
        partStart = p[0];
        gap = 0;
      }
      partEnd = p[1];
      partBytes += gap + bytes;
    }
    if (partStart >= 0) parts.add(text.substring(partStart, partEnd));
    return parts;
  }

  /** [start, end) of each run of non-blank lines. */
  private static List<int[]> paragraphs(String text) {
    List<int[]> out = new ArrayList<>();
    int start = -1;
    int end = -1;
    int pos = 0;
    while (pos <= text.length()) {
      int nl = text.indexOf('\n', pos);
      int lineEnd = nl < 0 ? text.length() : nl;
      if (isBlank(text, pos, lineEnd)) {
        if (start >= 0) out.add(new int[] {start, end});
        start = -1;
      } else {
        if (start < 0) start = pos;
        end = lineEnd;
      }
      if (nl < 0) break;
      pos = nl + 1;
    }
    if (start >= 0) out.add(new int[] {start, end});
    return out;
  }

  /**
   * A paragraph too long for one part: its lines grouped up to the size (a single longer line stays
   * whole).
   */
  private void splitLines(String text, int from, int to, List<String> parts) {
    int start = from;
    int end = from;
    long bytes = 0;
    int pos = from;
    while (pos < to) {
      int nl = text.indexOf('\n', pos);
      int lineEnd = nl < 0 || nl > to ? to : nl;
      long lineBytes = Utf8.encodedLength(text.substring(pos, lineEnd)) + 1;
      if (end > start && bytes + lineBytes > maxBytes) {
        parts.add(text.substring(start, end));
        start = pos;
        bytes = 0;
      }
      end = lineEnd;
      bytes += lineBytes;
      pos = lineEnd + 1;
    }
    if (end > start) parts.add(text.substring(start, end));
  }

  private static String firstLine(String text, int from, int to) {
    int nl = text.indexOf('\n', from);
    return text.substring(from, nl < 0 || nl > to ? to : nl);
  }

  private static boolean isBlank(String text, int from, int to) {
    for (int i = from; i < to; i++) if (!Character.isWhitespace(text.charAt(i))) return false;
    return true;
  }
}
