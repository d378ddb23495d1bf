package io.github.sparkgpt.pipeline.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {
  private final StageCounters counters = new StageCounters();

  private String norm(TextNormalizer n, String text) {
    Verdict v = n.apply(Document.of("d", "s", text), counters);
    assertTrue(v.kept(), "unexpected drop: " + v);
    return v.document().text();
  }

  @Test
  void decomposedAndComposedBecomeTheSameString() {
    String composed = "caf\u00e9 na\u00efve";
    String decomposed = "cafe\u0301 nai\u0308ve";
    TextNormalizer n = new TextNormalizer();
    assertEquals(composed, norm(n, decomposed));
    assertEquals(1, counters.get(TextNormalizer.NFC_CHANGED_DOCS));
    assertEquals(composed, norm(n, composed));
    assertEquals(1, counters.get(TextNormalizer.NFC_CHANGED_DOCS), "already NFC: not counted");
    assertEquals(decomposed, norm(new TextNormalizer().setNfc(false), decomposed));
  }

  @Test
  void lineEndingsBecomeLf() {
    assertEquals("a\nb\nc\nd", norm(new TextNormalizer(), "a\r\nb\rc\nd\r\n"));
    assertEquals("a\r\nb", norm(new TextNormalizer().setNormaliseLineEndings(false), "a\r\nb"));
  }

  @Test
  void controlCharsRemovedExceptNewlineAndTab() {
    String in = "a\u0000b\u0007c\u001bd\u007fe\u0085f\tg\nh";
    assertEquals("abcdef\tg\nh", norm(new TextNormalizer(), in));
    assertEquals(5, counters.get(TextNormalizer.CONTROL_CHARS_REMOVED));
    assertEquals(in, norm(new TextNormalizer().setRemoveControlChars(false), in));
  }

  @Test
  void replacementCharactersAreCountedNotRemoved() {
    assertEquals("bad \ufffd\ufffd byte", norm(new TextNormalizer(), "bad \ufffd\ufffd byte"));
    assertEquals(2, counters.get(TextNormalizer.INVALID_UTF8_REPLACED));
  }

  @Test
  void whitespaceRunsCollapseInsideLinesAndTrailingSpacesGo() {
    String in = "one  two\t\tthree \t four   \n  indented  line\t \nsingle\ttab";
    assertEquals(
        "one two three four\n  indented line\nsingle\ttab", norm(new TextNormalizer(), in));
    assertEquals(
        "one  two\t\tthree \t four\n  indented  line\nsingle\ttab",
        norm(new TextNormalizer().setCollapseSpaces(false), in));
    assertEquals(
        "one two three four \n  indented line \nsingle\ttab",
        norm(new TextNormalizer().setStripTrailingSpaces(false), in));
  }

  @Test
  void blankLineRunsCollapseToOne() {
    String in = "p1\n\np2\n\n\n\np3\n \n\t\n\np4";
    assertEquals("p1\n\np2\n\np3\n\np4", norm(new TextNormalizer(), in));
    assertEquals("p1\n\np2\n\n\np3\n\n\np4", norm(new TextNormalizer().setMaxBlankLines(2), in));
    assertEquals(
        "p1\n\np2\n\n\n\np3\n\n\n\np4",
        norm(new TextNormalizer().setCollapseBlankLines(false), in));
  }

  @Test
  void trimsAndDropsWhatBecomesEmpty() {
    assertEquals("x", norm(new TextNormalizer(), "\n\n  x \n\n"));
    assertEquals(
        "\n  x\n",
        norm(new TextNormalizer().setTrim(false), "\n\n  x \n"),
        "blank run collapsed, not trimmed");
    Verdict v = new TextNormalizer().apply(Document.of("d", "s", " \u0000\r\n\t "), counters);
    assertFalse(v.kept());
    assertEquals(TextNormalizer.EMPTY, v.reason());
  }

  @Test
  void unchangedDocumentIsReturnedAsIs() {
    Document d = Document.of("d", "s", "Already clean.\n\nTwo paragraphs.");
    assertSame(d, new TextNormalizer().apply(d, counters).document());
  }

  @Test
  void boundFromConfigAndValidated() {
    TextNormalizer n =
        ConfigBinder.bind(
            new TextNormalizer(),
            ConfigFactory.parseString("nfc = false, max_blank_lines = 0, trim = true"),
            "normalise");
    assertEquals("cafe\u0301\nx", norm(n, "cafe\u0301\n\n\nx"));
    assertThrows(
        IllegalArgumentException.class, () -> new TextNormalizer().setMaxBlankLines(-1).validate());
    assertEquals("normalise", n.name());
  }
}
