package io.github.sparkgpt.pipeline.tokenizer;

/** Well-formed UTF-8 (Unicode table 3-7): no overlongs, no surrogates, nothing above U+10FFFF. */
final class Utf8Scan {
  private Utf8Scan() {}

  /**
   * Length (1..4) of the well-formed sequence starting at {@code i}, or 0 if the byte there starts
   * none.
   */
  static int validSequenceLength(byte[] b, int i) {
    int b0 = b[i] & 0xFF;
    if (b0 < 0x80) return 1;
    int len, lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) len = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
    } else return 0;
    if (i + len > b.length) return 0;
    int b1 = b[i + 1] & 0xFF;
    if (b1 < lo || b1 > hi) return 0;
    for (int k = 2; k < len; k++) {
      int bk = b[i + k] & 0xFF;
      if (bk < 0x80 || bk > 0xBF) return 0;
    }
    return len;
  }

  /** UTF-8 bytes of {@code s}, a lone surrogate written as U+FFFD (as the tokenizer encodes it). */
  static byte[] encode(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) i++;
      else if (Character.isSurrogate(c)) return encode(replaceLoneSurrogates(s));
    }
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String replaceLoneSurrogates(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
    }
    return sb.toString();
  }

  /**
   * The UTF-8 bytes of {@code s[from..to)} (a lone surrogate as U+FFFD's), each written to {@code
   * out} as {@code table[byte]}; returns how many were written ({@code out} needs 3 per char).
   */
  static int encodeMapped(String s, int from, int to, int[] table, int[] out) {
    int n = 0;
    for (int i = from; i < to; i++) {
      int c = s.charAt(i);
      if (c < 0x80) {
        out[n++] = table[c];
        continue;
      }
      if (Character.isHighSurrogate((char) c)
          && i + 1 < to
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        c = Character.toCodePoint((char) c, s.charAt(++i));
      } else if (Character.isSurrogate((char) c)) {
        c = 0xFFFD;
      }
      if (c < 0x800) {
        out[n++] = table[0xC0 | (c >> 6)];
      } else if (c < 0x10000) {
        out[n++] = table[0xE0 | (c >> 12)];
        out[n++] = table[0x80 | ((c >> 6) & 0x3F)];
      } else {
        out[n++] = table[0xF0 | (c >> 18)];
        out[n++] = table[0x80 | ((c >> 12) & 0x3F)];
        out[n++] = table[0x80 | ((c >> 6) & 0x3F)];
      }
      out[n++] = table[0x80 | (c & 0x3F)];
    }
    return n;
  }
}
