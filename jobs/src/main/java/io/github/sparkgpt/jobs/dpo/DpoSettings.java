package io.github.sparkgpt.jobs.dpo;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.train.EpochSettings;
import io.github.sparkgpt.pipeline.ConfigBinder;

/** The dpo job's parameters (bound from {@code conf/dpo.conf}, where each is explained). */
public final class DpoSettings extends PairColumns<DpoSettings> implements EpochSettings {
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

  @Override
  DpoSettings self() {
    return this;
  }

  public static DpoSettings from(Config config) {
    return ConfigBinder.bind(new DpoSettings(), config, "").validate();
  }

  /** Refuses settings out of range (see {@link DpoChecks}). */
  public DpoSettings validate() {
    DpoChecks.check(this);
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
