package io.github.sparkgpt.pipeline.filter.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import io.github.sparkgpt.pipeline.filter.Prose;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanguageFilterTest {
  private static final String EN =
      "The weather was fine this morning, so we walked down to the river and watched "
          + "the boats go by.";
  private static final String DE =
      "Das Wetter war heute Morgen schön, also gingen wir zum Fluss hinunter und "
          + "sahen den Booten zu.";
  private static final String FR =
      "Il faisait beau ce matin, alors nous sommes descendus jusqu'à la rivière pour "
          + "regarder passer les bateaux.";

  private static Verdict apply(LanguageFilter f, String text, StageCounters c) {
    f.validate();
    return f.apply(Prose.doc("d", text), c);
  }

  @Test
  void keepsEnglishAndRecordsLanguageAndScore() {
    StageCounters c = new StageCounters();
    Verdict v = apply(new LanguageFilter(), EN, c);
    assertTrue(v.kept(), String.valueOf(v));
    assertEquals("en", v.document().language());
    assertTrue(v.document().languageScore() >= 0.65 && v.document().languageScore() <= 1.0);
    assertEquals(1, c.get("language_detected_en"));
    assertTrue(apply(new LanguageFilter(), Prose.NOVEL, c).kept());
  }

  @Test
  void dropsGermanAndFrenchUnlessAllowed() {
    StageCounters c = new StageCounters();
    assertEquals("language_not_allowed", apply(new LanguageFilter(), DE, c).reason());
    assertEquals("language_not_allowed", apply(new LanguageFilter(), FR, c).reason());
    assertEquals(1, c.get("language_detected_de"));
    assertEquals(1, c.get("language_detected_fr"));
    Document fr = apply(new LanguageFilter().setLanguages(List.of("en", "fr")), FR, c).document();
    assertEquals("fr", fr.language());
  }

  @Test
  void mixedLanguageDocumentHasLowConfidence() {
    // three 100-char chunks of English, two of German: P(en) ~ 0.6 < 0.65 although English is the
    // top language
    String mixed = EN + " " + EN.toLowerCase() + " " + EN + " " + DE + " " + DE;
    LanguageFilter f = new LanguageFilter().setChunkChars(100);
    assertEquals("language_low_confidence", apply(f, mixed, new StageCounters()).reason());
    Verdict lenient =
        apply(new LanguageFilter().setChunkChars(100).setMinScore(0.5), mixed, new StageCounters());
    assertEquals("en", lenient.document().language());
    assertTrue(
        lenient.document().languageScore() < 0.65, "score " + lenient.document().languageScore());
  }

  @Test
  void textWithoutLettersIsUnknown() {
    StageCounters c = new StageCounters();
    assertEquals(
        "language_unknown", apply(new LanguageFilter(), "12 345 67.8 -- 90 %", c).reason());
    assertEquals(1, c.get("language_detected_unknown"));
  }

  @Test
  void samplesTheLeadingCharactersAtAWordBoundary() {
    assertEquals("aaa bbb", LanguageFilter.sample("  aaa bbb ccc", 9));
    assertEquals("short", LanguageFilter.sample(" short ", 500));
    // English first 500 chars, German after: only the sample counts
    String text = (EN + " ").repeat(6) + (DE + " ").repeat(30);
    assertTrue(apply(new LanguageFilter(), text, new StageCounters()).kept());
  }

  @Test
  void survivesJavaSerializationAfterUse() throws Exception {
    LanguageFilter f = new LanguageFilter();
    assertTrue(
        apply(f, EN, new StageCounters()).kept()); // detector built, held in transient fields
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(f);
    }
    assertTrue(
        bytes.size() < 2_000,
        "serialized stage is " + bytes.size() + " bytes: it must not carry the model");
    LanguageFilter copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (LanguageFilter) in.readObject();
    }
    assertEquals(
        "language_not_allowed", copy.apply(Prose.doc("d", DE), new StageCounters()).reason());
  }

  @Test
  void validateExplainsBadLanguageSettings() {
    var notCandidate =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LanguageFilter().setLanguages(List.of("en", "fi")).validate());
    assertTrue(
        notCandidate.getMessage().contains("candidate_languages"), notCandidate.getMessage());
    var badCode =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LanguageFilter().setLanguages(List.of("english")).validate());
    assertTrue(badCode.getMessage().contains("'english'"), badCode.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new LanguageFilter().setMinScore(1.2).validate());
  }
}
