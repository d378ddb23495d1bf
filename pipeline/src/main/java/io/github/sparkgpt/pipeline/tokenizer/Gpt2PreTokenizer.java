package io.github.sparkgpt.pipeline.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2's pre-tokenizer, hand-written: the same splits as the regex
 *
 * <pre>'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</pre>
 *
 * with Unicode character classes ({@code \s} = the White_Space property), but with no regex engine,
 * no allocation and one pass over the chars. Contractions are lower-case only, as in GPT-2. A run
 * of whitespace followed by a word gives its last space to that word ("a b" -> "a", " ", " b").
 * Lone surrogates count as punctuation.
 */
public final class Gpt2PreTokenizer {
  static final byte SPACE = 0, LETTER = 1, NUMBER = 2, OTHER = 3;
  private static final byte[] ASCII = new byte[128];

  static {
    for (int c = 0; c < 128; c++) ASCII[c] = classOfSlow(c);
  }

  private Gpt2PreTokenizer() {}

  /**
   * Pre-tokens of {@code text}, as strings (training and tests; encoding uses {@link #nextEnd}).
   */
  public static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    int end = text.length();
    for (int pos = 0; pos < end; ) {
      int next = nextEnd(text, pos, end);
      out.add(text.substring(pos, next));
      pos = next;
    }
    return out;
  }

  /**
   * End (exclusive) of the pre-token starting at {@code pos}; {@code end} acts as the end of the
   * text.
   */
  public static int nextEnd(CharSequence s, int pos, int end) {
    char c = s.charAt(pos);
    if (c == '\'' && pos + 1 < end) { // 's 't 'm 'd 'll 've 're
      char n = s.charAt(pos + 1);
      if (n == 's' || n == 't' || n == 'm' || n == 'd') return pos + 2;
      if (pos + 2 < end) {
        char n2 = s.charAt(pos + 2);
        if ((n == 'l' && n2 == 'l') || (n == 'v' && n2 == 'e') || (n == 'r' && n2 == 'e'))
          return pos + 3;
      }
    }
    int p = pos;
    int cls = classAt(s, p, end);
    if (c == ' '
        && p + 1
            < end) { // optional leading space joins a following word, number or punctuation run
      int nextCls = classAt(s, p + 1, end);
      if (nextCls != SPACE) {
        p++;
        cls = nextCls;
      }
    }
    if (cls != SPACE) return scan(s, p, end, cls);
    int q = scan(s, pos, end, SPACE);
    // \s+(?!\S) leaves the last space for the next word; a single space before a word is matched by
    // \s+
    return (q == end || q - pos == 1) ? q : q - 1;
  }

  /** Index after the run of class {@code cls} that starts at {@code p}. */
  private static int scan(CharSequence s, int p, int end, int cls) {
    while (p < end) {
      char c = s.charAt(p);
      if (c < 128) {
        if (ASCII[c] != cls) break;
        p++;
      } else {
        int cp = codePointAt(s, p, end);
        if (classOfSlow(cp) != cls) break;
        p += Character.charCount(cp);
      }
    }
    return p;
  }

  private static int classAt(CharSequence s, int p, int end) {
    char c = s.charAt(p);
    return c < 128 ? ASCII[c] : classOfSlow(codePointAt(s, p, end));
  }

  private static int codePointAt(CharSequence s, int p, int end) {
    char c = s.charAt(p);
    if (Character.isHighSurrogate(c) && p + 1 < end) {
      char d = s.charAt(p + 1);
      if (Character.isLowSurrogate(d)) return Character.toCodePoint(c, d);
    }
    return c;
  }

  static byte classOfSlow(int cp) {
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER:
      case Character.LOWERCASE_LETTER:
      case Character.TITLECASE_LETTER:
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
        return LETTER;
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
        return NUMBER;
      case Character.SPACE_SEPARATOR:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        return SPACE;
      default: // White_Space also has the controls TAB..CR and NEL
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 ? SPACE : OTHER;
    }
  }
}
