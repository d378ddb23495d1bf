package io.github.sparkgpt.jobs.finetune;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.task.TaskColumns;
import io.github.sparkgpt.jobs.train.EpochSettings;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.task.TaskType;
import java.util.List;

/** The finetune job's parameters (bound from {@code conf/finetune.conf}; defaults are GPT-1's). */
public final class FinetuneSettings implements TaskColumns, EpochSettings {
  private String task = "classification";
  private String similarityTarget = "label";
  private List<String> textColumns = List.of("text");
  private String labelColumn = "label";
  private String idColumn = "";
  private String format = "auto";
  private double lmWeight = 0.5;
  private boolean fromScratch = false;
  private int maxLength = 0;
  private double headDropout = 0.1;
  private int freezeBlocks = 0;
  private int epochs = 3;
  private int batchSize = 32;
  private double learningRate = 6.25e-5;
  private double warmupFraction = 0.002;
  private int averagingFrequency = 5;
  private int bucketRounds = 0;
  private int workers = 0;
  private int evalBatchSize = 64;
  private long seed = 1234;

  public static FinetuneSettings from(Config config) {
    return ConfigBinder.bind(new FinetuneSettings(), config, "").validate();
  }

  /** Refuses settings out of range (see {@link FinetuneChecks}). */
  public FinetuneSettings validate() {
    FinetuneChecks.check(this);
    return this;
  }

  public TaskType taskType() {
    try {
      return TaskType.parse(task);
    } catch (IllegalArgumentException e) {
      throw new UsageException("finetune: task: " + e.getMessage());
    }
  }

  /**
   * True for similarity with real-valued scores (regression), false for every task with class
   * labels.
   */
  public boolean isScore() {
    return similarityTarget.equals("score");
  }

  public String getTask() {
    return task;
  }

  public FinetuneSettings setTask(String v) {
    task = v;
    return this;
  }

  public String getSimilarityTarget() {
    return similarityTarget;
  }

  public FinetuneSettings setSimilarityTarget(String v) {
    similarityTarget = v;
    return this;
  }

  public List<String> getTextColumns() {
    return textColumns;
  }

  public FinetuneSettings setTextColumns(List<String> v) {
    textColumns = List.copyOf(v);
    return this;
  }

  public String getLabelColumn() {
    return labelColumn;
  }

  public FinetuneSettings setLabelColumn(String v) {
    labelColumn = v;
    return this;
  }

  public String getIdColumn() {
    return idColumn;
  }

  public FinetuneSettings setIdColumn(String v) {
    idColumn = v;
    return this;
  }

  public String getFormat() {
    return format;
  }

  public FinetuneSettings setFormat(String v) {
    format = v;
    return this;
  }

  public double getLmWeight() {
    return lmWeight;
  }

  public FinetuneSettings setLmWeight(double v) {
    lmWeight = v;
    return this;
  }

  public boolean isFromScratch() {
    return fromScratch;
  }

  public FinetuneSettings setFromScratch(boolean v) {
    fromScratch = v;
    return this;
  }

  public double getHeadDropout() {
    return headDropout;
  }

  public FinetuneSettings setHeadDropout(double v) {
    headDropout = v;
    return this;
  }

  public int getFreezeBlocks() {
    return freezeBlocks;
  }

  public FinetuneSettings setFreezeBlocks(int v) {
    freezeBlocks = v;
    return this;
  }

  public int getMaxLength() {
    return maxLength;
  }

  public FinetuneSettings setMaxLength(int v) {
    maxLength = v;
    return this;
  }

  public int getEpochs() {
    return epochs;
  }

  public FinetuneSettings setEpochs(int v) {
    epochs = v;
    return this;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public FinetuneSettings setBatchSize(int v) {
    batchSize = v;
    return this;
  }

  public double getLearningRate() {
    return learningRate;
  }

  public FinetuneSettings setLearningRate(double v) {
    learningRate = v;
    return this;
  }

  public double getWarmupFraction() {
    return warmupFraction;
  }

  public FinetuneSettings setWarmupFraction(double v) {
    warmupFraction = v;
    return this;
  }

  public int getBucketRounds() {
    return bucketRounds;
  }

  public FinetuneSettings setBucketRounds(int v) {
    bucketRounds = v;
    return this;
  }

  public int getAveragingFrequency() {
    return averagingFrequency;
  }

  public FinetuneSettings setAveragingFrequency(int v) {
    averagingFrequency = v;
    return this;
  }

  public int getWorkers() {
    return workers;
  }

  public FinetuneSettings setWorkers(int v) {
    workers = v;
    return this;
  }

  public int getEvalBatchSize() {
    return evalBatchSize;
  }

  public FinetuneSettings setEvalBatchSize(int v) {
    evalBatchSize = v;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  public FinetuneSettings setSeed(long v) {
    seed = v;
    return this;
  }
}
