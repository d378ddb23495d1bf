package io.github.sparkgpt.jobs.fewshot;

import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token prompts for in-context learning (GPT-2/GPT-3 style):
 *
 * <pre>
 *   [&lt;|endoftext|&gt;] shot_1 sep shot_2 sep ... shot_K sep query_prefix   then each candidate's tokens
 * </pre>
 *
 * Each piece is tokenized on its own, so the shots' tokens are the same in every prompt. The model
 * reads {@code prompt + candidate[0..n-1)}, which must fit its context: when it does not, whole
 * shots are dropped from the front first, then the query prefix is cut from the left (its end, next
 * to the candidate, is kept). Both are counted.
 */
public final class PromptBuilder {
  private final BpeTokenizer tokenizer;
  private final String separator;
  private final int[] separatorTokens;
  private final int startToken;
  private final int contextLength;
  private final Map<String, int[]> shotCache = new HashMap<>();
  private long shotsDropped;
  private long truncated;

  /** A prompt: the context tokens, the tokens of each candidate, and how it was made to fit. */
  public record Prompt(
      int[] context, int[][] candidates, int shots, int shotsDropped, boolean truncated) {}

  /**
   * The prompt cannot fit even without shots and with the query cut to one token: the candidate is
   * too long.
   */
  public static final class TooLong extends Exception {
    TooLong(String message) {
      super(message);
    }
  }

  /**
   * @param startToken a token to begin every prompt with (the document separator the model saw in
   *     pretraining), or -1
   */
  public PromptBuilder(
      BpeTokenizer tokenizer, String separator, int startToken, int contextLength) {
    this.tokenizer = tokenizer;
    this.separator = separator;
    this.separatorTokens = tokenizer.encode(separator);
    this.startToken = startToken;
    this.contextLength = contextLength;
  }

  /**
   * The prompt as text (without the start token): shots, each followed by the separator, then the
   * query prefix.
   */
  public String text(List<String> shots, String queryPrefix) {
    StringBuilder sb = new StringBuilder();
    for (String s : shots) sb.append(s).append(separator);
    return sb.append(queryPrefix).toString();
  }

  public Prompt build(List<String> shots, String queryPrefix, List<String> candidates)
      throws TooLong {
    int[][] cands = new int[candidates.size()][];
    int longest = 0;
    for (int c = 0; c < cands.length; c++) {
      cands[c] = tokenizer.encode(candidates.get(c));
      if (cands[c].length == 0)
        throw new IllegalArgumentException("candidate " + c + " has no tokens");
      longest = Math.max(longest, cands[c].length);
    }
    int budget =
        contextLength + 1 - longest; // prompt tokens allowed: the last candidate token is not fed
    List<int[]> shotTokens = new ArrayList<>();
    for (String s : shots) shotTokens.add(shotCache.computeIfAbsent(s, tokenizer::encode));
    int[] query = tokenizer.encode(queryPrefix);

    int fixed = startToken >= 0 ? 1 : 0;
    int length = fixed + query.length;
    for (int[] s : shotTokens) length += s.length + separatorTokens.length;
    int dropped = 0;
    while (length > budget && dropped < shotTokens.size()) {
      length -= shotTokens.get(dropped).length + separatorTokens.length;
      dropped++;
    }
    boolean cut = false;
    if (length > budget) {
      int keep = query.length - (length - budget);
      if (keep < 1) {
        throw new TooLong(
            "a candidate of "
                + longest
                + " tokens leaves no room for the query in the model's context of "
                + contextLength);
      }
      query = Arrays.copyOfRange(query, query.length - keep, query.length);
      length = budget;
      cut = true;
    }

    if (length == 0) {
      throw new IllegalArgumentException(
          "empty prompt: put text before the candidate in the template or set "
              + "start_with_end_of_text = true");
    }
    int[] context = new int[length];
    int n = 0;
    if (startToken >= 0) context[n++] = startToken;
    for (int i = dropped; i < shotTokens.size(); i++) {
      int[] s = shotTokens.get(i);
      System.arraycopy(s, 0, context, n, s.length);
      n += s.length;
      System.arraycopy(separatorTokens, 0, context, n, separatorTokens.length);
      n += separatorTokens.length;
    }
    System.arraycopy(query, 0, context, n, query.length);
    shotsDropped += dropped;
    if (cut) truncated++;
    return new Prompt(context, cands, shotTokens.size() - dropped, dropped, cut);
  }

  /** Shots dropped so far, over all prompts. */
  public long shotsDropped() {
    return shotsDropped;
  }

  /** Prompts whose query prefix was cut from the left so far. */
  public long truncated() {
    return truncated;
  }
}
