package io.github.sparkgpt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {
  public static final class Params {
    int minDocWords = 50;
    double maxRatio = 0.1;
    boolean strict;
    String name = "x";
    List<String> stopWords = List.of();
    Set<String> languages = Set.of();

    public Params setMinDocWords(int v) {
      if (v < 0) throw new IllegalArgumentException("must be >= 0");
      minDocWords = v;
      return this;
    }

    public Params setMaxRatio(double v) {
      maxRatio = v;
      return this;
    }

    public Params setStrict(boolean v) {
      strict = v;
      return this;
    }

    public Params setName(String v) {
      name = v;
      return this;
    }

    public Params setStopWords(List<String> v) {
      stopWords = v;
      return this;
    }

    public Params setLanguages(Set<String> v) {
      languages = v;
      return this;
    }
  }

  @Test
  void bindsSnakeCaseKeysToFluentSetters() {
    Params p =
        ConfigBinder.bind(
            new Params(),
            ConfigFactory.parseString(
                "min_doc_words = 7, max_ratio = 0.5, strict = true, name = y, stop_words = [a, b],"
                    + " languages = [en, de]"),
            "q");
    assertEquals(7, p.minDocWords);
    assertEquals(0.5, p.maxRatio);
    assertTrue(p.strict);
    assertEquals("y", p.name);
    assertEquals(List.of("a", "b"), p.stopWords);
    assertEquals(Set.of("en", "de"), p.languages);
  }

  @Test
  void unknownKeyNamesThePathAndTheKnownKeys() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ConfigBinder.bind(
                    new Params(), ConfigFactory.parseString("min_words = 3"), "quality.gopher"));
    assertTrue(e.getMessage().contains("quality.gopher.min_words"), e.getMessage());
    assertTrue(e.getMessage().contains("min_doc_words"), e.getMessage());
    assertTrue(
        e.getMessage().contains("did you mean quality.gopher.min_doc_words?"), e.getMessage());
  }

  @Test
  void wrongTypeAndSetterValidationAreReported() {
    IllegalArgumentException wrong =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ConfigBinder.bind(
                    new Params(), ConfigFactory.parseString("min_doc_words = lots"), "q"));
    assertTrue(wrong.getMessage().contains("q.min_doc_words"), wrong.getMessage());
    IllegalArgumentException invalid =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ConfigBinder.bind(
                    new Params(), ConfigFactory.parseString("min_doc_words = -1"), "q"));
    assertTrue(invalid.getMessage().contains("must be >= 0"), invalid.getMessage());
  }

  @Test
  void ignoredKeysAreSkipped() {
    Params p =
        ConfigBinder.bind(
            new Params(),
            ConfigFactory.parseString("enabled = false, strict = true"),
            "q",
            "enabled");
    assertTrue(p.strict);
  }
}
