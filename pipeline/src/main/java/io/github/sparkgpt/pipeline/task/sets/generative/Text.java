package io.github.sparkgpt.pipeline.task.sets.generative;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small text helpers the generative set builders share. */
final class Text {
  private static final Pattern SPACE = Pattern.compile("[\\s\\u00a0]+");
  // A sentence ends at . ! or ? followed by space and a capital, digit, quote or bracket.
  private static final Pattern END = Pattern.compile("[.!?][\"')\\]]?(?=\\s+[\\p{Lu}\\d\"'(\\[])");
  private static final Set<String> ABBREVIATIONS =
      Set.of("e.g", "i.e", "etc", "vs", "cf", "mr", "mrs", "dr", "st", "no", "fig", "approx");

  private Text() {}

  static int words(String s) {
    String t = s.strip();
    return t.isEmpty() ? 0 : SPACE.split(t).length;
  }

  /** Whitespace runs (newlines and no-break spaces included) become one space. */
  static String collapse(String s) {
    return SPACE.matcher(s).replaceAll(" ").strip();
  }

  /**
   * The first sentence of collapsed text; a period after a known abbreviation or one letter does
   * not end it.
   */
  static String firstSentence(String s) {
    String t = collapse(s);
    Matcher m = END.matcher(t);
    while (m.find()) {
      int start = t.lastIndexOf(' ', m.start()) + 1;
      String word = t.substring(start, m.start()).toLowerCase(java.util.Locale.ROOT);
      if (t.charAt(m.start()) == '.' && (word.length() <= 1 || ABBREVIATIONS.contains(word)))
        continue;
      return t.substring(0, m.end()).strip();
    }
    return t;
  }
}
