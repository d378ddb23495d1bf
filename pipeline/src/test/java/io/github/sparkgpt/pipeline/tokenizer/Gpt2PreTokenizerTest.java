package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Gpt2PreTokenizerTest {
  /**
   * GPT-2's pattern with Unicode classes: the reference the hand-written splitter must reproduce.
   */
  private static final Pattern GPT2 =
      Pattern.compile(
          "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private static List<String> regexSplit(String s) {
    List<String> out = new ArrayList<>();
    Matcher m = GPT2.matcher(s);
    while (m.find()) out.add(m.group());
    return out;
  }

  @Test
  void handWrittenCases() {
    assertEquals(List.of("Hello", " world"), Gpt2PreTokenizer.split("Hello world"));
    assertEquals(List.of("a", "  ", " b"), Gpt2PreTokenizer.split("a   b"));
    assertEquals(List.of("x", "\n", "\n", "y"), Gpt2PreTokenizer.split("x\n\ny"));
    assertEquals(List.of(" ", " end", "   "), Gpt2PreTokenizer.split("  end   "));
    assertEquals(
        List.of("don", "'t", " you", "'ll", " I", "'m"),
        Gpt2PreTokenizer.split("don't you'll I'm"));
    assertEquals(
        List.of("'", "S", " '", "LL"),
        Gpt2PreTokenizer.split("'S 'LL")); // contractions are lower-case only
    assertEquals(
        List.of("123", "abc", "!!!", " ?!", " 42"), Gpt2PreTokenizer.split("123abc!!! ?! 42"));
    // emoji are symbols: one punctuation run
    assertEquals(
        List.of("naïve", " 日本語", "。", " 😀👍🏽"), Gpt2PreTokenizer.split("naïve 日本語。 😀👍🏽"));
    assertEquals(
        List.of("a", "\u00a0", "b"), Gpt2PreTokenizer.split("a\u00a0b")); // NBSP is \s but not ' '
    assertEquals(List.of(), Gpt2PreTokenizer.split(""));
    assertEquals(List.of("\t "), Gpt2PreTokenizer.split("\t "));
  }

  @Test
  void sameSplitsAsTheRegexOnParagraphs() {
    for (String p : TextSamples.PARAGRAPHS)
      assertEquals(regexSplit(p), Gpt2PreTokenizer.split(p), p);
  }

  @Test
  void sameSplitsAsTheRegexOnRandomText() {
    Random rnd = new Random(1);
    for (int i = 0; i < 5000; i++) {
      String s = TextSamples.randomText(rnd, 30);
      assertEquals(regexSplit(s), Gpt2PreTokenizer.split(s), s);
    }
  }

  @Test
  void loneSurrogatesArePunctuation() {
    String s = "a\uD800b \uDC00\uDC00c";
    assertEquals(regexSplit(s), Gpt2PreTokenizer.split(s));
    assertEquals(List.of("a", "\uD800", "b", " \uDC00\uDC00", "c"), Gpt2PreTokenizer.split(s));
  }
}
