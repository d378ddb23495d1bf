package io.github.sparkgpt.jobs.decode;

import io.github.sparkgpt.jobs.task.Completer;
import io.github.sparkgpt.jobs.task.Completion;
import io.github.sparkgpt.model.decode.DecoderWeights;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A {@link Completer} that spreads the prompts over the executors (the model broadcast once, at
 * construction) and returns the completions in the prompts' order.
 */
public final class SparkCompleter implements Completer {
  private final JavaSparkContext jsc;
  private final BatchDecoder decoder;

  public SparkCompleter(
      JavaSparkContext jsc, ComputationGraph lm, BpeTokenizer tok, GenerationSettings settings) {
    this.jsc = jsc;
    this.decoder = new BatchDecoder(jsc, DecoderWeights.of(lm), tok, settings);
  }

  @Override
  public List<Completion> completions(List<String> prompts) {
    if (prompts.isEmpty()) return List.of();
    int batches = (prompts.size() + decoder.batchSize() - 1) / decoder.batchSize();
    int slices = Math.max(1, Math.min(jsc.defaultParallelism(), batches));
    BatchDecoder d = decoder;
    // parallelize keeps the order within and across partitions, and collect concatenates them
    return jsc.parallelize(prompts, slices).mapPartitions(d::completePrompts).collect();
  }
}
