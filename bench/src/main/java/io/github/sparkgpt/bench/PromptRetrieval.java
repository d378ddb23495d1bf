package io.github.sparkgpt.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The retrieval baseline: the training prompt most similar to a query by TF-IDF cosine over
 * lower-cased words (exact, no hashing: raw term counts, smoothed idf {@code ln((1+n)/(1+df))+1},
 * L2-normalised vectors). Ties, and a query sharing no word with any prompt, go to the earliest
 * prompt.
 */
final class PromptRetrieval {
  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private final Map<String, Double> idf = new HashMap<>();
  private final List<Map<String, Double>> vectors = new ArrayList<>();

  PromptRetrieval(List<String> prompts) {
    if (prompts.isEmpty()) throw new IllegalArgumentException("no prompts to retrieve from");
    List<Map<String, Integer>> counts = new ArrayList<>();
    Map<String, Integer> df = new HashMap<>();
    for (String p : prompts) {
      Map<String, Integer> c = counts(p);
      counts.add(c);
      for (String t : c.keySet()) df.merge(t, 1, Integer::sum);
    }
    int n = prompts.size();
    df.forEach((t, d) -> idf.put(t, Math.log((1.0 + n) / (1.0 + d)) + 1));
    for (Map<String, Integer> c : counts) vectors.add(weigh(c));
  }

  /** Index of the most similar prompt. */
  int nearest(String query) {
    Map<String, Double> q = weigh(counts(query));
    int best = 0;
    double bestScore = -1;
    for (int i = 0; i < vectors.size(); i++) {
      Map<String, Double> v = vectors.get(i);
      double dot = 0;
      for (Map.Entry<String, Double> e : q.entrySet())
        dot += e.getValue() * v.getOrDefault(e.getKey(), 0.0);
      if (dot > bestScore) {
        bestScore = dot;
        best = i;
      }
    }
    return best;
  }

  private Map<String, Double> weigh(Map<String, Integer> counts) {
    Map<String, Double> v = new HashMap<>();
    double norm = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      Double w = idf.get(e.getKey());
      if (w == null) continue; // a word no training prompt has cannot add to any cosine
      double x = e.getValue() * w;
      v.put(e.getKey(), x);
      norm += x * x;
    }
    double len = Math.sqrt(norm);
    if (len > 0) v.replaceAll((t, x) -> x / len);
    return v;
  }

  private static Map<String, Integer> counts(String text) {
    Map<String, Integer> c = new HashMap<>();
    for (String t : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
      if (!t.isEmpty()) c.merge(t, 1, Integer::sum);
    }
    return c;
  }
}
