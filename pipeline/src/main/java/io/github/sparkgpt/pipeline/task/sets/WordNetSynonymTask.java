package io.github.sparkgpt.pipeline.task.sets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * DERIVED word-pair similarity from WordNet, balanced: {@code synonym} pairs are two words of the
 * same synset; each is matched by an {@code unrelated} pair of the same part of speech made of its
 * first word and a random word of that part of speech that shares no synset with it (in any part of
 * speech). Which word comes first is drawn. Columns: id, word_a, word_b, label (synonym |
 * unrelated), pos.
 */
public final class WordNetSynonymTask extends WordNetDerivedTask {
  public static final String NAME = "wordnet-synonym-similarity-derived";
  public static final List<String> LABELS = List.of("synonym", "unrelated");

  public WordNetSynonymTask(Supplier<WordNet> wordNet) {
    super(wordNet, 3000);
  }

  @Override
  public String name() {
    return NAME;
  }

  private record Pair(char pos, String a, String b) {
    String key() {
      return pos + ":" + (a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a);
    }
  }

  @Override
  public TaskSet build() {
    WordNet wn = wordNet();
    Random rnd = new Random(seed);
    Map<String, List<String>> senses = new HashMap<>();
    for (char pos : WordNet.POS)
      wn.senses(pos)
          .forEach((w, keys) -> senses.computeIfAbsent(w, k -> new ArrayList<>()).addAll(keys));

    Map<String, Pair> positives = new LinkedHashMap<>();
    for (char pos : WordNet.POS) {
      for (WordNet.Synset s : wn.synsets(pos)) {
        List<String> words = WordNet.words(s, allowMultiword);
        for (int i = 0; i < words.size(); i++) {
          for (int j = i + 1; j < words.size(); j++) {
            Pair p = new Pair(pos, words.get(i), words.get(j));
            positives.putIfAbsent(p.key(), p);
          }
        }
      }
    }
    List<Pair> candidates = new ArrayList<>(positives.values());
    Collections.shuffle(candidates, rnd);

    Map<Character, List<String>> pools = new HashMap<>();
    Set<String> used = new HashSet<>(positives.keySet());
    List<TaskRow> rows = new ArrayList<>();
    int unmatched = 0;
    for (Pair p : candidates) {
      if (rows.size() + 2 > maxExamples) break;
      List<String> pool = pools.computeIfAbsent(p.pos(), pos -> pool(wn, pos));
      String other =
          draw(
              rnd,
              pool,
              w ->
                  !w.equals(p.a())
                      && !shareSynset(senses, p.a(), w)
                      && !used.contains(new Pair(p.pos(), p.a(), w).key()));
      if (other == null) {
        unmatched++;
        continue;
      }
      Pair negative = new Pair(p.pos(), p.a(), other);
      used.add(negative.key());
      rows.add(row(p, "synonym", rnd));
      rows.add(row(negative, "unrelated", rnd));
    }
    Map<String, Object> info =
        info(
            WordNetDerivedTask.SOURCE,
            "DERIVED from WordNet, not a published task: "
                + positives.size()
                + " distinct same-synset word pairs, sampled with the seed; each synonym pair is"
                + " matched by an unrelated pair (its first word and a random same-POS word sharing"
                + " no synset with it), so the labels are balanced ("
                + unmatched
                + " synonym pairs skipped for lack of a partner)",
            "similarity",
            List.of("word_a", "word_b"),
            parameters());
    return new TaskSet(NAME, rows, LABELS, List.of(), info);
  }

  private static TaskRow row(Pair p, String label, Random rnd) {
    boolean swap = rnd.nextBoolean();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("id", p.key());
    f.put("word_a", swap ? p.b() : p.a());
    f.put("word_b", swap ? p.a() : p.b());
    f.put("label", label);
    f.put("pos", String.valueOf(p.pos()));
    return new TaskRow(p.key(), label, f);
  }
}
