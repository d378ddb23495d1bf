package io.github.sparkgpt.pipeline;

/** UTF-8 helpers that avoid allocating the encoded bytes. */
public final class Utf8 {
  private Utf8() {}

  /** Number of bytes {@code s} takes in UTF-8 (lone surrogates count as the 3-byte replacement). */
  public static long encodedLength(CharSequence s) {
    long n = 0;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }
}
