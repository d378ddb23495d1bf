package io.github.sparkgpt.jobs.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a run report shows, read from the artefacts by {@link ArtefactReader} and drawn by
 * {@link ReportHtml}. A section is null when the report was not asked for it; a value is null when
 * its artefact does not record it.
 */
public record ReportModel(
    Instant created,
    Preprocess preprocess,
    Pretrain pretrain,
    Samples samples,
    List<TaskRun> tasks,
    List<LineageChain.Row> lineage) {

  /** Without a lineage table. */
  public ReportModel(
      Instant created,
      Preprocess preprocess,
      Pretrain pretrain,
      Samples samples,
      List<TaskRun> tasks) {
    this(created, preprocess, pretrain, samples, tasks, List.of());
  }

  /** A preprocess output: stats.json and manifest.json. */
  public record Preprocess(
      Path dir,
      List<String> inputs,
      double elapsedSeconds,
      long inputBytes,
      List<Stage> stages,
      Map<Long, Long> clusterSizes,
      List<Split> splits,
      Integer vocabSize,
      Integer contextLength,
      String tokenizerSha256) {
    public long docsIn() {
      return stages.isEmpty() ? 0 : stages.get(0).docsIn();
    }

    public long docsOut() {
      return stages.isEmpty() ? 0 : stages.get(stages.size() - 1).docsOut();
    }
  }

  /**
   * One pipeline stage: documents and bytes through it, drops per reason and its other counters.
   */
  public record Stage(
      String name,
      long docsIn,
      long docsOut,
      long bytesIn,
      long bytesOut,
      Map<String, Long> dropped,
      Map<String, Long> counters) {
    public long droppedTotal() {
      return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Tokens of one split (stats.json "tokens", shards from the manifest). */
  public record Split(
      String name,
      long documents,
      long documentTokens,
      long packedTokens,
      long sequences,
      long tokensDropped,
      int shards,
      long shardBytes) {}

  /**
   * A pretraining run: settings from config.conf and the newest checkpoint, progress from the last
   * metrics.jsonl line (the final validation values from the last line that has them), plots as PNG
   * bytes (perplexity may be null).
   */
  public record Pretrain(
      Path dir,
      boolean complete,
      String preset,
      Long parameters,
      Integer layers,
      Integer dModel,
      Integer heads,
      Integer contextLength,
      Integer vocabSize,
      Integer batchSize,
      Double learningRate,
      Integer averagingFrequency,
      long steps,
      long tokensSeen,
      Double finalTrainLoss,
      Double finalValLoss,
      Double finalValPerplexity,
      Long valStep,
      Double elapsedSeconds,
      Double tokensPerSecond,
      Path checkpoint,
      byte[] lossPng,
      byte[] perplexityPng) {}

  /** Generated continuations and how they were sampled. */
  public record Samples(
      Path checkpoint,
      int maxNewTokens,
      double temperature,
      int topK,
      double topP,
      long seed,
      List<Sample> items) {}

  public record Sample(String prompt, String completion, long seed) {}

  /**
   * A fine-tuning or few-shot run directory's metrics.json. {@code pretrained} is null when the
   * file does not say; {@code kind} is "fine-tuned" or the run's own word (e.g. "few-shot").
   */
  public record TaskRun(
      String id,
      Path dir,
      String kind,
      Boolean pretrained,
      String task,
      Long steps,
      Double seconds,
      List<Evaluation> evaluations,
      byte[] epochLossPng,
      byte[] preferencePng) {}

  /** The metrics of one split (validation, test or eval); absent numbers are null. */
  public record Evaluation(
      String split,
      Long examples,
      Double accuracy,
      Double macroF1,
      Double pearson,
      Double spearman,
      List<ClassMetrics> perClass,
      List<String> labels,
      List<List<Long>> confusion,
      Double exactMatch,
      Double tokenF1) {}

  public record ClassMetrics(
      String label, Double precision, Double recall, Double f1, Long support) {}
}
