package io.github.sparkgpt.pipeline.filter.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.filter.Prose;
import org.junit.jupiter.api.Test;

class FineWebQualityFilterTest {
  private static String reason(FineWebQualityFilter f, String text) {
    f.validate();
    var v = f.apply(Prose.doc("d", text), new StageCounters());
    return v.kept() ? "kept" : v.reason();
  }

  private static String reason(String text) {
    return reason(new FineWebQualityFilter(), text);
  }

  @Test
  void keepsProse() {
    assertEquals("kept", reason(Prose.NOVEL));
  }

  @Test
  void emptyDocument() {
    assertEquals("fineweb_empty", reason(" \n\t\n"));
  }

  @Test
  void linePunctuationRatio() {
    // 1 of 9 lines ends in punctuation: 0.11 < 0.12 (a navigation menu with one sentence)
    String menu =
        "Home page of the county library\n"
            + "Opening hours and holiday closures\n"
            + "Catalogue search and reservations\n"
            + "Events for children and families\n"
            + "Volunteer with the friends group\n"
            + "Contact the branch librarians\n"
            + "Accessibility information for visitors\n"
            + "News from the reading rooms\n"
            + "The library is closed on public holidays.";
    assertEquals("fineweb_line_punct_ratio", reason(menu));
    // 2 of 9: 0.22
    assertEquals("kept", reason(menu.replace("visitors", "visitors!")));
    assertEquals(
        "kept",
        reason(new FineWebQualityFilter().setLinePunctExcludeZero(true), menu.replace(".", "")));
  }

  @Test
  void shortLineRatio() {
    // 7 of 9 lines are at most 30 chars: 0.78 > 0.67
    String poem =
        "The tide comes in.\nThe tide goes out.\nThe gulls cry overhead.\nThe nets are mended.\n"
            + "The boats are painted.\nThe harbour sleeps.\nThe lamps are lit.\n"
            + "Far away on the hill the church bell rings for evening prayer.\n"
            + "Somewhere a dog barks twice and then falls silent again for the night.";
    assertEquals("fineweb_short_line_ratio", reason(poem));
    assertEquals("kept", reason(new FineWebQualityFilter().setShortLineThr(0.8), poem));
  }

  @Test
  void duplicatedLineCharacters() {
    String line = "Subscribe to our newsletter for weekly updates on local events.";
    String text = Prose.NOVEL + "\n" + line + "\n" + line + "\n" + line + "\n" + line + "\n" + line;
    assertEquals("fineweb_char_dup_ratio", reason(text)); // 4 * 63 of ~1,000 chars
    assertEquals("kept", reason(Prose.NOVEL + "\n" + line + "\n" + line)); // 63 of ~840 chars
  }

  @Test
  void newlinesPerWord() {
    // 9 newlines for 20 words: 0.45 > 0.3 (a vertical list of long items)
    String list =
        "Incomprehensibilities notwithstanding.\n"
            + "Counterrevolutionaries everywhere.\n"
            + "Uncharacteristically straightforward.\n"
            + "Interdisciplinary collaborations.\n"
            + "Telecommunications infrastructure.\n"
            + "Unquestionably extraordinary.\n"
            + "Disproportionately overrepresented.\n"
            + "Institutionalization accelerating.\n"
            + "Misunderstandings multiplied.\n"
            + "Responsibilities acknowledged.";
    assertEquals("fineweb_list_ratio", reason(list));
    assertEquals("kept", reason(new FineWebQualityFilter().setNewLineRatio(0.5), list));
  }

  @Test
  void validateExplainsEmptyStopChars() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FineWebQualityFilter().setStopChars("").validate());
    assertEquals(true, e.getMessage().contains("stop_chars"));
  }
}
