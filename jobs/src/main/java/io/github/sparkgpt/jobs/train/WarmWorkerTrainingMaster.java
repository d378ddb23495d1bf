package io.github.sparkgpt.jobs.train;

import io.github.sparkgpt.model.train.RoundAdam;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDDLike;
import org.apache.spark.broadcast.Broadcast;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;

/**
 * DL4J's parameter averaging, but a worker keeps its network between rounds: each executor thread
 * builds the network once and then only loads the round's parameters, Adam state and step into it.
 *
 * <p>Why: DL4J 1.0.0-M2's workers build a new network from the broadcast configuration every round,
 * and for the GPT layer that means building its SameDiff graph and gradient graph again and running
 * them cold (on {@code small} averaging every 5 steps, one worker ran 5% faster without it,
 * local[2] 2%: README, pretrain). Loading into the kept network gives the same numbers: the same
 * parameters, Adam state, iteration, epoch and {@link RoundAdam} step offset as a fresh one.
 *
 * <p>Networks too large for the memory limit are not kept ({@link Worker#keepable}). With training
 * stats or listeners on, DL4J's own worker runs (they hook into its build).
 */
public class WarmWorkerTrainingMaster extends ParameterAveragingTrainingMaster {

  public WarmWorkerTrainingMaster(Builder builder) {
    super(builder);
  }

  /**
   * One split, without counting: a {@link Round} never holds more than {@code workers x
   * averaging_frequency} batches ({@link ParameterAveraging} checks), so DL4J's count, which only
   * decides whether to cut the data into several splits, would cost a Spark job per round for the
   * same answer (~60 ms of a ~2.7 s round on {@code small}, local[2]). With training stats on, the
   * count is taken as DL4J does, since the stats report it.
   */
  @Override
  protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(
      JavaRDDLike<T, R> data) {
    if (collectTrainingStats || rddTrainingApproach != RDDTrainingApproach.Direct) {
      return super.getTotalDataSetObjectCount(data);
    }
    return getNumDataSetObjectsPerSplit(rddDataSetNumExamples);
  }

  @Override
  public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
    if (collectTrainingStats || (listeners != null && !listeners.isEmpty())) {
      return super.getWorkerInstance(graph);
    }
    ComputationGraph net = graph.getNetwork();
    NetBroadcastTuple tuple =
        new NetBroadcastTuple(
            net.getConfiguration(), net.params(), net.getUpdater().getStateViewArray());
    Broadcast<NetBroadcastTuple> broadcast = graph.getSparkContext().broadcast(tuple);
    WorkerConfiguration configuration =
        new WorkerConfiguration(
            true,
            rddDataSetNumExamples,
            batchSizePerWorker,
            averagingFrequency,
            prefetchNumBatches,
            false);
    return new Worker(
        broadcast, saveUpdater, configuration, trainingHookList, listeners, getRouterProvider());
  }

  /** The worker: a network per executor thread, reloaded each round. */
  static class Worker extends ParameterAveragingTrainingWorker {
    /**
     * Per thread, so a task never loads into a network whose last result Spark may still be
     * serialising (that happens on the task's own thread, before it takes the next task).
     */
    private static final ThreadLocal<Kept> KEPT = new ThreadLocal<>();

    private record Kept(String configuration, ComputationGraph net) {}

    /** Rounds this JVM started on a kept network (tests check that they happen). */
    static final AtomicLong REUSED = new AtomicLong();

    private final Broadcast<NetBroadcastTuple> broadcast;

    Worker(
        Broadcast<NetBroadcastTuple> broadcast,
        boolean saveUpdater,
        WorkerConfiguration configuration,
        Collection<TrainingHook> hooks,
        Collection<TrainingListener> listeners,
        StatsStorageRouterProvider router) {
      super(broadcast, saveUpdater, configuration, hooks, listeners, router);
      this.broadcast = broadcast;
    }

    @Override
    public ComputationGraph getInitialModelGraph() {
      NetBroadcastTuple tuple = broadcast.getValue();
      // what DL4J's worker builds from: a clone of the broadcast configuration
      ComputationGraphConfiguration round = tuple.getGraphConfiguration().clone();
      String key = withoutRoundState(round);
      Kept kept = KEPT.get();
      if (kept == null || !kept.configuration().equals(key)) {
        KEPT.remove(); // the old network is garbage before the new one is built
        ComputationGraph net = super.getInitialModelGraph();
        if (keepable(net, Pointer.maxPhysicalBytes())) KEPT.set(new Kept(key, net));
        return net;
      }
      ComputationGraph net = kept.net();
      REUSED.incrementAndGet();
      net.params().assign(tuple.getParameters());
      if (tuple.getUpdaterState() != null) {
        net.getUpdater().getStateViewArray().assign(tuple.getUpdaterState());
      }
      net.getConfiguration().setIterationCount(round.getIterationCount());
      net.getConfiguration().setEpochCount(round.getEpochCount());
      RoundAdam.setStepOffset(net, RoundAdam.of(round).getStepOffset());
      return net;
    }

    /**
     * Whether keeping {@code net} leaves room: its parameters, gradients and Adam state (16 bytes
     * per float parameter) under 1/{@value #KEEP_FRACTION} of JavaCPP's physical-memory limit (none
     * when the limit is 0). A kept network stays allocated between rounds, while DL4J's is garbage
     * that a memory-pressure GC can free: gpt1 (1.9 GB of them) at batch 4 stopped fitting under a
     * 20 GB limit on one JVM when kept, and ran when rebuilt.
     */
    static boolean keepable(ComputationGraph net, long maxPhysicalBytes) {
      long bytes = 4L * net.params().length() * net.params().dataType().width();
      return maxPhysicalBytes <= 0 || bytes <= maxPhysicalBytes / KEEP_FRACTION;
    }

    static final int KEEP_FRACTION = 16;

    /**
     * {@code c} as JSON without what changes from round to round. On a JSON copy: a configuration's
     * clone shares its updater with the original, which other tasks are reading.
     */
    static String withoutRoundState(ComputationGraphConfiguration c) {
      ComputationGraphConfiguration copy = ComputationGraphConfiguration.fromJson(c.toJson());
      copy.setIterationCount(0);
      copy.setEpochCount(0);
      RoundAdam.of(copy).setStepOffset(0);
      return copy.toJson();
    }
  }
}
