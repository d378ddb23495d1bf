package io.github.sparkgpt.pipeline.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cutting long files into documents at headings and paragraph boundaries. */
class TextSplitterTest {
  /**
   * A novel in the usual plain-text layout: title page, chapters of paragraphs separated by blank
   * lines.
   */
  static String novel(int chapters, int paragraphsPerChapter) {
    StringBuilder sb = new StringBuilder("THE TRAVELLERS\n\nA Tale\n\nBy A. Writer\n\n\n");
    for (int c = 1; c <= chapters; c++) {
      sb.append("CHAPTER ").append(roman(c)).append(".\n\n");
      for (int p = 0; p < paragraphsPerChapter; p++) {
        sb.append(
                HardWrapTest.wrap(
                    HardWrapTest.PARAGRAPHS.get(p % HardWrapTest.PARAGRAPHS.size())
                        + " (chapter "
                        + c
                        + ", paragraph "
                        + p
                        + ")",
                    70))
            .append("\n\n");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static String roman(int n) {
    String[] r = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"};
    return r[n - 1];
  }

  private static String words(String s) {
    return String.join(" ", s.split("\\s+")).strip();
  }

  @Test
  void shortFilesStayWhole() {
    String text = novel(2, 2);
    assertEquals(
        List.of(text), new TextSplitter(TextSplitter.Mode.AUTO, text.length(), 100).split(text));
    assertEquals(List.of(text), new TextSplitter(TextSplitter.Mode.NEVER, 10, 1).split(text));
  }

  @Test
  void aNovelIsCutAtItsChaptersAndLosesNoText() {
    String text = novel(6, 8); // chapters of ~2.5 KB
    List<String> parts = new TextSplitter(TextSplitter.Mode.AUTO, 8_000, 500).split(text);
    assertEquals(6, parts.size(), parts.toString());
    // The title page is shorter than the minimum: it stays with chapter I instead of becoming a
    // document.
    assertTrue(parts.get(0).startsWith("THE TRAVELLERS"));
    assertTrue(parts.get(0).contains("\nCHAPTER I.\n"));
    for (int c = 2; c <= 6; c++)
      assertTrue(parts.get(c - 1).startsWith("CHAPTER " + roman(c) + ".\n"), parts.get(c - 1));
    assertEquals(words(text), words(String.join("\n\n", parts)));
    for (String p : parts) assertEquals(p.strip(), p, "parts carry no surrounding blank lines");
  }

  @Test
  void chaptersLongerThanTheLimitAreCutBetweenParagraphs() {
    String text = novel(2, 40); // chapters of ~12 KB
    List<String> parts = new TextSplitter(TextSplitter.Mode.AUTO, 4_000, 500).split(text);
    assertTrue(parts.size() > text.length() / 4_000, parts.size() + " parts of " + text.length());
    for (String p : parts) assertTrue(p.length() <= 4_000, p.length() + " chars");
    assertEquals(1, parts.stream().filter(p -> p.startsWith("CHAPTER II.")).count());
    assertEquals(words(text), words(String.join("\n\n", parts)));
  }

  @Test
  void paragraphsModeIgnoresHeadings() {
    String text = novel(6, 8);
    List<String> parts = new TextSplitter(TextSplitter.Mode.PARAGRAPHS, 8_000, 500).split(text);
    assertTrue(parts.size() < 6, parts.size() + " parts");
    for (String p : parts) assertTrue(p.length() <= 8_000);
    assertEquals(words(text), words(String.join("\n\n", parts)));
  }

  @Test
  void oneHugeParagraphIsCutBetweenLines() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 500; i++) lines.add("line " + i + " of a file without blank lines");
    String text = String.join("\n", lines);
    List<String> parts = new TextSplitter(TextSplitter.Mode.AUTO, 2_000, 100).split(text);
    assertTrue(parts.size() >= 8, parts.size() + " parts");
    for (String p : parts) assertTrue(p.length() <= 2_000);
    assertEquals(text, String.join("\n", parts));
  }

  @Test
  void headings() {
    for (String h :
        List.of(
            "CHAPTER I.",
            "Chapter 1",
            "CHAPTER XII. The Return",
            "BOOK II",
            "Book the Second",
            "PART THREE",
            "Volume I",
            "Chapter Twenty-One",
            "XIV",
            "IV.",
            "12.",
            "  CHAPTER 4  ",
            "PREFACE",
            "Epilogue",
            "STAVE ONE: MARLEY'S GHOST",
            "Chapter 3: In which nothing happens")) {
      assertTrue(TextSplitter.isHeading(h), h);
    }
    for (String p :
        List.of(
            "Part two of the plan was simple.",
            "Chapter and verse were quoted at him.",
            "I went home.",
            "The Preface was long.",
            "",
            "Book of the dead",
            "chapter",
            "CHAPTER I. " + "x".repeat(100))) {
      assertFalse(TextSplitter.isHeading(p), p);
    }
  }
}
