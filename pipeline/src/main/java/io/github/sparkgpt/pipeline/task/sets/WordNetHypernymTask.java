package io.github.sparkgpt.pipeline.task.sets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * DERIVED entailment from the WordNet noun hierarchy, balanced: premise and hypothesis are one
 * sentence template filled with two nouns ("A poodle is here." / "A dog is here."). {@code
 * entailment} when the hypothesis noun is a transitive hypernym (at most {@code
 * max_hypernym_distance} steps up, via {@code @} and {@code @i}) of the premise noun; each is
 * matched by a {@code not_entailment} pair with the same premise and a random noun that is not a
 * hypernym of any sense of it (nor a synonym), or, with probability {@code
 * reversed_negative_fraction}, the same pair reversed ("A dog is here." / "A poodle is here.").
 * Columns: id, premise, hypothesis, label, premise_noun, hypothesis_noun.
 */
public final class WordNetHypernymTask extends WordNetDerivedTask {
  public static final String NAME = "wordnet-hypernym-entailment-derived";
  public static final List<String> LABELS = List.of("entailment", "not_entailment");

  private int maxHypernymDistance = 3;
  private double reversedNegativeFraction = 0.5;
  private String sentenceTemplate = "{A} {noun} is here.";

  public WordNetHypernymTask(Supplier<WordNet> wordNet) {
    super(wordNet, 3000);
  }

  /**
   * Farthest hypernym used for entailment (1 = direct); keeps "entity" and "abstraction" out by
   * default.
   */
  public WordNetHypernymTask setMaxHypernymDistance(int v) {
    maxHypernymDistance = v;
    return this;
  }

  /** Share of negatives that are a positive pair reversed (specific noun as hypothesis). */
  public WordNetHypernymTask setReversedNegativeFraction(double v) {
    reversedNegativeFraction = v;
    return this;
  }

  /** Sentence with {@code {noun}} and {@code {A}} (A or An) or {@code {a}} (a or an). */
  public WordNetHypernymTask setSentenceTemplate(String v) {
    sentenceTemplate = v;
    return this;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TaskSet build() {
    if (maxHypernymDistance < 1)
      throw new IllegalArgumentException(
          "max_hypernym_distance must be >= 1, got " + maxHypernymDistance);
    if (!(reversedNegativeFraction >= 0 && reversedNegativeFraction <= 1)) {
      throw new IllegalArgumentException(
          "reversed_negative_fraction must be in [0, 1], got " + reversedNegativeFraction);
    }
    if (!sentenceTemplate.contains("{noun}"))
      throw new IllegalArgumentException("sentence_template needs {noun}: " + sentenceTemplate);
    WordNet wn = wordNet();
    Random rnd = new Random(seed);
    Map<String, List<String>> senses = wn.senses('n');
    List<String> pool = pool(wn, 'n');

    // Premises: nouns with at least one qualifying hypernym within reach.
    List<WordNet.Synset> premises = new ArrayList<>();
    for (WordNet.Synset s : wn.synsets('n')) {
      if (!WordNet.words(s, allowMultiword).isEmpty() && !reachable(wn, s).isEmpty())
        premises.add(s);
    }
    Collections.shuffle(premises, rnd);

    Set<String> used = new HashSet<>();
    List<TaskRow> rows = new ArrayList<>();
    int unmatched = 0;
    for (WordNet.Synset s : premises) {
      if (rows.size() + 2 > maxExamples) break;
      String p = WordNet.words(s, allowMultiword).get(0);
      List<String> ups = reachable(wn, s);
      String h = ups.get(rnd.nextInt(ups.size()));
      if (h.equals(p) || used.contains(p + ">" + h)) continue;
      String[] negative = null;
      if (rnd.nextDouble() < reversedNegativeFraction
          && !isHypernymWord(wn, senses, h, p)
          && !used.contains(h + ">" + p)) {
        negative = new String[] {h, p};
      } else {
        String q =
            draw(
                rnd,
                pool,
                w ->
                    !w.equals(p)
                        && !shareSynset(senses, p, w)
                        && !isHypernymWord(wn, senses, p, w)
                        && !used.contains(p + ">" + w));
        if (q != null) negative = new String[] {p, q};
      }
      if (negative == null) {
        unmatched++;
        continue;
      }
      used.add(p + ">" + h);
      used.add(negative[0] + ">" + negative[1]);
      rows.add(row(p, h, "entailment"));
      rows.add(row(negative[0], negative[1], "not_entailment"));
    }
    Map<String, Object> info =
        info(
            WordNetDerivedTask.SOURCE,
            "DERIVED from WordNet, not a published task: premise noun = first single-word lemma of"
                + " a random noun synset; entailment hypothesis = a lemma of one of its hypernyms"
                + " within max_hypernym_distance; each matched by a not_entailment pair (a random"
                + " noun that is no hypernym or synonym of any sense of the premise noun, or the"
                + " positive pair reversed), so the labels are balanced ("
                + unmatched
                + " premises skipped for lack of a negative)",
            "entailment",
            List.of("premise", "hypothesis"),
            parameters(
                "max_hypernym_distance",
                maxHypernymDistance,
                "reversed_negative_fraction",
                reversedNegativeFraction,
                "sentence_template",
                sentenceTemplate));
    return new TaskSet(NAME, rows, LABELS, List.of(), info);
  }

  /**
   * The first qualifying word of each hypernym of {@code s} within max_hypernym_distance, nearest
   * first.
   */
  private List<String> reachable(WordNet wn, WordNet.Synset s) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Integer> e : wn.ancestors(s).entrySet()) {
      WordNet.Synset up = wn.synset(e.getKey());
      if (e.getValue() > maxHypernymDistance || up == null) continue;
      List<String> words = WordNet.words(up, allowMultiword);
      if (!words.isEmpty() && !out.contains(words.get(0))) out.add(words.get(0));
    }
    return out;
  }

  /**
   * True when some sense of {@code general} is a transitive hypernym (any distance) of some sense
   * of {@code specific}.
   */
  private static boolean isHypernymWord(
      WordNet wn, Map<String, List<String>> senses, String specific, String general) {
    Set<String> up = new HashSet<>();
    for (String k : senses.getOrDefault(specific, List.of()))
      up.addAll(wn.ancestors(wn.synset(k)).keySet());
    for (String k : senses.getOrDefault(general, List.of())) if (up.contains(k)) return true;
    return false;
  }

  private TaskRow row(String premise, String hypothesis, String label) {
    String key = premise + ">" + hypothesis;
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("id", key);
    f.put("premise", sentence(premise));
    f.put("hypothesis", sentence(hypothesis));
    f.put("label", label);
    f.put("premise_noun", premise);
    f.put("hypothesis_noun", hypothesis);
    return new TaskRow(key, label, f);
  }

  String sentence(String noun) {
    boolean vowel = "aeiou".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0;
    return sentenceTemplate
        .replace("{A}", vowel ? "An" : "A")
        .replace("{a}", vowel ? "an" : "a")
        .replace("{noun}", noun);
  }
}
