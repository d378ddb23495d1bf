package io.github.sparkgpt.pipeline.filter.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.filter.Prose;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GopherRepetitionFilterTest {
  private static final String P1 =
      "The harbour was quiet in the early morning, and only a few boats were out.";
  private static final String P2 =
      "Gulls circled above the fish market while the traders set up their stalls.";
  private static final String P3 =
      "By noon the square was full of people buying bread, cheese and fresh fruit.";
  private static final String P4 =
      "In the evening the lamps were lit one by one along the sea wall.";

  private static String reason(GopherRepetitionFilter f, String text) {
    f.validate();
    var v = f.apply(Prose.doc("d", text), new StageCounters());
    return v.kept() ? "kept" : v.reason();
  }

  private static String reason(String text) {
    return reason(new GopherRepetitionFilter(), text);
  }

  /**
   * {@code count} distinct made-up words (w0a, w1a, ...), 3-4 chars each, so they share no n-grams.
   */
  private static List<String> fillers(int count, String tag) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) out.add("w" + i + tag);
    return out;
  }

  @Test
  void keepsProseWithoutRepetition() {
    assertEquals("kept", reason(String.join("\n\n", P1, P2, P3, P4)));
    assertEquals("kept", reason(Prose.NOVEL));
  }

  @Test
  void duplicateParagraphs() {
    // 2 of 4 paragraphs repeat an earlier one: 0.5 > 0.3
    assertEquals("gopher_dup_para_frac", reason(String.join("\n\n", P1, P2, P1, P1)));
    // 1 of 6 paragraphs repeats (0.17 <= 0.3) but it holds 420 of ~1,330 chars (> 0.2)
    String longPara = (P2 + " ").repeat(5) + P2;
    assertEquals(
        "gopher_dup_para_char_frac",
        reason(String.join("\n\n", longPara, P1, P3, P4, "Fine.", longPara)));
    assertEquals("kept", reason(String.join("\n\n", P1, P2, P3, P4, "Fine.", "Fine.")));
  }

  @Test
  void duplicateLines() {
    // one paragraph; 4 of 8 lines repeat "Yes, sir." : 0.5 > 0.3
    assertEquals(
        "gopher_dup_line_frac",
        reason(
            String.join(
                "\n",
                P1,
                "Yes, sir.",
                P2,
                "Yes, sir.",
                P3,
                "Yes, sir.",
                "Yes, sir.",
                "Yes, sir.")));
    // 1 of 5 lines repeats, but it is the longest by far
    String longLine = (P3 + " ").repeat(3) + P3;
    assertEquals(
        "gopher_dup_line_char_frac", reason(String.join("\n", longLine, P1, P2, P4, longLine)));
    assertEquals("kept", reason(String.join("\n", P1, "Yes, sir.", P2, P3, P4, "Yes, sir.")));
  }

  @Test
  void topTwoThreeAndFourGrams() {
    // "big data" in every 3-word unit: 30 * 8 chars of ~ 30 * 13 = 0.6 > 0.2
    StringBuilder two = new StringBuilder();
    for (String w : fillers(30, "a")) two.append("big data ").append(w).append(' ');
    assertEquals("gopher_top_2_gram", reason(two.toString().trim()));
    // "alpha bravo charl" (17 chars) once per 71 chars: 3-gram share 0.24 > 0.18, 2-gram share 0.15
    // <= 0.2
    assertEquals("gopher_top_3_gram", reason(units("alpha bravo charl", 71, 20)));
    // "alpha bravo charl delta" (23 chars) once per 118: 4-gram 0.195 > 0.16, 3-gram 0.144, 2-gram
    // 0.093
    assertEquals("gopher_top_4_gram", reason(units("alpha bravo charl delta", 118, 20)));
    assertEquals("kept", reason(units("alpha bravo charl delta", 180, 20)));
  }

  /**
   * {@code n} copies of {@code phrase}, each followed by unique filler words up to about {@code
   * unitChars}.
   */
  private static String units(String phrase, int unitChars, int n) {
    StringBuilder sb = new StringBuilder();
    int id = 0;
    for (int i = 0; i < n; i++) {
      int start = sb.length();
      sb.append(phrase);
      while (sb.length() - start < unitChars - 6) sb.append(" f").append(id++).append('x');
      sb.append(' ');
    }
    return sb.toString().trim();
  }

  @Test
  void duplicatedFiveGramsOfManyDifferentPhrases() {
    // 30 different 5-word phrases, each said twice: no single n-gram dominates, but half the text
    // repeats
    List<String> words = fillers(150, "b");
    StringBuilder sb = new StringBuilder();
    for (int round = 0; round < 2; round++) {
      for (int p = 0; p < 30; p++)
        sb.append(String.join(" ", words.subList(5 * p, 5 * p + 5)))
            .append(" z")
            .append(round)
            .append(p)
            .append(' ');
    }
    assertEquals("gopher_duplicated_5_n_grams", reason(sb.toString().trim()));
    assertEquals(
        "kept", reason(new GopherRepetitionFilter().setDup5gramFrac(0.6), sb.toString().trim()));
  }

  @Test
  void validateRejectsFractionsOutsideZeroOne() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new GopherRepetitionFilter().setTop3gramFrac(-0.1).validate());
    assertThrows(
        IllegalArgumentException.class,
        () -> new GopherRepetitionFilter().setDupLineFrac(2).validate());
  }
}
