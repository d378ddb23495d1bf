package io.github.sparkgpt.pipeline.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.filter.language.LanguageFilter;
import io.github.sparkgpt.pipeline.filter.pii.PiiRedactor;
import io.github.sparkgpt.pipeline.filter.quality.C4QualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.FineWebQualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.GopherQualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.GopherRepetitionFilter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bundled defaults bind onto every filter, which then keeps ordinary prose. */
class FilterConfigTest {
  private static final Config CONF =
      ConfigFactory.parseFile(Path.of("..", "conf", "preprocess.conf").toFile())
          .getConfig("preprocess");
  private static final Map<String, DocumentStage> STAGES =
      Map.of(
          "language", new LanguageFilter(),
          "quality.gopher_quality", new GopherQualityFilter(),
          "quality.gopher_repetition", new GopherRepetitionFilter(),
          "quality.c4", new C4QualityFilter(),
          "quality.fineweb", new FineWebQualityFilter(),
          "pii", new PiiRedactor());

  @Test
  void bundledDefaultsBindAndKeepProse() {
    for (Map.Entry<String, DocumentStage> e : STAGES.entrySet()) {
      Config section = CONF.getConfig(e.getKey());
      DocumentStage bound = ConfigBinder.bind(e.getValue(), section, e.getKey(), "enabled");
      bound.validate();
      assertTrue(bound.apply(Prose.doc("d", Prose.NOVEL), new StageCounters()).kept(), e.getKey());
    }
  }

  @Test
  void boundValuesTakeEffect() {
    Config c = ConfigFactory.parseString("min_doc_words = 500");
    GopherQualityFilter f =
        ConfigBinder.bind(new GopherQualityFilter(), c, "quality.gopher_quality");
    assertEquals(
        "gopher_short_doc", f.apply(Prose.doc("d", Prose.NOVEL), new StageCounters()).reason());
    Config r = ConfigFactory.parseString("top2gram_frac = 0.01");
    GopherRepetitionFilter g =
        ConfigBinder.bind(new GopherRepetitionFilter(), r, "quality.gopher_repetition");
    assertEquals(
        "gopher_top_2_gram", g.apply(Prose.doc("d", Prose.NOVEL), new StageCounters()).reason());
    var typo =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ConfigBinder.bind(
                    new LanguageFilter(), ConfigFactory.parseString("min_scor = 1"), "language"));
    assertTrue(typo.getMessage().contains("min_score"), typo.getMessage());
  }
}
