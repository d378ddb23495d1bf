package io.github.sparkgpt.jobs.decode;

import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.ResponseLogProbs;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * {@link ResponseLogProbs} on the executors: the language model's parameters go out once per call
 * as a plain float array with its config (as {@link BatchDecoder} ships weights), each executor JVM
 * rebuilds the network once per broadcast, and the sums come back in the input's order.
 */
public final class SparkLogProbs {
  /** A language model as plain values: what a broadcast carries (a class: Kryo has no records). */
  static final class Weights implements Serializable {
    private static final long serialVersionUID = 1L;
    // broadcast ids restart with every SparkContext in a JVM: this key tells models apart
    final String key = java.util.UUID.randomUUID().toString();
    final String config;
    final float[] params;

    Weights(String config, float[] params) {
      this.config = config;
      this.params = params;
    }
  }

  /** One sequence to score: prompt ids then response ids. */
  static final class Sequence implements Serializable {
    private static final long serialVersionUID = 1L;
    final int[] prompt;
    final int[] response;

    Sequence(int[] prompt, int[] response) {
      this.prompt = prompt;
      this.response = response;
    }
  }

  /**
   * Each task thread's network for the newest broadcast: a DL4J network holds its activations, so
   * two threads must not run one network at once.
   */
  private static final ThreadLocal<Object[]> CACHED = ThreadLocal.withInitial(() -> new Object[2]);

  private SparkLogProbs() {}

  /** {@code log lm(responses[i] | prompts[i])} for every i, computed on the executors. */
  public static double[] of(
      JavaSparkContext jsc, ComputationGraph lm, int[][] prompts, int[][] responses, int batch) {
    if (prompts.length != responses.length)
      throw new IllegalArgumentException(prompts.length + " prompts, " + responses.length);
    if (prompts.length == 0) return new double[0];
    List<Sequence> rows = new ArrayList<>();
    for (int i = 0; i < prompts.length; i++) rows.add(new Sequence(prompts[i], responses[i]));
    Broadcast<Weights> w =
        jsc.broadcast(
            new Weights(
                GptModel.configOf(lm).toJson(),
                lm.params().castTo(DataType.FLOAT).dup('c').data().asFloat()));
    try {
      int slices =
          Math.max(1, Math.min(jsc.defaultParallelism(), (rows.size() + batch - 1) / batch));
      List<Double> out =
          jsc.parallelize(rows, slices).mapPartitions(it -> score(w, it, batch)).collect();
      return out.stream().mapToDouble(Double::doubleValue).toArray();
    } finally {
      w.destroy();
    }
  }

  private static Iterator<Double> score(Broadcast<Weights> w, Iterator<Sequence> it, int batch) {
    List<int[]> p = new ArrayList<>(), r = new ArrayList<>();
    it.forEachRemaining(
        s -> {
          p.add(s.prompt);
          r.add(s.response);
        });
    double[] lp =
        ResponseLogProbs.of(network(w), p.toArray(new int[0][]), r.toArray(new int[0][]), batch);
    List<Double> out = new ArrayList<>();
    for (double v : lp) out.add(v);
    return out.iterator();
  }

  private static ComputationGraph network(Broadcast<Weights> w) {
    Object[] c = CACHED.get();
    Weights v = w.value();
    if (!v.key.equals(c[0])) {
      // inference only: no updater state, and dropout is off outside training
      ComputationGraph net =
          GptModel.create(GptConfig.fromJson(v.config), new NoOp(), 0, DataType.FLOAT);
      net.setParams(Nd4j.createFromArray(v.params).reshape(1, v.params.length));
      c[0] = v.key;
      c[1] = net;
    }
    return (ComputationGraph) c[1];
  }
}
