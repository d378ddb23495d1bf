package io.github.sparkgpt.jobs.fewshot;

import io.github.sparkgpt.jobs.fewshot.PromptBuilder.Prompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Scores every candidate of every prompt by its log-likelihood under the language model: {@code
 * sum_k log P(cand[k] | context, cand[0..k))}. The model reads {@code context + cand[0..n-1)};
 * candidates whose fed tokens are a prefix of another's share that sequence (single-token label
 * words: one sequence per prompt). Sequences of all prompts are sorted by length and scored {@code
 * batchSize} at a time, so padding stays small.
 */
public final class CandidateScorer {
  /** Called after every batch with the sequences scored so far and in total. */
  public interface Progress {
    void update(long done, long total);
  }

  private final TokenLogProbs lm;
  private final int batchSize;
  private long sequences;

  public CandidateScorer(TokenLogProbs lm, int batchSize) {
    if (batchSize < 1) throw new IllegalArgumentException("batch_size must be >= 1");
    this.lm = lm;
    this.batchSize = batchSize;
  }

  /** One model input and the candidate tokens read from it. */
  private record Sequence(
      int prompt, int[] input, int[] positions, int[] targets, int[] candidateOf) {}

  /** Summed log-likelihood of each candidate: [prompt][candidate]. */
  public double[][] logLikelihoods(List<Prompt> prompts, Progress progress) {
    List<Sequence> all = new ArrayList<>();
    double[][] scores = new double[prompts.size()][];
    for (int p = 0; p < prompts.size(); p++) {
      scores[p] = new double[prompts.get(p).candidates().length];
      all.addAll(sequencesOf(p, prompts.get(p)));
    }
    all.sort(Comparator.comparingInt(s -> s.input().length));
    sequences = all.size();
    for (int from = 0; from < all.size(); from += batchSize) {
      List<Sequence> batch = all.subList(from, Math.min(all.size(), from + batchSize));
      double[][] lp =
          lm.logProbs(
              batch.stream().map(Sequence::input).toList(),
              batch.stream().map(Sequence::positions).toList(),
              batch.stream().map(Sequence::targets).toList());
      for (int i = 0; i < batch.size(); i++) {
        Sequence s = batch.get(i);
        for (int j = 0; j < s.targets().length; j++)
          scores[s.prompt()][s.candidateOf()[j]] += lp[i][j];
      }
      if (progress != null) progress.update(from + batch.size(), all.size());
    }
    return scores;
  }

  /** Model inputs of the last {@link #logLikelihoods} call. */
  public long sequences() {
    return sequences;
  }

  /**
   * The prediction's scores: sums as they are, or divided by each candidate's token count ({@code
   * mean}).
   */
  public static double[] normalized(
      double[] sums, int[][] candidates, FewShotSettings.Normalize mode) {
    double[] out = sums.clone();
    if (mode == FewShotSettings.Normalize.MEAN)
      for (int c = 0; c < out.length; c++) out[c] /= candidates[c].length;
    return out;
  }

  /** Index of the highest score (the first on a tie). */
  public static int argmax(double[] scores) {
    int best = 0;
    for (int c = 1; c < scores.length; c++) if (scores[c] > scores[best]) best = c;
    return best;
  }

  private static List<Sequence> sequencesOf(int prompt, Prompt p) {
    int[] context = p.context();
    int[][] cands = p.candidates();
    Integer[] order = new Integer[cands.length];
    for (int c = 0; c < order.length; c++) order[c] = c;
    Arrays.sort(
        order,
        Comparator.comparingInt((Integer c) -> -cands[c].length)); // longest first: they can host
    List<int[]> hosts = new ArrayList<>(); // candidate index owning a sequence
    List<List<Integer>> guests = new ArrayList<>();
    for (int c : order) {
      int at = -1;
      for (int h = 0; h < hosts.size() && at < 0; h++)
        if (feedsPrefix(cands[c], cands[hosts.get(h)[0]])) at = h;
      if (at < 0) {
        hosts.add(new int[] {c});
        guests.add(new ArrayList<>());
        at = hosts.size() - 1;
      }
      guests.get(at).add(c);
    }
    List<Sequence> out = new ArrayList<>();
    for (int h = 0; h < hosts.size(); h++) {
      int[] host = cands[hosts.get(h)[0]];
      int[] input = Arrays.copyOf(context, context.length + host.length - 1);
      System.arraycopy(host, 0, input, context.length, host.length - 1);
      int n = 0;
      for (int c : guests.get(h)) n += cands[c].length;
      int[] positions = new int[n], targets = new int[n], of = new int[n];
      int k = 0;
      for (int c : guests.get(h)) {
        for (int i = 0; i < cands[c].length; i++, k++) {
          positions[k] = context.length - 1 + i; // logits here predict the candidate's i-th token
          targets[k] = cands[c][i];
          of[k] = c;
        }
      }
      out.add(new Sequence(prompt, input, positions, targets, of));
    }
    return out;
  }

  /**
   * True when the tokens fed for {@code c} (all but its last) are a prefix of those fed for {@code
   * host}.
   */
  private static boolean feedsPrefix(int[] c, int[] host) {
    if (c.length > host.length) return false;
    for (int i = 0; i < c.length - 1; i++) if (c[i] != host[i]) return false;
    return true;
  }
}
