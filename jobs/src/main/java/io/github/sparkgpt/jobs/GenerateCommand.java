package io.github.sparkgpt.jobs;

import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.Generator;
import io.github.sparkgpt.model.Inference;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Text generation from a checkpoint, on one machine (no Spark). */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt generate " + Versions.PROJECT,
    description = {
      "Continues a prompt with a checkpoint's model: greedy (--temperature 0) or sampled with",
      "temperature, top-k and top-p; stops at <|endoftext|> or after --max-new-tokens. Seeded."
    })
public final class GenerateCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "DIR",
      description = "A checkpoint directory.")
  String checkpoint;

  @Option(
      names = "--prompt",
      required = true,
      paramLabel = "TEXT",
      description = "The text to continue.")
  String prompt;

  @Option(names = "--max-new-tokens", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
  int maxNewTokens = 64;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      description = "0 = greedy. Default: ${DEFAULT-VALUE}.")
  double temperature = 0.8;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      description = "Keep the K most likely tokens; 0 = all. Default: ${DEFAULT-VALUE}.")
  int topK = 40;

  @Option(
      names = "--top-p",
      paramLabel = "P",
      description = "Nucleus sampling mass. Default: ${DEFAULT-VALUE}.")
  double topP = 0.95;

  @Option(names = "--seed", paramLabel = "S", description = "Default: ${DEFAULT-VALUE}.")
  long seed = 42;

  public static void main(String[] args) {
    System.exit(JobRunner.execute("generate", new GenerateCommand(), args));
  }

  @Override
  public Integer call() {
    Checkpoint cp = ModelTools.loadLanguageModel(checkpoint);
    BpeTokenizer tokenizer = ModelTools.tokenizer(cp, checkpoint);
    int[] promptIds = tokenizer.encode(prompt);
    int context = cp.config().getContextLength();
    if (promptIds.length + maxNewTokens > context) {
      // Keep the end of a long prompt: the model sees at most its context length.
      promptIds =
          Arrays.copyOfRange(
              promptIds,
              Math.max(0, promptIds.length - (context - maxNewTokens)),
              promptIds.length);
    }
    Generator generator =
        new Generator(new Inference(cp.network()))
            .setMaxNewTokens(maxNewTokens)
            .setTemperature(temperature)
            .setTopK(topK)
            .setTopP(topP)
            .setSeed(seed)
            .setEndOfText(tokenizer.endOfTextId());
    long t0 = System.nanoTime();
    int[] out = generator.generate(promptIds);
    double s = (System.nanoTime() - t0) / 1e9;
    int[] generated = Arrays.copyOfRange(out, promptIds.length, out.length);
    System.out.println(prompt + tokenizer.decode(generated));
    System.err.printf(
        Locale.ROOT,
        "generate: %d tokens in %.1f s (%.1f tokens/s)%n",
        generated.length,
        s,
        generated.length / s);
    return JobRunner.OK;
  }
}
