package io.github.sparkgpt.pipeline.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ShinglerTest {
  private static long[] shingles(int size, String text) {
    Shingler s = new Shingler(size);
    s.shingle(text);
    return Arrays.copyOf(s.hashes(), s.count());
  }

  @Test
  void oneShinglePerWindowOfWords() {
    assertEquals(3, shingles(5, "one two three four five six seven").length);
    assertEquals(7, shingles(1, "one two three four five six seven").length);
  }

  @Test
  void caseSpacingAndPunctuationDoNotMatter() {
    assertArrayEquals(
        shingles(5, "Hello, world!  The QUICK brown fox."),
        shingles(5, "hello world the quick\nbrown fox"));
  }

  @Test
  void wordOrderAndWordsDoMatter() {
    long[] a = shingles(2, "a b c");
    long[] b = shingles(2, "b a c");
    assertEquals(a[1], shingles(2, "x b c")[1], "shared bigram 'b c' hashes the same");
    assertNotEquals(a[0], b[0], "'a b' and 'b a' differ");
    assertNotEquals(shingles(1, "don't")[0], shingles(1, "dont")[0], "apostrophe splits words");
  }

  @Test
  void textShorterThanShingleIsOneShingleOfAllItsWords() {
    assertEquals(1, shingles(5, "only three words").length);
    assertNotEquals(shingles(5, "only three words")[0], shingles(5, "only three")[0]);
    assertArrayEquals(shingles(5, "Only three words!"), shingles(5, "only three words"));
  }

  @Test
  void wordlessTextsShareTheEmptyShingle() {
    assertArrayEquals(shingles(5, ""), shingles(5, " ... !!! "));
    assertEquals(1, shingles(5, "").length);
  }

  @Test
  void reusedBuffersGrowForLongTexts() {
    Shingler s = new Shingler(3);
    s.shingle("w ".repeat(5000));
    assertEquals(4998, s.count());
    s.shingle("a b c d");
    assertEquals(2, s.count());
  }
}
