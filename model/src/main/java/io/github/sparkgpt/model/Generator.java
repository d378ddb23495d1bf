package io.github.sparkgpt.model;

import io.github.sparkgpt.model.decode.DecodeState;
import io.github.sparkgpt.model.decode.DecoderWeights;
import io.github.sparkgpt.model.decode.KvDecoder;
import io.github.sparkgpt.model.decode.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Autoregressive text generation over token ids with a key/value cache ({@link KvDecoder}): greedy,
 * or sampling with temperature, top-k and top-p (nucleus); stops at the end-of-text id, at the
 * caller's {@link Stop} or after maxNewTokens, and says which ({@link FinishReason}).
 *
 * <p>Contract: prompts are decoded in batches of {@code batchSize}, left-padded, and padding never
 * changes a prompt's logits, so a prompt's tokens do not depend on its batch. Each prompt draws
 * from its own {@code Random(seed)}: the same prompt and seed give the same tokens. There is no
 * sliding window: prompt and new tokens must fit the learned positions. A prompt keeps its last
 * {@code max(contextLength - maxNewTokens, contextLength / 2)} tokens (at least one), so a question
 * is never cut to a token to make room for a long answer; a batch stops early when its longest row
 * fills the context.
 */
public final class Generator {

  /** Stops one row early: called after each new token with the row's index and its new tokens. */
  @FunctionalInterface
  public interface Stop {
    boolean after(int row, int[] generated);
  }

  /** The new tokens of one prompt (end-of-text included if produced) and why they stopped. */
  public record Completion(int[] tokens, FinishReason finish) {}

  private final KvDecoder decoder;
  private int maxNewTokens = 64;
  private double temperature = 1.0; // 0 = greedy
  private int topK = 0; // 0 = off
  private double topP = 1.0; // 1 = off
  private int endOfText = -1; // -1 = none
  private long seed = 42;
  private int batchSize = 32;

  public Generator(Inference inference) {
    this(new KvDecoder(DecoderWeights.of(inference.network())));
  }

  public Generator(KvDecoder decoder) {
    this.decoder = decoder;
  }

  /** The prompt followed by the generated tokens (the end-of-text id, if produced, is included). */
  public int[] generate(int[] prompt) {
    int[] tokens = complete(List.of(prompt), (row, generated) -> false).get(0);
    int[] out = Arrays.copyOf(prompt, prompt.length + tokens.length);
    System.arraycopy(tokens, 0, out, prompt.length, tokens.length);
    return out;
  }

  /** The new tokens of each prompt (end-of-text included if produced), in the prompts' order. */
  public List<int[]> complete(List<int[]> prompts, Stop stop) {
    List<int[]> out = new ArrayList<>(prompts.size());
    for (Completion c : completions(prompts, stop)) out.add(c.tokens());
    return out;
  }

  /**
   * Each prompt's completion, in the prompts' order: {@code stop} when it ended at the end-of-text
   * id or {@code stop}, {@code length} when cut at maxNewTokens or a full context.
   */
  public List<Completion> completions(List<int[]> prompts, Stop stop) {
    validate();
    List<Completion> out = new ArrayList<>(prompts.size());
    for (int from = 0; from < prompts.size(); from += batchSize) {
      int to = Math.min(prompts.size(), from + batchSize);
      out.addAll(batch(prompts.subList(from, to), from, stop));
    }
    return out;
  }

  private List<Completion> batch(List<int[]> prompts, int offset, Stop stop) {
    int rows = prompts.size();
    int[][] tokens = new int[rows][maxNewTokens];
    int[] counts = new int[rows];
    boolean[] ended = new boolean[rows];
    List<Completion> out = new ArrayList<>(rows);
    if (maxNewTokens > 0) {
      List<int[]> kept = new ArrayList<>(rows);
      int longest = 0;
      for (int[] p : prompts) {
        kept.add(cropped(p));
        longest = Math.max(longest, kept.get(kept.size() - 1).length);
      }
      int context = decoder.config().getContextLength();
      DecodeState state = decoder.start(kept, Math.min(context, longest + maxNewTokens));
      decode(state, tokens, counts, ended, offset, stop);
    }
    for (int r = 0; r < rows; r++) {
      FinishReason why = ended[r] ? FinishReason.STOP : FinishReason.LENGTH;
      out.add(new Completion(Arrays.copyOf(tokens[r], counts[r]), why));
    }
    return out;
  }

  /**
   * Samples, feeds back and repeats until every row stopped or the cache is full; {@code ended}
   * marks the rows that stopped themselves (end-of-text or {@code stop}).
   */
  private void decode(
      DecodeState state, int[][] tokens, int[] counts, boolean[] ended, int offset, Stop stop) {
    Sampler sampler = new Sampler(temperature, topK, topP);
    int rows = tokens.length;
    Random[] rng = new Random[rows];
    for (int r = 0; r < rows; r++) rng[r] = new Random(seed);
    int[] next = new int[rows];
    for (int step = 0; step < maxNewTokens; step++) {
      float[][] logits = state.logitRows(); // [B, V]
      boolean running = false;
      for (int r = 0; r < rows; r++) {
        if (ended[r]) continue; // keeps feeding its last token; what follows is never read
        next[r] = sampler.next(logits[r], rng[r]);
        tokens[r][counts[r]++] = next[r];
        ended[r] =
            next[r] == endOfText || stop.after(offset + r, Arrays.copyOf(tokens[r], counts[r]));
        running |= !ended[r];
      }
      if (!running || step + 1 == maxNewTokens || state.full()) return;
      decoder.step(state, next);
    }
  }

  /** The prompt's last max(context - maxNewTokens, context / 2) tokens, at least one. */
  private int[] cropped(int[] prompt) {
    if (prompt.length == 0)
      throw new IllegalArgumentException("prompt must hold at least one token");
    int context = decoder.config().getContextLength();
    int keep = Math.max(1, Math.max(context - maxNewTokens, context / 2));
    return prompt.length <= keep
        ? prompt
        : Arrays.copyOfRange(prompt, prompt.length - keep, prompt.length);
  }

  public Generator validate() {
    if (maxNewTokens < 0) throw new IllegalArgumentException("max_new_tokens must be >= 0");
    if (batchSize < 1) throw new IllegalArgumentException("batch_size must be >= 1");
    new Sampler(temperature, topK, topP); // checks temperature, top_k and top_p
    return this;
  }

  public int getMaxNewTokens() {
    return maxNewTokens;
  }

  public Generator setMaxNewTokens(int v) {
    maxNewTokens = v;
    return this;
  }

  public double getTemperature() {
    return temperature;
  }

  public Generator setTemperature(double v) {
    temperature = v;
    return this;
  }

  public int getTopK() {
    return topK;
  }

  public Generator setTopK(int v) {
    topK = v;
    return this;
  }

  public double getTopP() {
    return topP;
  }

  public Generator setTopP(double v) {
    topP = v;
    return this;
  }

  public int getEndOfText() {
    return endOfText;
  }

  public Generator setEndOfText(int v) {
    endOfText = v;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  public Generator setSeed(long v) {
    seed = v;
    return this;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public Generator setBatchSize(int v) {
    batchSize = v;
    return this;
  }
}
