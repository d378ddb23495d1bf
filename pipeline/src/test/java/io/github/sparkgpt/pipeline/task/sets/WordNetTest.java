package io.github.sparkgpt.pipeline.task.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordNetTest {
  @TempDir Path dir;

  @Test
  void readsSynsetsPointersAndGlossesOfTheRealFormat() throws Exception {
    WordNet wn =
        WordNet.read(
            WordNetFixture.write(
                dir,
                WordNetFixture.DOGS,
                List.of(
                    "00000100 29 v 02 run 0 race 0 001 @ 00000110 v 0000 01 + 02 00 | move fast by"
                        + " using one's feet; \"run!\""),
                List.of(
                    "00000200 00 s 02 galore(ip) 0 abounding 0 001 & 00000210 a 0000 | existing in"
                        + " abundance")));
    WordNet.Synset poodle = wn.synset("n00000010");
    assertEquals(List.of("poodle", "poodle_dog"), poodle.lemmas());
    assertEquals("an intelligent breed with a thick curly coat", poodle.definition());
    assertEquals(List.of(new WordNet.Pointer("@", "n00000020")), poodle.pointers());
    assertEquals(Map.of("n00000020", 1, "n00000030", 2), wn.ancestors(poodle));
    assertEquals(List.of("poodle"), WordNet.words(poodle, false));
    assertEquals(List.of("poodle", "poodle dog"), WordNet.words(poodle, true));

    WordNet.Synset run = wn.synset("v00000100");
    assertEquals(List.of("run", "race"), run.lemmas());
    assertEquals("move fast by using one's feet", run.definition());
    WordNet.Synset galore = wn.synset("a00000200");
    assertEquals('a', galore.pos());
    assertEquals(List.of("galore", "abounding"), galore.lemmas());
    assertEquals(List.of(new WordNet.Pointer("&", "a00000210")), galore.pointers());
    assertEquals(3, wn.synsets('n').size());
    assertEquals(List.of("n00000020"), wn.senses('n').get("dog"));
  }

  @Test
  void wordsAreLowerCaseLemmas() {
    assertEquals("dog", WordNet.word("dog", false));
    assertEquals("ne'er-do-well", WordNet.word("ne'er-do-well", false));
    assertNull(WordNet.word("Paris", false));
    assertNull(WordNet.word("hot_dog", false));
    assertEquals("hot dog", WordNet.word("hot_dog", true));
    assertNull(WordNet.word("4-H_Club", true));
  }

  @Test
  void aMissingFileOrBadLineIsNamed() throws Exception {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> WordNet.read(dir))
            .getMessage()
            .contains("data.noun"));
    WordNetFixture.write(dir, List.of("00000010 05 n zz dog 0 000 | x"), List.of(), List.of());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> WordNet.read(dir))
            .getMessage()
            .contains("data.noun:3"));
    assertTrue(Files.exists(dir.resolve("data.adv")));
  }
}
