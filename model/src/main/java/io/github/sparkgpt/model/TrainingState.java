package io.github.sparkgpt.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where training stood when a checkpoint was written. Mutable bean, stored as JSON in the
 * checkpoint.
 */
public final class TrainingState {
  private long step;
  private int epoch;
  private long tokensSeen;
  private Map<String, Double> metrics =
      new LinkedHashMap<>(); // e.g. train_loss, val_loss, learning_rate

  public long getStep() {
    return step;
  }

  public TrainingState setStep(long v) {
    step = v;
    return this;
  }

  public int getEpoch() {
    return epoch;
  }

  public TrainingState setEpoch(int v) {
    epoch = v;
    return this;
  }

  public long getTokensSeen() {
    return tokensSeen;
  }

  public TrainingState setTokensSeen(long v) {
    tokensSeen = v;
    return this;
  }

  public Map<String, Double> getMetrics() {
    return metrics;
  }

  public TrainingState setMetrics(Map<String, Double> v) {
    metrics = new LinkedHashMap<>(v);
    return this;
  }

  public TrainingState putMetric(String name, double value) {
    metrics.put(name, value);
    return this;
  }
}
