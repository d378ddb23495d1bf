package io.github.sparkgpt.jobs.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Exact match and token F1 of a generated answer against accepted answers, after the usual answer
 * normalisation: lower case, punctuation removed, the articles a/an/the removed, whitespace
 * collapsed. A row with several accepted answers scores its best match.
 */
public final class AnswerMetrics {
  private static final Pattern PUNCTUATION = Pattern.compile("\\p{P}|\\p{S}");
  private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  private AnswerMetrics() {}

  /** The answer as compared: lower case, no punctuation or articles, single spaces, trimmed. */
  public static String normalize(String s) {
    String t = s.toLowerCase(Locale.ROOT);
    t = PUNCTUATION.matcher(t).replaceAll("");
    t = ARTICLES.matcher(t).replaceAll(" ");
    return SPACE.matcher(t).replaceAll(" ").strip();
  }

  /** 1 when the normalised texts are equal, else 0; the best over {@code accepted}. */
  public static double exactMatch(String generated, List<String> accepted) {
    String g = normalize(generated);
    for (String a : accepted) if (normalize(a).equals(g)) return 1;
    return 0;
  }

  /** Token F1 of the normalised texts (bag of words); the best over {@code accepted}. */
  public static double tokenF1(String generated, List<String> accepted) {
    double best = 0;
    for (String a : accepted) best = Math.max(best, f1(generated, a));
    return best;
  }

  static double f1(String generated, String reference) {
    List<String> g = tokens(generated);
    List<String> r = tokens(reference);
    if (g.isEmpty() || r.isEmpty()) return g.equals(r) ? 1 : 0; // both empty agree
    Map<String, Integer> left = new HashMap<>();
    for (String t : r) left.merge(t, 1, Integer::sum);
    int common = 0;
    for (String t : g) {
      Integer n = left.get(t);
      if (n != null && n > 0) {
        common++;
        left.put(t, n - 1);
      }
    }
    if (common == 0) return 0;
    double precision = (double) common / g.size();
    double recall = (double) common / r.size();
    return 2 * precision * recall / (precision + recall);
  }

  private static List<String> tokens(String s) {
    String n = normalize(s);
    return n.isEmpty() ? List.of() : List.of(n.split(" "));
  }
}
