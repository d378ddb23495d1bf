package io.github.sparkgpt.pipeline.task.sets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * DERIVED multiple choice from WordNet: the context is a synset's definition (its gloss without the
 * quoted examples), the answers are {@code choices} words, one of them the synset's first
 * qualifying lemma and the others distractors drawn from the lemmas of other synsets of the same
 * part of speech (never a lemma of the synset itself); the label is the index of the right answer.
 * Synsets whose definition contains the answer word are skipped (the answer would be given away).
 * Columns: id, definition, choices (JSON array), label (index), answer, pos.
 */
public final class WordNetDefinitionChoiceTask extends WordNetDerivedTask {
  public static final String NAME = "wordnet-definition-choice-derived";

  private int choices = 4;

  public WordNetDefinitionChoiceTask(Supplier<WordNet> wordNet) {
    super(wordNet, 2000);
  }

  /** Answers per question (one right, the rest distractors). */
  public WordNetDefinitionChoiceTask setChoices(int v) {
    choices = v;
    return this;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TaskSet build() {
    if (choices < 2) throw new IllegalArgumentException("choices must be >= 2, got " + choices);
    WordNet wn = wordNet();
    Random rnd = new Random(seed);
    List<WordNet.Synset> candidates = new ArrayList<>();
    int givenAway = 0;
    for (char pos : WordNet.POS) {
      for (WordNet.Synset s : wn.synsets(pos)) {
        List<String> words = WordNet.words(s, allowMultiword);
        if (words.isEmpty() || s.definition().isEmpty()) continue;
        if (Pattern.compile("\\b" + Pattern.quote(words.get(0)) + "\\b")
            .matcher(s.definition().toLowerCase(Locale.ROOT))
            .find()) {
          givenAway++;
          continue;
        }
        candidates.add(s);
      }
    }
    Collections.shuffle(candidates, rnd);
    Map<Character, List<String>> pools = new LinkedHashMap<>();
    List<TaskRow> rows = new ArrayList<>();
    int noDistractors = 0;
    for (WordNet.Synset s : candidates) {
      if (rows.size() >= maxExamples) break;
      String answer = WordNet.words(s, allowMultiword).get(0);
      List<String> pool = pools.computeIfAbsent(s.pos(), p -> pool(wn, p));
      List<String> options = new ArrayList<>();
      for (int k = 1; k < choices; k++) {
        String d =
            draw(
                rnd,
                pool,
                w ->
                    !w.equals(answer)
                        && !options.contains(w)
                        && !s.lemmas().contains(w.replace(' ', '_')));
        if (d == null) break;
        options.add(d);
      }
      if (options.size() < choices - 1) {
        noDistractors++;
        continue;
      }
      int label = rnd.nextInt(choices);
      options.add(label, answer);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("id", s.key());
      f.put("definition", s.definition());
      f.put("choices", List.copyOf(options));
      f.put("label", label);
      f.put("answer", answer);
      f.put("pos", String.valueOf(s.pos()));
      rows.add(new TaskRow(s.key(), Integer.toString(label), f));
    }
    List<String> labels = new ArrayList<>();
    for (int k = 0; k < choices; k++) labels.add(Integer.toString(k));
    Map<String, Object> info =
        info(
            SOURCE,
            "DERIVED from WordNet, not a published task: context = a synset's "
                + "definition; answers = its first single-word lemma plus "
                + (choices - 1)
                + " distractor lemmas of other synsets of the same part of speech, drawn with the"
                + " seed; label = index of the right answer ("
                + givenAway
                + " synsets skipped because the definition contains the answer, "
                + noDistractors
                + " for lack of distractors)",
            "multiple_choice",
            List.of("definition", "choices"),
            parameters("choices", choices));
    return new TaskSet(NAME, rows, labels, List.of(), info);
  }
}
