package io.github.sparkgpt.jobs.report;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.report.ReportModel.Sample;
import io.github.sparkgpt.jobs.report.ReportModel.Samples;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.Generator;
import io.github.sparkgpt.model.Inference;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generated continuations for the report: sample {@code i} continues prompt {@code i mod prompts}
 * with seed {@code seed + i}, so a report is reproducible and several samples of one prompt differ.
 */
public final class ReportSamples {
  static final int TOP_K = 40;
  static final double TOP_P = 0.95;

  private ReportSamples() {}

  public static Samples generate(
      Path checkpointDir,
      List<String> prompts,
      int count,
      int maxNewTokens,
      double temperature,
      long seed) {
    if (prompts.isEmpty()) throw new UsageException("samples need at least one --prompt");
    Checkpoint cp;
    try {
      cp = Checkpoint.load(checkpointDir);
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
    BpeTokenizer tokenizer =
        HfTokenizerJson.fromJson(
            new String(cp.tokenizer(), StandardCharsets.UTF_8),
            checkpointDir.resolve(Checkpoint.TOKENIZER).toString());
    int context = cp.config().getContextLength();
    int newTokens = Math.min(maxNewTokens, context - 1);
    int endOfText = tokenizer.endOfTextId();
    // top-k and top-p as `deploy/submit generate` samples by default.
    Generator generator =
        new Generator(new Inference(cp.network()))
            .setMaxNewTokens(newTokens)
            .setTemperature(temperature)
            .setTopK(TOP_K)
            .setTopP(TOP_P)
            .setEndOfText(endOfText)
            .validate();
    List<Sample> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String prompt = prompts.get(i % prompts.size());
      int[] ids = tokenizer.encode(prompt);
      // The model sees at most its context: keep the end of a long prompt.
      if (ids.length + newTokens > context)
        ids = Arrays.copyOfRange(ids, ids.length - (context - newTokens), ids.length);
      int[] out = generator.setSeed(seed + i).generate(ids);
      int end =
          out.length > ids.length && out[out.length - 1] == endOfText ? out.length - 1 : out.length;
      items.add(
          new Sample(prompt, tokenizer.decode(Arrays.copyOfRange(out, ids.length, end)), seed + i));
    }
    return new Samples(
        checkpointDir,
        newTokens,
        temperature,
        generator.getTopK(),
        generator.getTopP(),
        seed,
        items);
  }
}
