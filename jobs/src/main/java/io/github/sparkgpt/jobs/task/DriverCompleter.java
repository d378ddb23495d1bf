package io.github.sparkgpt.jobs.task;

import io.github.sparkgpt.model.Generator;
import io.github.sparkgpt.model.Inference;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Greedy completion on the driver, one prompt at a time, stopping at {@code <|endoftext|>} (not
 * part of the completion). A prompt longer than the context keeps its last tokens (see {@link
 * Inference#nextTokenLogits}).
 */
public final class DriverCompleter implements Completer {
  private final Generator generator;
  private final BpeTokenizer tokenizer;

  public DriverCompleter(ComputationGraph net, BpeTokenizer tokenizer, int maxNewTokens) {
    if (tokenizer.endOfTextId() < 0)
      throw new IllegalArgumentException("the tokenizer has no <|endoftext|> to stop at");
    this.tokenizer = tokenizer;
    this.generator =
        new Generator(new Inference(net))
            .setTemperature(0)
            .setMaxNewTokens(maxNewTokens)
            .setEndOfText(tokenizer.endOfTextId())
            .validate();
  }

  @Override
  public List<String> complete(List<String> prompts) {
    List<String> out = new ArrayList<>(prompts.size());
    for (String prompt : prompts) {
      int[] ids = tokenizer.encode(prompt);
      int[] all = generator.generate(ids);
      int end = all.length;
      if (end > ids.length && all[end - 1] == tokenizer.endOfTextId()) end--;
      out.add(tokenizer.decode(Arrays.copyOfRange(all, ids.length, end)));
    }
    return out;
  }
}
