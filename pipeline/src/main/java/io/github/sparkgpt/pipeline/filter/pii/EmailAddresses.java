package io.github.sparkgpt.pipeline.filter.pii;

/**
 * Whether a candidate string is a whole {@code local@domain.tld} address, checked by a linear scan.
 * A regular expression such as {@code [x]+(?:\.[x]+)*@...} recurses once per repetition in {@code
 * java.util.regex}, so a long dotted run ("a.a.a.a...@", found in real dumps) overflowed the stack
 * and failed the task; this scan uses constant stack on any input.
 *
 * <p>Accepted: a local part of dot-separated non-empty runs of Unicode letters, numbers and {@code
 * _ % + -}; one {@code @}; a domain of one or more labels followed by a top-level domain, each
 * label 1..63 letters, numbers or hyphens starting and ending with a letter or number, the
 * top-level domain 2..24 letters.
 */
final class EmailAddresses {
  static final int MAX_LABEL = 63;
  static final int MIN_TLD = 2;
  static final int MAX_TLD = 24;

  private EmailAddresses() {}

  static boolean isAddress(String s) {
    int at = s.indexOf('@');
    if (at <= 0 || at != s.lastIndexOf('@')) return false;
    return isLocalPart(s, 0, at) && isDomain(s, at + 1, s.length());
  }

  private static boolean isLocalPart(String s, int from, int to) {
    boolean segmentEmpty = true;
    for (int i = from; i < to; ) {
      int c = s.codePointAt(i);
      if (c == '.') {
        if (segmentEmpty) return false; // leading dot or ".."
        segmentEmpty = true;
      } else if (isLetterOrNumber(c) || c == '_' || c == '%' || c == '+' || c == '-') {
        segmentEmpty = false;
      } else {
        return false;
      }
      i += Character.charCount(c);
    }
    return !segmentEmpty;
  }

  private static boolean isDomain(String s, int from, int to) {
    int lastDot = s.lastIndexOf('.', to - 1);
    if (lastDot < from + 1) return false; // needs at least one label before the top-level domain
    int tld = 0;
    for (int i = lastDot + 1; i < to; ) {
      int c = s.codePointAt(i);
      if (!Character.isLetter(c)) return false;
      tld++;
      i += Character.charCount(c);
    }
    if (tld < MIN_TLD || tld > MAX_TLD) return false;
    int labelStart = from;
    for (int i = from; i <= lastDot; i++) {
      if (s.charAt(i) == '.') {
        if (!isLabel(s, labelStart, i)) return false;
        labelStart = i + 1;
      }
    }
    return true;
  }

  private static boolean isLabel(String s, int from, int to) {
    if (from >= to) return false;
    int n = 0;
    int last = -1;
    for (int i = from; i < to; ) {
      int c = s.codePointAt(i);
      if (n == 0 && !isLetterOrNumber(c)) return false;
      if (!isLetterOrNumber(c) && c != '-') return false;
      last = c;
      n++;
      i += Character.charCount(c);
    }
    return n <= MAX_LABEL && isLetterOrNumber(last);
  }

  /** Unicode letters (category L) and numbers (Nd, Nl, No), as {@code \p{L}} and {@code \p{N}}. */
  private static boolean isLetterOrNumber(int c) {
    if (Character.isLetter(c)) return true;
    int t = Character.getType(c);
    return t == Character.DECIMAL_DIGIT_NUMBER
        || t == Character.LETTER_NUMBER
        || t == Character.OTHER_NUMBER;
  }
}
