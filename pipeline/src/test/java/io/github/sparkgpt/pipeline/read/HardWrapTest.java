package io.github.sparkgpt.pipeline.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Joining hard-wrapped paragraphs, and leaving verse, lists, code and tables alone. */
class HardWrapTest {
  static final List<String> PARAGRAPHS =
      List.of(
          "It was late in the autumn when the travellers reached the little town at the foot of the"
              + " hills, and the innkeeper, who had not expected guests so long after the harvest,"
              + " made them welcome with more noise than comfort.",
          "\"You will want supper,\" said he, rubbing his hands before the fire, \"and beds, and a"
              + " stable for the horses; and I dare say you will want to know the road over the"
              + " pass, which nobody has crossed since the snow came early last week.\"",
          "The elder of the two replied that they wanted all of these things, but the road most of"
              + " all; for they had letters to carry to the city beyond the mountains, and every"
              + " day lost on the way was a day that could not be made up again by any amount of"
              + " hard riding afterwards.",
          "Nobody answered him.",
          "The innkeeper looked at his wife, and his wife looked at the fire, and the fire, having"
              + " nothing to say, went on burning as quietly as before.");

  /** Greedy wrapping at {@code width} columns, as plain-text e-books are distributed. */
  static String wrap(String paragraph, int width) {
    StringBuilder out = new StringBuilder();
    int col = 0;
    for (String w : paragraph.split(" ")) {
      if (col > 0 && col + 1 + w.length() > width) {
        out.append('\n');
        col = 0;
      } else if (col > 0) {
        out.append(' ');
        col++;
      }
      out.append(w);
      col += w.length();
    }
    return out.toString();
  }

  static String book(int width) {
    List<String> wrapped = new ArrayList<>();
    for (String p : PARAGRAPHS) wrapped.add(wrap(p, width));
    return String.join("\n\n", wrapped) + "\n";
  }

  @Test
  void hardWrappedProseBecomesOneLinePerParagraph() {
    String text = book(70);
    long breaks = text.chars().filter(c -> c == '\n').count() - 2L * (PARAGRAPHS.size() - 1) - 1;
    HardWrap.Result r = HardWrap.unwrap(text, HardWrap.Mode.AUTO);
    assertTrue(r.wrapped());
    assertEquals(String.join("\n\n", PARAGRAPHS) + "\n", r.text());
    assertEquals(breaks, r.linesJoined());
    // Another width, Windows line ends: the same paragraphs.
    HardWrap.Result crlf = HardWrap.unwrap(book(64).replace("\n", "\r\n"), HardWrap.Mode.AUTO);
    assertEquals(String.join("\n\n", PARAGRAPHS) + "\n", crlf.text().replace("\r", ""));
  }

  @Test
  void neverLeavesWrappedTextAsItIs() {
    String text = book(70);
    HardWrap.Result r = HardWrap.unwrap(text, HardWrap.Mode.NEVER);
    assertEquals(text, r.text());
    assertEquals(0, r.linesJoined());
  }

  static final String VERSE =
      """
      Shall I compare thee to a summer's day?
      Thou art more lovely and more temperate:
      Rough winds do shake the darling buds of May,
      And summer's lease hath all too short a date;

      Sometime too hot the eye of heaven shines,
      And often is his gold complexion dimm'd;
      And every fair from fair sometime declines,
      By chance or nature's changing course untrimm'd;
      """;

  @Test
  void autoLeavesVerseAloneAndAlwaysJoinsIt() {
    HardWrap.Result auto = HardWrap.unwrap(VERSE, HardWrap.Mode.AUTO);
    assertFalse(auto.wrapped());
    assertEquals(VERSE, auto.text());
    HardWrap.Result always = HardWrap.unwrap(VERSE, HardWrap.Mode.ALWAYS);
    assertEquals(6, always.linesJoined());
    assertTrue(
        always.text().startsWith("Shall I compare thee to a summer's day? Thou art more lovely"),
        always.text());
  }

  @Test
  void autoLeavesListsCodeAndTablesAlone() {
    String list =
        """
        Things to pack for the journey over the mountains in the winter:
        - a warm coat and two pairs of gloves
        - bread, cheese and a flask of something strong
        - the letters, sewn into the lining of the saddle bag
        1. leave before dawn
        2. stop at the shepherd's hut
        """;
    String code =
        """
        public static int add(int a, int b) {
          int sum = a + b;
          return sum;
        }

        for (int i = 0; i < 10; i++) {
          System.out.println(add(i, i));
        }
        """;
    String table =
        """
        | town        | miles | inn           |
        |-------------|-------|---------------|
        | Hillfoot    | 0     | The Plough    |
        | Upper Pass  | 14    | none          |
        | Riverside   | 31    | The Swan      |
        """;
    for (String t : List.of(list, code, table, table.replace("\n", "\r\n"))) {
      HardWrap.Result r = HardWrap.unwrap(t, HardWrap.Mode.AUTO);
      assertEquals(t, r.text());
      assertEquals(0, r.linesJoined());
    }
  }

  @Test
  void aPoemIndentedInsideAWrappedBookKeepsItsLines() {
    String poem =
        VERSE.lines().limit(4).map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElseThrow();
    String text =
        wrap(PARAGRAPHS.get(0), 70)
            + "\n\n"
            + poem
            + "\n\n"
            + wrap(PARAGRAPHS.get(2), 70)
            + "\n\n"
            + wrap(PARAGRAPHS.get(4), 70);
    HardWrap.Result r = HardWrap.unwrap(text, HardWrap.Mode.AUTO);
    assertEquals(
        PARAGRAPHS.get(0) + "\n\n" + poem + "\n\n" + PARAGRAPHS.get(2) + "\n\n" + PARAGRAPHS.get(4),
        r.text());
  }

  @Test
  void aLetterIndentedAndWrappedNarrowerInsideABookIsJoined() {
    String letter = PARAGRAPHS.get(2) + " " + PARAGRAPHS.get(0);
    String indented =
        wrap(letter, 50).lines().map(l -> "     " + l).reduce((a, b) -> a + "\n" + b).orElseThrow();
    String text = book(70) + "\n" + indented + "\n\n" + book(70);
    HardWrap.Result r = HardWrap.unwrap(text, HardWrap.Mode.AUTO);
    String joined = String.join("\n\n", PARAGRAPHS) + "\n";
    assertEquals(joined + "\n     " + letter + "\n\n" + joined, r.text());
    // The same indentation on verse: capitalised lines, kept.
    String poem =
        VERSE
            .lines()
            .filter(l -> !l.isBlank())
            .map(l -> "     " + l)
            .reduce((a, b) -> a + "\n" + b)
            .orElseThrow();
    String withPoem = book(70) + "\n" + poem + "\n\n" + book(70);
    assertTrue(HardWrap.unwrap(withPoem, HardWrap.Mode.AUTO).text().contains(poem));
  }

  @Test
  void hyphensAndDashesAtTheEndOfALineJoinWithoutASpace() {
    String text =
        wrap(
                "The old well-known road ran past the church and on across the moor to the village "
                    + "where the sisters lived.",
                30)
            .replace("well-known", "well-\nknown")
            .replace("moor to", "moor--\nto");
    HardWrap.Result r = HardWrap.unwrap(text, HardWrap.Mode.ALWAYS);
    assertTrue(r.text().contains("well-known road"), r.text());
    assertTrue(r.text().contains("moor--to"), r.text());
  }

  @Test
  void oneLineParagraphsAreNotWrapped() {
    String text = String.join("\n\n", PARAGRAPHS);
    HardWrap.Result r = HardWrap.unwrap(text, HardWrap.Mode.AUTO);
    assertFalse(r.wrapped());
    assertEquals(text, r.text());
    // A file of one paragraph per line without blank lines: long lines of varied length, nothing
    // joined.
    String lines = String.join("\n", PARAGRAPHS);
    assertEquals(lines, HardWrap.unwrap(lines, HardWrap.Mode.AUTO).text());
  }
}
