package io.github.sparkgpt.model.train;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Adam that counts its steps from {@code stepOffset}: the learning-rate schedule and Adam's bias
 * correction see {@code stepOffset + iteration}.
 *
 * <p>Why: DL4J 1.0.0-M2's parameter-averaging workers rebuild their network from a clone of the
 * graph configuration, and {@code ComputationGraphConfiguration.clone()} drops the iteration count,
 * so every worker starts every averaging round at iteration 0: the warmup restarted each round and
 * Adam's first-step bias correction shrank every round's first update (measured: one worker
 * averaging every 20 steps trained like plain fit with the counter reset each round, loss 7.32
 * instead of 7.11 after 40 steps). The updater configuration does survive the clone, so the trainer
 * stores the round's first step here before each round.
 */
public class RoundAdam extends Adam {
  private int stepOffset;

  public RoundAdam() {
    super();
  }

  public RoundAdam(ISchedule schedule) {
    super(schedule);
  }

  /**
   * The updater of a GPT network's one SameDiff layer (LM or task model), which the workers'
   * configuration carries.
   */
  public static RoundAdam of(org.deeplearning4j.nn.graph.ComputationGraph net) {
    return of(net.getConfiguration());
  }

  /** The RoundAdam of a GPT network's configuration. */
  public static RoundAdam of(org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf) {
    for (org.deeplearning4j.nn.conf.graph.GraphVertex v : conf.getVertices().values()) {
      if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
          && lv.getLayerConf().getLayer()
              instanceof org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer l
          && l.getUpdater() instanceof RoundAdam r) {
        return r;
      }
    }
    throw new IllegalStateException(
        "the network's layer does not use RoundAdam; build it with new RoundAdam(schedule)");
  }

  /**
   * Sets the step offset of {@code net}'s configuration (what a worker's clone carries) and of the
   * updaters it runs: a built network's updaters hold copies of the configuration's RoundAdam.
   */
  public static void setStepOffset(org.deeplearning4j.nn.graph.ComputationGraph net, int offset) {
    of(net).setStepOffset(offset);
    if (net.getUpdater(false) == null) return;
    for (org.deeplearning4j.nn.updater.UpdaterBlock b : net.getUpdater().getUpdaterBlocks()) {
      if (b.getGradientUpdater() != null
          && b.getGradientUpdater().getConfig() instanceof RoundAdam r) {
        r.setStepOffset(offset);
      }
    }
  }

  public int getStepOffset() {
    return stepOffset;
  }

  public void setStepOffset(int v) {
    stepOffset = v;
  }

  @Override
  public double getLearningRate(int iteration, int epoch) {
    return super.getLearningRate(
        iteration + stepOffset, epoch); // also the lr weight decay is scaled by
  }

  @Override
  public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
    AdamUpdater u = new Updater(this);
    long[] gradientShape = Arrays.copyOf(viewArray.shape(), viewArray.shape().length);
    gradientShape[1] /= 2; // the view holds m and v side by side
    u.setStateViewArray(viewArray, gradientShape, viewArray.ordering(), initializeViewArray);
    return u;
  }

  @Override
  public GradientUpdater instantiate(
      Map<String, INDArray> updaterState, boolean initializeStateArrays) {
    AdamUpdater u = new Updater(this);
    u.setState(updaterState, initializeStateArrays);
    return u;
  }

  @Override
  public RoundAdam clone() {
    RoundAdam c = new RoundAdam();
    c.setLearningRate(getLearningRate());
    c.setLearningRateSchedule(
        getLearningRateSchedule() == null ? null : getLearningRateSchedule().clone());
    c.setBeta1(getBeta1());
    c.setBeta2(getBeta2());
    c.setEpsilon(getEpsilon());
    c.stepOffset = stepOffset;
    return c;
  }

  /** AdamUpdater with the shifted step in both the learning rate and the bias correction. */
  static final class Updater extends AdamUpdater {
    Updater(RoundAdam config) {
      super(config);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
      if (getM() == null || getV() == null)
        throw new IllegalStateException("Updater has not been initialized with view state");
      RoundAdam c = (RoundAdam) getConfig();
      Nd4j.exec(
          new org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater(
              gradient,
              getV(),
              getM(),
              c.getLearningRate(iteration, epoch),
              c.getBeta1(),
              c.getBeta2(),
              c.getEpsilon(),
              iteration + c.getStepOffset()));
    }
  }
}
