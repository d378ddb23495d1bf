package io.github.sparkgpt.jobs.metrics;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * A run's metrics.json: one schema for every job that writes one, written and read through these
 * records (keys in snake_case; a section a run does not have is left out). The report reads it back
 * through the same records.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunMetrics(
    int schema,
    String kind,
    String task,
    String target,
    Boolean pretrained,
    Lineage lineage,
    Map<String, SplitCounts> splits,
    Long rejected,
    Headline headline,
    Map<String, Evaluation> evaluations,
    Training training,
    FewShot fewshot,
    Map<String, Object> tokenizer,
    Long truncatedSequences) {
  /**
   * The version of this layout; files without it were written before it and are read by {@link
   * LegacyMetrics}.
   */
  public static final int SCHEMA = 1;

  public static final String FINETUNE = "finetune";
  public static final String FEWSHOT = "fewshot";
  public static final String SFT = "sft";
  public static final String DPO = "dpo";

  /**
   * Where the run started from: the checkpoint directory and digest, and the sha256 of each task
   * file.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Lineage(
      String checkpointSha256,
      String checkpoint,
      Boolean checkpointVerified,
      Map<String, String> taskFilesSha256) {}

  /** One split's rows: in = kept + the rejected ones, counted by reason. */
  public record SplitCounts(long in, long kept, Map<String, Long> rejected) {}

  /** The number a run is judged by, e.g. validation accuracy. */
  public record Headline(String split, String name, double value) {}

  /**
   * A split's evaluation: classes (and answer positions), real-valued scores, or generated answers
   * (sft); the other kinds' fields absent.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Evaluation(
      Long examples,
      Double accuracy,
      Double macroF1,
      Map<String, ClassScores> perClass,
      List<String> labels,
      List<List<Long>> confusionMatrix,
      Double pearson,
      Double spearman,
      Double mse,
      Double exactMatch,
      Double tokenF1,
      Double responseLoss) {
    @JsonCreator
    public Evaluation {}

    /** A classification or score evaluation (no generated answers). */
    public Evaluation(
        Long examples,
        Double accuracy,
        Double macroF1,
        Map<String, ClassScores> perClass,
        List<String> labels,
        List<List<Long>> confusionMatrix,
        Double pearson,
        Double spearman,
        Double mse) {
      this(
          examples,
          accuracy,
          macroF1,
          perClass,
          labels,
          confusionMatrix,
          pearson,
          spearman,
          mse,
          null,
          null,
          null);
    }

    /** Generated answers (sft): exact match, token F1 and the loss on the reference responses. */
    public static Evaluation ofAnswers(
        long examples, double exactMatch, double tokenF1, double responseLoss) {
      return new Evaluation(
          examples,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          exactMatch,
          tokenF1,
          responseLoss);
    }

    /**
     * Classes: per-class scores and the confusion matrix (rows true, columns predicted, in labels
     * order).
     */
    public boolean isClassification() {
      return accuracy != null || macroF1 != null;
    }
  }

  public record ClassScores(double precision, double recall, double f1, long support) {}

  /**
   * A fine-tuning run's training: head mode, loss weights, steps, losses and the per-epoch
   * validation rows.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Training(
      String mode,
      Double lmWeight,
      Double headDropout,
      Integer freezeBlocks,
      Integer workers,
      Long steps,
      Double firstLoss,
      Double lastLoss,
      Double seconds,
      List<Map<String, Object>> epochs) {}

  /**
   * A few-shot run's prompting and scoring: shots, seed, template, verbalizer, what was cut, and
   * speed.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record FewShot(
      Integer shots,
      Long seed,
      String normalize,
      String template,
      Map<String, String> labelWords,
      Long tooLong,
      Long shotsDropped,
      Long truncated,
      Long sequences,
      Double seconds,
      Double examplesPerSecond) {}
}
