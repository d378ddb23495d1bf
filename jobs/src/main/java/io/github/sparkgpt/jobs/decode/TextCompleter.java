package io.github.sparkgpt.jobs.decode;

import io.github.sparkgpt.jobs.task.Completer;
import io.github.sparkgpt.jobs.task.Completion;
import io.github.sparkgpt.model.FinishReason;
import io.github.sparkgpt.model.Generator;
import io.github.sparkgpt.model.decode.DecoderWeights;
import io.github.sparkgpt.model.decode.KvDecoder;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Text in, text out, on one JVM: tokenises prompts, decodes them in batches with the KV cache, and
 * detokenises the new tokens up to {@code <|endoftext|>} or the first stop string (neither is
 * included), each with why it stopped. An empty prompt starts from {@code <|endoftext|>}, the
 * document boundary of pretraining.
 */
public final class TextCompleter implements Completer {
  private final BpeTokenizer tokenizer;
  private final GenerationSettings settings;
  private final Generator generator;

  public TextCompleter(KvDecoder decoder, BpeTokenizer tokenizer, GenerationSettings settings) {
    this.tokenizer = tokenizer;
    this.settings = settings;
    this.generator = settings.generator(decoder, tokenizer.endOfTextId());
  }

  public TextCompleter(DecoderWeights weights, BpeTokenizer tokenizer, GenerationSettings s) {
    this(new KvDecoder(weights), tokenizer, s);
  }

  @Override
  public List<Completion> completions(List<String> prompts) {
    List<int[]> ids = new ArrayList<>(prompts.size());
    for (String p : prompts) {
      int[] t = tokenizer.encode(p);
      ids.add(t.length > 0 ? t : new int[] {tokenizer.endOfTextId()});
    }
    List<String> stop = settings.getStop();
    Generator.Stop atStop =
        stop.isEmpty() ? (row, t) -> false : (row, t) -> stopAt(text(t), stop) >= 0;
    List<Completion> out = new ArrayList<>(prompts.size());
    for (Generator.Completion c : generator.completions(ids, atStop)) {
      String text = text(c.tokens());
      int cut = stopAt(text, stop);
      out.add(
          cut < 0
              ? new Completion(text, c.finish())
              : new Completion(text.substring(0, cut), FinishReason.STOP));
    }
    return out;
  }

  private String text(int[] tokens) {
    int n = tokens.length;
    if (n > 0 && tokens[n - 1] == tokenizer.endOfTextId()) n--;
    return tokenizer.decode(Arrays.copyOf(tokens, n));
  }

  /** Where the first stop string starts in {@code text}, or -1. */
  static int stopAt(String text, List<String> stop) {
    int first = -1;
    for (String s : stop) {
      int i = text.indexOf(s);
      if (i >= 0 && (first < 0 || i < first)) first = i;
    }
    return first;
  }
}
