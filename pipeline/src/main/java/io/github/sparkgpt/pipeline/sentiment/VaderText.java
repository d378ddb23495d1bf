package io.github.sparkgpt.pipeline.sentiment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * VADER's tokenisation: split on whitespace, drop one-character tokens, and strip punctuation from
 * PUNC_LIST before or after a word, keeping contractions and most emoticons (":)" stays, ":D" does
 * not survive as one token).
 */
final class VaderText {

  private VaderText() {}

  /** JavaScript's {@code \s}, which the package splits on (Java's {@code \s} is ASCII only). */
  private static final Pattern SPACE =
      Pattern.compile(
          "[\\t\\n"
              + "\\x0B\\f\\r"
              + " \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]");

  /** ASCII punctuation, removed to find the words that punctuated tokens map back to. */
  private static final Pattern PUNCTUATION =
      Pattern.compile("[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]");

  static List<String> wordsAndEmoticons(String text) {
    Set<String> words = new HashSet<>();
    for (String w : SPACE.split(PUNCTUATION.matcher(text).replaceAll(""), -1)) {
      if (w.length() > 1) words.add(w);
    }
    List<String> out = new ArrayList<>();
    for (String token : SPACE.split(text, -1)) {
      if (token.length() > 1) out.add(stripped(token, words));
    }
    return out;
  }

  /**
   * The word a token is, once one PUNC_LIST entry before or after it is removed; else the token. A
   * word holds no punctuation, so at most one split of the token can match.
   */
  private static String stripped(String token, Set<String> words) {
    for (String p : VaderWords.PUNC_LIST) {
      if (token.startsWith(p) && words.contains(token.substring(p.length()))) {
        return token.substring(p.length());
      }
      if (token.endsWith(p) && words.contains(token.substring(0, token.length() - p.length()))) {
        return token.substring(0, token.length() - p.length());
      }
    }
    return token;
  }

  /** Python's {@code str.isupper} as the package has it: some capitals and no lower-case a-z. */
  static boolean isUpper(String word) {
    return UPPER.matcher(word).matches();
  }

  private static final Pattern UPPER = Pattern.compile("[^a-z]*[A-Z]+[^a-z]*");

  /** True when some, but not all, words are in ALL CAPS: only then do capitals add emphasis. */
  static boolean allCapDifferential(List<String> words) {
    int caps = 0;
    for (String w : words) if (isUpper(w)) caps++;
    int differential = words.size() - caps;
    return differential > 0 && differential < words.size();
  }
}
