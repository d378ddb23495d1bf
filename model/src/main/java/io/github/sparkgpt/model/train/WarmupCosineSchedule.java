package io.github.sparkgpt.model.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning rate for optimizer step {@code i} (0-based): linear warmup from {@code peak / warmup} to
 * {@code peak} over the first {@code warmup} steps, then a half cosine from {@code peak} down to
 * {@code peak * minRatio} at {@code totalSteps}, and the floor after that (GPT-1: 2,000 warmup
 * steps, cosine; nanoGPT: floor = peak / 10).
 *
 * <p>A DL4J {@link ISchedule}: the updater calls {@link #valueAt} with the network's iteration
 * count, so it is stored (as JSON) in model.zip and a resumed run continues on the same curve.
 */
public final class WarmupCosineSchedule implements ISchedule {
  private static final long serialVersionUID = 1L;

  @JsonProperty("peak")
  private final double peak;

  @JsonProperty("warmup")
  private final long warmup;

  @JsonProperty("total_steps")
  private final long totalSteps;

  @JsonProperty("min_ratio")
  private final double minRatio;

  @JsonCreator
  public WarmupCosineSchedule(
      @JsonProperty("peak") double peak,
      @JsonProperty("warmup") long warmup,
      @JsonProperty("total_steps") long totalSteps,
      @JsonProperty("min_ratio") double minRatio) {
    if (!(peak > 0)) throw new IllegalArgumentException("learning_rate must be > 0, got " + peak);
    if (warmup < 0) throw new IllegalArgumentException("warmup_steps must be >= 0, got " + warmup);
    if (totalSteps < 1)
      throw new IllegalArgumentException("total steps must be >= 1, got " + totalSteps);
    if (minRatio < 0 || minRatio > 1)
      throw new IllegalArgumentException("min_lr_ratio must be in [0, 1], got " + minRatio);
    this.peak = peak;
    this.warmup = warmup;
    this.totalSteps = totalSteps;
    this.minRatio = minRatio;
  }

  /** Rate at optimizer step {@code step}; {@code epoch} is ignored (the schedule is per step). */
  @Override
  public double valueAt(int step, int epoch) {
    return at(step);
  }

  public double at(long step) {
    if (step < warmup) return peak * (step + 1) / warmup;
    double floor = peak * minRatio;
    long decaySteps = totalSteps - warmup;
    if (decaySteps <= 0 || step >= totalSteps) return floor;
    double progress = (double) (step - warmup) / decaySteps; // 0 at the peak, 1 at the floor
    return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  public double peak() {
    return peak;
  }

  public long warmup() {
    return warmup;
  }

  public long totalSteps() {
    return totalSteps;
  }

  public double minRatio() {
    return minRatio;
  }

  @Override
  public ISchedule clone() {
    return new WarmupCosineSchedule(peak, warmup, totalSteps, minRatio);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarmupCosineSchedule s
        && s.peak == peak
        && s.warmup == warmup
        && s.totalSteps == totalSteps
        && s.minRatio == minRatio;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(peak, warmup, totalSteps, minRatio);
  }

  @Override
  public String toString() {
    return "WarmupCosineSchedule(peak="
        + peak
        + ", warmup="
        + warmup
        + ", total_steps="
        + totalSteps
        + ", min_ratio="
        + minRatio
        + ")";
  }
}
