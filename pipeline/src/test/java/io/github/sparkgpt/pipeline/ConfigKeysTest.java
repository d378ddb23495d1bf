package io.github.sparkgpt.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {
  static final Config DEFAULTS =
      ConfigFactory.parseString(
          "seed = 1, quality { gopher_quality { enabled = true,"
              + " min_doc_words = 50 }, c4 { enabled = true, min_num_sentences = 5 } }, words {}");

  @Test
  void knownPathsAreTheLeavesAndEmptySectionsAreFreeForm() {
    ConfigKeys keys = ConfigKeys.of(DEFAULTS);
    assertEquals(
        List.of(
            "quality.c4.enabled",
            "quality.c4.min_num_sentences",
            "quality.gopher_quality.enabled",
            "quality.gopher_quality.min_doc_words",
            "seed"),
        List.copyOf(keys.paths()));
    assertDoesNotThrow(
        () ->
            keys.requireKnown(ConfigFactory.parseString("seed = 2, words { \"1.5\" = x }"), null));
  }

  @Test
  void unknownKeysAnywhereAreRefusedWithTheClosestKnownOne() {
    ConfigKeys keys = ConfigKeys.of(DEFAULTS);
    IllegalArgumentException typo =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                keys.requireKnown(
                    ConfigFactory.parseString("quality.c4_quality.enabled = false"), "preprocess"));
    assertEquals(
        "unknown configuration key 'quality.c4_quality.enabled' (did you mean quality.c4.enabled?);"
            + " the known keys are in conf/preprocess.conf",
        typo.getMessage());
    IllegalArgumentException top =
        assertThrows(
            IllegalArgumentException.class,
            () -> keys.requireKnown(ConfigFactory.parseString("sed = 3"), null));
    assertEquals("unknown configuration key 'sed' (did you mean seed?)", top.getMessage());
    IllegalArgumentException far =
        assertThrows(
            IllegalArgumentException.class,
            () -> keys.requireKnown(ConfigFactory.parseString("bogus = 1"), null));
    assertEquals(
        "unknown configuration key 'bogus' (no known key is close to it; the known keys start with"
            + " quality, seed)",
        far.getMessage());
  }

  @Test
  void extraPathsAreKnownToo() {
    ConfigKeys keys = ConfigKeys.of(DEFAULTS).with(List.of("model.layers"));
    assertDoesNotThrow(
        () -> keys.requireKnown(ConfigFactory.parseString("model.layers = 3"), null));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> keys.requireKnown(ConfigFactory.parseString("model.layerz = 3"), null))
            .getMessage()
            .contains("did you mean model.layers?"));
  }

  @Test
  void closestPrefersTheSharedStartOverTheFewestEdits() {
    List<String> known =
        List.of("quality.gopher_quality.enabled", "quality.c4.enabled", "quality.fineweb.enabled");
    assertEquals("quality.c4.enabled", ConfigKeys.closest("quality.c4_quality.enabled", known));
    assertEquals("quality.fineweb.enabled", ConfigKeys.closest("quality.finweb.enabled", known));
  }
}
