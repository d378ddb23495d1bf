package io.github.sparkgpt.pipeline.filter.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import io.github.sparkgpt.pipeline.filter.Prose;
import org.junit.jupiter.api.Test;

class C4QualityFilterTest {
  /** Five sentences on three lines. */
  private static final String GOOD =
      "The bakery on the corner opens at six. Its bread sells out before nine.\n"
          + "Customers line up in the rain for the rye loaves. Nobody seems to mind the wait.\n"
          + "The owner has run the shop for thirty years.";

  private static Verdict apply(C4QualityFilter f, String text, StageCounters c) {
    f.validate();
    return f.apply(Prose.doc("d", text), c);
  }

  @Test
  void sentenceModeKeepsLineAndParagraphBreaks() {
    String text =
        "The jury met on Monday. It heard three witnesses.\nThe judge thanked them all.\n\n"
            + "Then the court rose for the day. Everyone went home.\nThe end came at last.";
    Verdict v = apply(new C4QualityFilter().setSplitParagraph(false), text, new StageCounters());
    assertEquals(
        "The jury met on Monday. It heard three witnesses.\nThe judge thanked them all.\n\n"
            + "Then the court rose for the day. Everyone went home.\nThe end came at last.",
        v.document().text());
  }

  @Test
  void keepsFiveSentencesUnchanged() {
    StageCounters c = new StageCounters();
    Verdict v = apply(new C4QualityFilter(), GOOD, c);
    assertTrue(v.kept());
    assertEquals(GOOD, v.document().text());
    assertEquals(3, c.get("c4_line_total"));
    assertEquals(3, c.get("c4_line_kept"));
  }

  @Test
  void removesBoilerplateLinesAndCountsWhy() {
    String text =
        "Home | About | Contact\n" // no terminal punctuation
            + GOOD.substring(0, GOOD.indexOf('\n') + 1)
            + "Share this.\n" // fewer than 3 words
            + "Please enable JavaScript to see the comments.\n"
            + "By using this site you agree to our Terms of Use.\n"
            + "Read the full story "
            + "x".repeat(1001)
            + ".\n" // a 1002-char word
            + GOOD.substring(GOOD.indexOf('\n') + 1)
            + "[3]"; // citation mark is removed
    StageCounters c = new StageCounters();
    Verdict v = apply(new C4QualityFilter(), text, c);
    assertTrue(v.kept(), String.valueOf(v));
    assertEquals(GOOD, v.document().text());
    assertEquals(1, c.get("c4_removed_line_no_terminal_punct"));
    assertEquals(1, c.get("c4_removed_line_too_few_words"));
    assertEquals(1, c.get("c4_removed_line_javascript"));
    assertEquals(1, c.get("c4_removed_line_policy"));
    assertEquals(1, c.get("c4_removed_line_too_long_word"));
    assertEquals(8, c.get("c4_line_total"));
  }

  @Test
  void loremIpsumAndCurlyBracketsDropTheDocument() {
    assertEquals(
        "c4_lorem_ipsum",
        apply(
                new C4QualityFilter(),
                GOOD + "\nLorem ipsum dolor sit amet, consectetur.",
                new StageCounters())
            .reason());
    assertEquals(
        "c4_curly_bracket",
        apply(
                new C4QualityFilter(),
                GOOD + "\nThe function returns {x: 1} to the caller.",
                new StageCounters())
            .reason());
    // a bracket on a line removed for another reason does not count, as in C4
    assertTrue(apply(new C4QualityFilter(), GOOD + "\nfunction f() {", new StageCounters()).kept());
    assertTrue(
        apply(
                new C4QualityFilter().setFilterCurlyBracket(false),
                GOOD + "\nThe function returns {x: 1} to the caller.",
                new StageCounters())
            .kept());
  }

  @Test
  void needsEnoughSentences() {
    String four = GOOD.substring(0, GOOD.lastIndexOf('\n'));
    assertEquals(
        "c4_too_few_sentences", apply(new C4QualityFilter(), four, new StageCounters()).reason());
    assertTrue(
        apply(new C4QualityFilter().setMinNumSentences(4), four, new StageCounters()).kept());
    assertEquals(
        "c4_empty",
        apply(new C4QualityFilter().setMinNumSentences(0), "menu\nlogin", new StageCounters())
            .reason());
  }

  @Test
  void keepsParagraphBreaksBetweenKeptLines() {
    String text = "Click here\n\n" + GOOD.replace("\n", "\n\n");
    Verdict v = apply(new C4QualityFilter(), text, new StageCounters());
    assertEquals(GOOD.replace("\n", "\n\n"), v.document().text());
    assertFalse(v.document().text().startsWith("\n"));
  }
}
