package io.github.sparkgpt.pipeline.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextUnitsTest {
  @Test
  void splitsLinesParagraphsAndUnicodeWords() {
    TextUnits u = TextUnits.of("One two\r\nthree\u00A0four\n\n  \nFive, six.\n");
    assertEquals(List.of("One two", "three\u00A0four", "", "  ", "Five, six."), u.lines());
    assertEquals(List.of("One two", "three\u00A0four", "Five, six."), u.nonBlankLines());
    assertEquals(List.of("One two\nthree\u00A0four", "Five, six."), u.paragraphs());
    assertArrayEquals(new String[] {"One", "two", "three", "four", "Five,", "six."}, u.words());
    assertArrayEquals(new int[] {3, 3, 5, 4, 4, 3}, u.coreLengths());
  }

  @Test
  void coreStripsSurroundingPunctuationOnly() {
    assertEquals("don't", TextUnits.core("“don't”"));
    assertEquals("U.S", TextUnits.core("(U.S.)"));
    assertEquals("", TextUnits.core("--"));
    assertEquals("naïve", TextUnits.core("naïve,"));
  }

  @Test
  void reusesTheAnalysisOfTheSameStringInstanceOnly() {
    String text = "a b c";
    TextUnits first = TextUnits.of(text);
    assertSame(first, TextUnits.of(text));
    assertNotSame(first, TextUnits.of(new String(text)));
  }

  @Test
  void topNgramCountsEveryOccurrenceOfTheMostFrequentRepeatedNgram() {
    // "big data" occurs 3 times: 3 * len("big data") = 24
    TextUnits u = TextUnits.of("big data is big data and big data");
    assertEquals(24, u.topNgramChars(2));
    // no 4-gram repeats: nothing counted
    assertEquals(0, u.topNgramChars(4));
  }

  @Test
  void duplicateNgramsSkipPastEachRepeat() {
    // words: a b c d e a b c d e a b c d e -> the 2nd and 3rd "a b c d e" repeat: 2 * 5 chars (no
    // separators)
    TextUnits u = TextUnits.of("a b c d e a b c d e a b c d e");
    assertEquals(10, u.duplicateNgramChars(5));
    assertEquals(0, TextUnits.of("a b c d e f g h i j").duplicateNgramChars(5));
  }

  @Test
  void duplicatesCountsElementsEqualToAnEarlierOne() {
    assertArrayEquals(
        new long[] {2, 6}, TextUnits.duplicates(List.of("abc", "de", "abc", "abc", "x")));
    assertEquals(3, TextUnits.count("a...b...c…...", "..."));
  }
}
