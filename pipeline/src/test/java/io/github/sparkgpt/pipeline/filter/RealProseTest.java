package io.github.sparkgpt.pipeline.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import io.github.sparkgpt.pipeline.filter.language.LanguageFilter;
import io.github.sparkgpt.pipeline.filter.pii.PiiRedactor;
import io.github.sparkgpt.pipeline.filter.quality.C4QualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.FineWebQualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.GopherQualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.GopherRepetitionFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ordinary prose in the layouts of the demo corpora must survive every filter with default
 * settings.
 */
class RealProseTest {
  private static final List<DocumentStage> STAGES =
      List.of(
          new LanguageFilter(),
          new GopherQualityFilter(),
          new GopherRepetitionFilter(),
          new C4QualityFilter(),
          new FineWebQualityFilter(),
          new PiiRedactor());

  @Test
  void everyFilterKeepsSpeechTokenizedAndNovelProse() {
    for (String text : List.of(Prose.SPEECH, Prose.TOKENIZED, Prose.NOVEL)) {
      for (DocumentStage stage : STAGES) {
        stage.validate();
        Verdict v = stage.apply(Prose.doc("d", text), new StageCounters());
        assertTrue(
            v.kept(),
            stage.name() + " dropped prose (" + v.reason() + "): " + text.substring(0, 40));
      }
    }
  }

  @Test
  void c4LeavesCleanMultiParagraphProseUnchanged() {
    for (String text : List.of(Prose.SPEECH, Prose.NOVEL)) {
      Document d = Prose.doc("d", text);
      assertEquals(text, new C4QualityFilter().apply(d, new StageCounters()).document().text());
    }
  }

  @Test
  void c4SentenceModeKeepsASpeechHeldOnOneLine() {
    String oneLine = Prose.SPEECH.replace("\n\n", " ") + " (Applause.)";
    assertEquals(
        "c4_too_few_sentences",
        new C4QualityFilter().apply(Prose.doc("d", oneLine), new StageCounters()).reason());
    Verdict v =
        new C4QualityFilter()
            .setSplitParagraph(false)
            .apply(Prose.doc("d", oneLine), new StageCounters());
    assertTrue(v.kept());
    assertTrue(v.document().text().endsWith("may God bless this nation."), v.document().text());
  }
}
