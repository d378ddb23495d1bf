package io.github.sparkgpt.model.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * GPT-1's fine-tuning rate for optimizer step {@code i} (0-based): linear warmup to {@code peak}
 * over the first {@code warmup} steps, then linear decay to 0 at {@code totalSteps}. Stored in
 * model.zip as JSON like any DL4J {@link ISchedule}.
 */
public final class WarmupLinearSchedule implements ISchedule {
  private static final long serialVersionUID = 1L;

  @JsonProperty("peak")
  private final double peak;

  @JsonProperty("warmup")
  private final long warmup;

  @JsonProperty("total_steps")
  private final long totalSteps;

  @JsonCreator
  public WarmupLinearSchedule(
      @JsonProperty("peak") double peak,
      @JsonProperty("warmup") long warmup,
      @JsonProperty("total_steps") long totalSteps) {
    if (!(peak > 0)) throw new IllegalArgumentException("learning_rate must be > 0, got " + peak);
    if (warmup < 0) throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
    if (totalSteps < 1)
      throw new IllegalArgumentException("total steps must be >= 1, got " + totalSteps);
    this.peak = peak;
    this.warmup = warmup;
    this.totalSteps = totalSteps;
  }

  /**
   * Warmup steps for a fraction of the run (GPT-1: 0.2%), at least 1 when the fraction is positive.
   */
  public static long warmupFor(double fraction, long totalSteps) {
    return fraction <= 0 ? 0 : Math.max(1, Math.round(fraction * totalSteps));
  }

  @Override
  public double valueAt(int step, int epoch) {
    return at(step);
  }

  public double at(long step) {
    if (step < warmup) return peak * (step + 1) / warmup;
    if (step >= totalSteps) return 0;
    return peak
        * (double) (totalSteps - step)
        / (totalSteps - warmup); // peak at the warmup's end, 0 at the end
  }

  @Override
  public ISchedule clone() {
    return new WarmupLinearSchedule(peak, warmup, totalSteps);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarmupLinearSchedule s
        && s.peak == peak
        && s.warmup == warmup
        && s.totalSteps == totalSteps;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(peak, warmup, totalSteps);
  }

  @Override
  public String toString() {
    return "WarmupLinearSchedule(peak="
        + peak
        + ", warmup="
        + warmup
        + ", total_steps="
        + totalSteps
        + ")";
  }
}
