package io.github.sparkgpt.pipeline.task.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three WordNet-derived sets on hand-written data files. */
class WordNetDerivedTasksTest {
  @TempDir Path dir;

  private WordNet dogs() throws Exception {
    return WordNet.read(WordNetFixture.write(dir, WordNetFixture.DOGS, List.of(), List.of()));
  }

  @Test
  void definitionChoiceOffersTheSynsetsWordAmongOtherNouns() throws Exception {
    WordNet wn = dogs();
    TaskSet set = new WordNetDefinitionChoiceTask(() -> wn).setChoices(3).build();
    assertEquals(List.of("0", "1", "2"), set.labels());
    Map<String, String> definitions =
        Map.of(
            "poodle",
            "an intelligent breed with a thick curly coat",
            "dog",
            "a domesticated carnivorous mammal",
            "animal",
            "a living organism that can move voluntarily");
    assertEquals(3, set.rows().size());
    Set<String> answers = new HashSet<>();
    for (TaskRow r : set.rows()) {
      Map<String, Object> f = r.fields();
      String answer = (String) f.get("answer");
      answers.add(answer);
      assertEquals(definitions.get(answer), f.get("definition"));
      // The only other single-word nouns are the two other synsets' lemmas: the choices are all
      // three words.
      assertEquals(Set.of("poodle", "dog", "animal"), new HashSet<>((List<?>) f.get("choices")));
      assertEquals(answer, ((List<?>) f.get("choices")).get((Integer) f.get("label")));
      assertEquals(Integer.toString((Integer) f.get("label")), r.label());
      assertEquals("n", f.get("pos"));
    }
    assertEquals(Set.of("poodle", "dog", "animal"), answers);
    // Four choices need three distractors: the fixture has only two, so nothing is made up.
    assertEquals(0, new WordNetDefinitionChoiceTask(() -> wn).build().rows().size());
    // Deterministic in the seed.
    assertEquals(
        set.rows(), new WordNetDefinitionChoiceTask(() -> wn).setChoices(3).build().rows());
  }

  @Test
  void definitionChoiceSkipsDefinitionsThatGiveTheAnswerAway() throws Exception {
    WordNet wn =
        WordNet.read(
            WordNetFixture.write(
                dir,
                List.of(
                    "00000010 05 n 01 cat 0 000 | a small domesticated cat",
                    "00000020 05 n 01 bird 0 000 | a warm-blooded egg-laying vertebrate",
                    "00000030 05 n 01 fish 0 000 | a cold-blooded aquatic vertebrate",
                    "00000040 05 n 01 frog 0 000 | a tailless amphibian"),
                List.of(),
                List.of()));
    TaskSet set = new WordNetDefinitionChoiceTask(() -> wn).setChoices(2).build();
    assertEquals(Set.of("bird", "fish", "frog"), answers(set));
  }

  @Test
  void synonymPairsShareASynsetAndUnrelatedPairsDoNot() throws Exception {
    WordNet wn =
        WordNet.read(
            WordNetFixture.write(
                dir,
                List.of(
                    "00000010 06 n 03 car 0 auto 0 automobile 0 000 | a motor vehicle with four"
                        + " wheels",
                    "00000020 17 n 02 stone 0 rock 0 000 | a lump of hard consolidated mineral"
                        + " matter",
                    "00000030 05 n 01 dog 0 000 | a domesticated carnivorous mammal"),
                List.of("00000100 38 v 02 rock 0 sway 0 000 01 + 02 00 | move back and forth"),
                List.of()));
    TaskSet set = new WordNetSynonymTask(() -> wn).build();
    Map<String, Set<String>> synsetsOf = new HashMap<>();
    for (char pos : WordNet.POS)
      wn.senses(pos)
          .forEach((w, keys) -> synsetsOf.computeIfAbsent(w, k -> new HashSet<>()).addAll(keys));
    Set<String> synonyms = new HashSet<>();
    int unrelated = 0;
    for (TaskRow r : set.rows()) {
      String a = (String) r.fields().get("word_a");
      String b = (String) r.fields().get("word_b");
      Set<String> shared = new HashSet<>(synsetsOf.get(a));
      shared.retainAll(synsetsOf.get(b));
      if (r.label().equals("synonym")) {
        assertFalse(shared.isEmpty(), a + "/" + b);
        synonyms.add(r.key());
      } else {
        assertEquals("unrelated", r.label());
        assertTrue(shared.isEmpty(), a + "/" + b);
        assertEquals("n", r.fields().get("pos"));
        unrelated++;
      }
    }
    // Every same-synset pair of nouns; the verb pair has no same-POS partner word, so it is
    // skipped.
    assertEquals(
        Set.of("n:auto|car", "n:automobile|car", "n:auto|automobile", "n:rock|stone"), synonyms);
    assertEquals(4, unrelated);
    assertEquals(2, new WordNetSynonymTask(() -> wn).setMaxExamples(3).build().rows().size());
  }

  @Test
  void hypernymEntailmentWithReversedNegatives() throws Exception {
    WordNet wn = dogs();
    TaskSet set =
        new WordNetHypernymTask(() -> wn)
            .setMaxHypernymDistance(1)
            .setReversedNegativeFraction(1)
            .build();
    Map<String, String> rows = new HashMap<>();
    for (TaskRow r : set.rows())
      rows.put(r.fields().get("premise") + " / " + r.fields().get("hypothesis"), r.label());
    assertEquals(
        Map.of(
            "A poodle is here. / A dog is here.", "entailment",
            "A dog is here. / A poodle is here.", "not_entailment",
            "A dog is here. / An animal is here.", "entailment",
            "An animal is here. / A dog is here.", "not_entailment"),
        rows);
    TaskRow first =
        set.rows().stream().filter(r -> r.key().equals("poodle>dog")).findFirst().orElseThrow();
    assertEquals(
        List.of("id", "premise", "hypothesis", "label", "premise_noun", "hypothesis_noun"),
        List.copyOf(first.fields().keySet()));
  }

  @Test
  void hypernymNegativesAreNeitherHypernymsNorSynonyms() throws Exception {
    List<String> nouns = new java.util.ArrayList<>(WordNetFixture.DOGS);
    nouns.add("00000040 27 n 01 stone 0 000 | a lump of hard mineral matter");
    WordNet wn = WordNet.read(WordNetFixture.write(dir, nouns, List.of(), List.of()));
    TaskSet set = new WordNetHypernymTask(() -> wn).setReversedNegativeFraction(0).build();
    assertEquals(4, set.rows().size());
    for (TaskRow r : set.rows()) {
      String p = (String) r.fields().get("premise_noun");
      String h = (String) r.fields().get("hypothesis_noun");
      boolean entails = r.label().equals("entailment");
      if (p.equals("poodle")) {
        // dog and animal are both hypernyms of poodle (transitively), so its only possible negative
        // is stone.
        assertTrue((entails ? Set.of("dog", "animal") : Set.of("stone")).contains(h), h);
      } else {
        assertEquals("dog", p);
        assertTrue((entails ? Set.of("animal") : Set.of("poodle", "stone")).contains(h), h);
      }
    }
    assertNotEquals(0, set.rows().stream().filter(r -> r.label().equals("not_entailment")).count());
    assertEquals(
        set.rows().size() / 2,
        set.rows().stream().filter(r -> r.label().equals("entailment")).count());
  }

  private static Set<String> answers(TaskSet set) {
    Set<String> out = new HashSet<>();
    for (TaskRow r : set.rows()) out.add((String) r.fields().get("answer"));
    return out;
  }
}
