package io.github.sparkgpt.pipeline.filter.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.filter.Prose;
import org.junit.jupiter.api.Test;

class GopherQualityFilterTest {
  /** 79 words of plain prose on 4 lines; passes every rule. */
  private static final String PROSE =
      "The river that runs past the old mill is wider than it looks from the bridge.\n"
          + "In spring the water rises quickly, and the farmers who live along its banks have"
          + " learned to move their animals to higher ground before the rain begins.\n"
          + "Children from the village like to watch the boats and wave to the men who work on"
          + " them.\n"
          + "Most evenings the light turns gold over the fields, and the whole valley seems to hold"
          + " its breath.";

  private static String reason(String text) {
    return reason(new GopherQualityFilter(), text);
  }

  private static String reason(GopherQualityFilter f, String text) {
    f.validate();
    var v = f.apply(Prose.doc("d", text), new StageCounters());
    return v.kept() ? "kept" : v.reason();
  }

  private static String repeat(String s, int n) {
    return String.join(" ", java.util.Collections.nCopies(n, s));
  }

  @Test
  void keepsPlainProse() {
    assertEquals("kept", reason(PROSE));
  }

  @Test
  void wordCountBounds() {
    assertEquals(
        "gopher_short_doc", reason("The cat sat on the mat with the hat, and that was all."));
    assertEquals("gopher_long_doc", reason(new GopherQualityFilter().setMaxDocWords(78), PROSE));
    assertEquals("kept", reason(new GopherQualityFilter().setMaxDocWords(79), PROSE));
  }

  @Test
  void meanWordLengthBounds() {
    assertEquals(
        "gopher_below_avg_threshold",
        reason(repeat("I am to be at it, so we go on by the ox.", 6)));
    assertEquals(
        "gopher_above_avg_threshold",
        reason(
            repeat(
                "Internationalization of telecommunications infrastructure notwithstanding, the"
                    + " representatives deliberated and characteristically procrastinated.",
                7)));
  }

  @Test
  void hashAndEllipsisSymbolRatios() {
    assertEquals(
        "gopher_too_many_hashes", reason(PROSE + " " + repeat("#news #today", 5))); // 10 / 89
    assertEquals("kept", reason(PROSE + " " + repeat("#news", 4))); // 4 / 83
    assertEquals(
        "gopher_too_many_ellipsis",
        reason(
            PROSE.replace(",", "...")
                + " well... so... hmm… yes... no..."
                + " maybe... then… later... soon..."));
  }

  @Test
  void bulletAndEndEllipsisLines() {
    String[] lines = PROSE.split("\n");
    assertEquals("gopher_too_many_start_bullets", reason("- " + String.join("\n• ", lines)));
    // 3 of 4 lines bulleted is 0.75 <= 0.9
    assertEquals(
        "kept", reason("- " + lines[0] + "\n* " + lines[1] + "\n• " + lines[2] + "\n" + lines[3]));
    String twoOfFourTrailing = lines[0] + "\n" + lines[1] + "…\n" + lines[2] + "…\n" + lines[3];
    assertEquals("gopher_too_many_end_ellipsis", reason(twoOfFourTrailing));
    String oneOfFour = lines[0] + "\n" + lines[1] + "…\n" + lines[2] + "\n" + lines[3];
    assertEquals("kept", reason(oneOfFour));
  }

  @Test
  void alphabeticWordShare() {
    // 79 words + 30 numbers: 79 / 109 = 0.72 < 0.8
    assertEquals("gopher_below_alpha_threshold", reason(PROSE + " " + repeat("1990 2001 3.5", 10)));
    // 79 + 15: 0.84
    assertEquals("kept", reason(PROSE + " " + repeat("1990 2001 3.5", 5)));
  }

  @Test
  void needsTwoStopWordsCaseInsensitively() {
    String noStops =
        repeat(
            "Bright lamps glow over quiet streets while distant trains rumble slowly "
                + "past sleeping houses.",
            5);
    assertEquals("gopher_enough_stop_words", reason(noStops));
    assertEquals("kept", reason(noStops + " The end. And so on."));
  }

  @Test
  void validateNamesTheBadParameter() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new GopherQualityFilter().setMinDocWords(500).setMaxDocWords(100).validate());
    assertTrue(e.getMessage().contains("min_doc_words"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new GopherQualityFilter().setMinAlphaWordsRatio(1.5).validate());
  }
}
