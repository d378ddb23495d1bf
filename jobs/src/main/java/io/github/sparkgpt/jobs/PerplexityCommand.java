package io.github.sparkgpt.jobs;

import io.github.sparkgpt.jobs.storage.Completeness;
import io.github.sparkgpt.jobs.storage.RemoteFiles;
import io.github.sparkgpt.jobs.storage.StoragePath;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.Inference;
import io.github.sparkgpt.pipeline.write.Manifest;
import io.github.sparkgpt.pipeline.write.ShardInfo;
import io.github.sparkgpt.pipeline.write.ShardReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Perplexity of a checkpoint on a preprocess output's shards, on one machine (no Spark). */
@Command(
    name = "perplexity",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt perplexity " + Versions.PROJECT,
    description = {
      "Mean negative log-likelihood (nats/token) and perplexity of a checkpoint on the shards of a",
      "preprocess output. Refuses data packed with another tokenizer or a longer context."
    })
public final class PerplexityCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "DIR",
      description = "A checkpoint directory.")
  String checkpoint;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "A preprocess output directory.")
  String data;

  @Option(
      names = "--split",
      paramLabel = "NAME",
      description = "train or validation. Default: ${DEFAULT-VALUE}.")
  String split = "validation";

  @Option(
      names = "--max-sequences",
      paramLabel = "N",
      description = "Evaluate at most N sequences; -1 = all. Default: ${DEFAULT-VALUE}.")
  long maxSequences = 256;

  public static void main(String[] args) {
    System.exit(JobRunner.execute("perplexity", new PerplexityCommand(), args));
  }

  @Override
  public Integer call() {
    Configuration conf = new Configuration();
    new Completeness(new RemoteFiles(conf))
        .requireOutput("--data", StoragePath.of("--data", data), "preprocess output");
    Manifest manifest = Manifest.read(data, conf);
    Manifest.Split s = manifest.splits.get(split);
    if (s == null)
      throw new UsageException(
          "--split " + split + ": " + data + " has splits " + manifest.splits.keySet());
    Checkpoint cp = ModelTools.loadLanguageModel(checkpoint);
    if (!cp.tokenizerSha256().equals(manifest.tokenizer.sha256)) {
      throw new UsageException(
          data
              + " was tokenized with tokenizer sha256 "
              + manifest.tokenizer.sha256
              + " but the checkpoint's is "
              + cp.tokenizerSha256()
              + "; evaluate on data preprocessed with --tokenizer "
              + checkpoint.replaceAll("/+$", "")
              + "/"
              + Checkpoint.TOKENIZER);
    }
    if (manifest.contextLength > cp.config().getContextLength()) {
      throw new UsageException(
          data
              + " holds sequences of context "
              + manifest.contextLength
              + ", longer than the model's "
              + cp.config().getContextLength());
    }
    List<int[]> sequences = new ArrayList<>();
    for (ShardInfo shard : s.shards) {
      long left = maxSequences < 0 ? -1 : maxSequences - sequences.size();
      if (left == 0) break;
      sequences.addAll(
          ShardReader.read(new org.apache.hadoop.fs.Path(data, shard.path()), conf, left));
    }
    if (sequences.isEmpty())
      throw new UsageException(data + ": the " + split + " split has no sequences");
    long t0 = System.nanoTime();
    Inference.Perplexity p = new Inference(cp.network()).perplexity(sequences);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "perplexity: %s split, %d sequences, %d tokens: mean NLL %.4f nats/token, "
            + "perplexity %.2f (%.0f tokens/s)%n",
        split,
        sequences.size(),
        p.tokens(),
        p.meanNll(),
        p.perplexity(),
        p.tokens() / secs);
    return JobRunner.OK;
  }
}
