package io.github.sparkgpt.jobs.sft;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.task.TaskColumns;
import io.github.sparkgpt.jobs.train.EpochSettings;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.task.TaskType;
import java.util.List;

/** The sft job's parameters (bound from {@code conf/sft.conf}, where each is explained). */
public final class SftSettings implements TaskColumns, EpochSettings {
  private String promptColumn = "prompt";
  private String responseColumn = "response";
  private String idColumn = "";
  private String format = "auto";
  private String template = "Question: {prompt}\nAnswer: ";
  private double promptLossWeight = 0;
  private boolean fromScratch = false;
  private int maxLength = 0;
  private int maxNewTokens = 32;
  private int epochs = 3;
  private int batchSize = 16;
  private double learningRate = 1e-4;
  private double warmupFraction = 0.05;
  private double gradientClip = 1.0;
  private int averagingFrequency = 5;
  private int workers = 0;
  private int evalBatchSize = 32;
  private long seed = 1234;

  public static SftSettings from(Config config) {
    return ConfigBinder.bind(new SftSettings(), config, "").validate();
  }

  /** Refuses settings out of range (see {@link SftChecks}). */
  public SftSettings validate() {
    SftChecks.check(this);
    return this;
  }

  /** None: a generative run has no task family. */
  @Override
  public TaskType taskType() {
    return null;
  }

  /** A response cell may hold a JSON array of accepted answers. */
  @Override
  public boolean arrayCells() {
    return true;
  }

  /** The prompt, then the response (or accepted responses). */
  @Override
  public List<String> getTextColumns() {
    return List.of(promptColumn, responseColumn);
  }

  @Override
  public String getLabelColumn() {
    return responseColumn;
  }

  public String getPromptColumn() {
    return promptColumn;
  }

  public SftSettings setPromptColumn(String v) {
    promptColumn = v;
    return this;
  }

  public String getResponseColumn() {
    return responseColumn;
  }

  public SftSettings setResponseColumn(String v) {
    responseColumn = v;
    return this;
  }

  @Override
  public String getIdColumn() {
    return idColumn;
  }

  public SftSettings setIdColumn(String v) {
    idColumn = v;
    return this;
  }

  @Override
  public String getFormat() {
    return format;
  }

  public SftSettings setFormat(String v) {
    format = v;
    return this;
  }

  public String getTemplate() {
    return template;
  }

  public SftSettings setTemplate(String v) {
    template = v;
    return this;
  }

  public double getPromptLossWeight() {
    return promptLossWeight;
  }

  public SftSettings setPromptLossWeight(double v) {
    promptLossWeight = v;
    return this;
  }

  public boolean isFromScratch() {
    return fromScratch;
  }

  public SftSettings setFromScratch(boolean v) {
    fromScratch = v;
    return this;
  }

  public int getMaxLength() {
    return maxLength;
  }

  public SftSettings setMaxLength(int v) {
    maxLength = v;
    return this;
  }

  public int getMaxNewTokens() {
    return maxNewTokens;
  }

  public SftSettings setMaxNewTokens(int v) {
    maxNewTokens = v;
    return this;
  }

  public int getEpochs() {
    return epochs;
  }

  public SftSettings setEpochs(int v) {
    epochs = v;
    return this;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public SftSettings setBatchSize(int v) {
    batchSize = v;
    return this;
  }

  public double getLearningRate() {
    return learningRate;
  }

  public SftSettings setLearningRate(double v) {
    learningRate = v;
    return this;
  }

  public double getWarmupFraction() {
    return warmupFraction;
  }

  public SftSettings setWarmupFraction(double v) {
    warmupFraction = v;
    return this;
  }

  public double getGradientClip() {
    return gradientClip;
  }

  public SftSettings setGradientClip(double v) {
    gradientClip = v;
    return this;
  }

  public int getAveragingFrequency() {
    return averagingFrequency;
  }

  public SftSettings setAveragingFrequency(int v) {
    averagingFrequency = v;
    return this;
  }

  public int getWorkers() {
    return workers;
  }

  public SftSettings setWorkers(int v) {
    workers = v;
    return this;
  }

  public int getEvalBatchSize() {
    return evalBatchSize;
  }

  public SftSettings setEvalBatchSize(int v) {
    evalBatchSize = v;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  public SftSettings setSeed(long v) {
    seed = v;
    return this;
  }
}
