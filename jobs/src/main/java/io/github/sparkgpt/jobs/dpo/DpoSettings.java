package io.github.sparkgpt.jobs.dpo;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.task.TaskColumns;
import io.github.sparkgpt.jobs.train.EpochSettings;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.task.TaskType;
import java.util.List;

/** The dpo job's parameters (bound from {@code conf/dpo.conf}, where each is explained). */
public final class DpoSettings implements TaskColumns, EpochSettings {
  private String promptColumn = "prompt";
  private String chosenColumn = "chosen";
  private String rejectedColumn = "rejected";
  private String idColumn = "";
  private String format = "auto";
  private String template = "Question: {prompt}\nAnswer: ";
  private String loss = "sigmoid";
  private double beta = 0.1;
  private double labelSmoothing = 0;
  private int epochs = 3;
  private int batchSize = 16;
  private double learningRate = 5e-6;
  private double warmupFraction = 0.1;
  private double gradientClip = 1.0;
  private int averagingFrequency = 5;
  private int workers = 0;
  private int evalBatchSize = 32;
  private int klPrompts = 64;
  private int klMaxNewTokens = 32;
  private long seed = 1234;

  public static DpoSettings from(Config config) {
    return ConfigBinder.bind(new DpoSettings(), config, "").validate();
  }

  /** Refuses settings out of range (see {@link DpoChecks}). */
  public DpoSettings validate() {
    DpoChecks.check(this);
    return this;
  }

  /** None: a preference run has no task family. */
  @Override
  public TaskType taskType() {
    return null;
  }

  /** The prompt, the chosen and the rejected response. */
  @Override
  public List<String> getTextColumns() {
    return List.of(promptColumn, chosenColumn, rejectedColumn);
  }

  @Override
  public String getLabelColumn() {
    return chosenColumn;
  }

  public String getPromptColumn() {
    return promptColumn;
  }

  public DpoSettings setPromptColumn(String v) {
    promptColumn = v;
    return this;
  }

  public String getChosenColumn() {
    return chosenColumn;
  }

  public DpoSettings setChosenColumn(String v) {
    chosenColumn = v;
    return this;
  }

  public String getRejectedColumn() {
    return rejectedColumn;
  }

  public DpoSettings setRejectedColumn(String v) {
    rejectedColumn = v;
    return this;
  }

  @Override
  public String getIdColumn() {
    return idColumn;
  }

  public DpoSettings setIdColumn(String v) {
    idColumn = v;
    return this;
  }

  @Override
  public String getFormat() {
    return format;
  }

  public DpoSettings setFormat(String v) {
    format = v;
    return this;
  }

  public String getTemplate() {
    return template;
  }

  public DpoSettings setTemplate(String v) {
    template = v;
    return this;
  }

  public String getLoss() {
    return loss;
  }

  public DpoSettings setLoss(String v) {
    loss = v;
    return this;
  }

  public double getBeta() {
    return beta;
  }

  public DpoSettings setBeta(double v) {
    beta = v;
    return this;
  }

  public double getLabelSmoothing() {
    return labelSmoothing;
  }

  public DpoSettings setLabelSmoothing(double v) {
    labelSmoothing = v;
    return this;
  }

  @Override
  public int getEpochs() {
    return epochs;
  }

  public DpoSettings setEpochs(int v) {
    epochs = v;
    return this;
  }

  @Override
  public int getBatchSize() {
    return batchSize;
  }

  public DpoSettings setBatchSize(int v) {
    batchSize = v;
    return this;
  }

  @Override
  public double getLearningRate() {
    return learningRate;
  }

  public DpoSettings setLearningRate(double v) {
    learningRate = v;
    return this;
  }

  @Override
  public double getWarmupFraction() {
    return warmupFraction;
  }

  public DpoSettings setWarmupFraction(double v) {
    warmupFraction = v;
    return this;
  }

  public double getGradientClip() {
    return gradientClip;
  }

  public DpoSettings setGradientClip(double v) {
    gradientClip = v;
    return this;
  }

  @Override
  public int getAveragingFrequency() {
    return averagingFrequency;
  }

  public DpoSettings setAveragingFrequency(int v) {
    averagingFrequency = v;
    return this;
  }

  @Override
  public int getWorkers() {
    return workers;
  }

  public DpoSettings setWorkers(int v) {
    workers = v;
    return this;
  }

  @Override
  public int getEvalBatchSize() {
    return evalBatchSize;
  }

  public DpoSettings setEvalBatchSize(int v) {
    evalBatchSize = v;
    return this;
  }

  public int getKlPrompts() {
    return klPrompts;
  }

  public DpoSettings setKlPrompts(int v) {
    klPrompts = v;
    return this;
  }

  public int getKlMaxNewTokens() {
    return klMaxNewTokens;
  }

  public DpoSettings setKlMaxNewTokens(int v) {
    klMaxNewTokens = v;
    return this;
  }

  @Override
  public long getSeed() {
    return seed;
  }

  public DpoSettings setSeed(long v) {
    seed = v;
    return this;
  }
}
