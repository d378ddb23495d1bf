package io.github.sparkgpt.bench;

import io.github.sparkgpt.model.GptBatch;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Wall time of every op in DL4J training steps (or forward passes) of a ModelBench model (dropout
 * 0.1), by op and by op and output shape: where a step goes, which a CPU profile cannot say for
 * OpenMP worker threads. Native threads come from OMP_NUM_THREADS / OPENBLAS_NUM_THREADS as
 * ModelBench sets them; at 1 x 1 the times are trustworthy, with 2 threads the listener's work
 * between ops lets the OpenMP threads sleep and inflates them.
 *
 * <p>Usage: {@code bench/run OpTimes [--model small|wide|<preset>] [--batch 16] [--steps 10]
 * [--pass train|forward]}.
 */
public final class OpTimes {

  private OpTimes() {}

  public static void main(String[] args) {
    Map<String, String> o =
        new HashMap<>(Map.of("model", "small", "batch", "16", "steps", "10", "pass", "train"));
    ModelBench.putOptions("OpTimes", o, args);
    GptConfig c = ModelBench.model(o.get("model"));
    int batch = Integer.parseInt(o.get("batch")), steps = Integer.parseInt(o.get("steps"));
    ComputationGraph net = GptModel.create(c, 3e-4, 1);
    DataSet ds =
        GptBatch.fromSequences(Dl4jModelRun.randomSequences(c, batch), c.getContextLength());
    for (int i = 0; i < 3; i++) net.fit(ds); // graphs built, JIT warm
    Timer timer = new Timer();
    GptModel.addOpListeners(net, timer);
    boolean forward = o.get("pass").equals("forward");
    if (!forward && !o.get("pass").equals("train")) {
      throw new IllegalArgumentException("OpTimes: --pass is train or forward: " + o.get("pass"));
    }
    if (forward) net.outputSingle(ds.getFeatures()); // inference graph built
    long t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      if (forward) net.outputSingle(ds.getFeatures());
      else net.fit(ds);
    }
    double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
    timer.print(stepMs, steps);
  }

  /** Sums the wall time between each op's start and end, by op name and output shape. */
  private static final class Timer extends BaseListener {
    private final Map<String, long[]> byOpAndShape = new HashMap<>(); // nanos, calls
    private long start;

    @Override
    public boolean isActive(Operation operation) {
      return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
      start = System.nanoTime();
    }

    @Override
    public void opExecution(
        SameDiff sd,
        At at,
        MultiDataSet batch,
        SameDiffOp op,
        OpContext opContext,
        INDArray[] outputs) {
      long nanos = System.nanoTime() - start;
      String shape =
          outputs.length > 0 && outputs[0] != null ? Arrays.toString(outputs[0].shape()) : "-";
      long[] v = byOpAndShape.computeIfAbsent(op.getOp().opName() + " " + shape, k -> new long[2]);
      v[0] += nanos;
      v[1]++;
    }

    void print(double stepMs, int steps) {
      long total = byOpAndShape.values().stream().mapToLong(v -> v[0]).sum();
      System.out.printf(
          Locale.ROOT, "step %.1f ms, of which in ops %.1f ms%n", stepMs, total / 1e6 / steps);
      Map<String, Long> byOp = new HashMap<>();
      byOpAndShape.forEach((k, v) -> byOp.merge(k.substring(0, k.indexOf(' ')), v[0], Long::sum));
      System.out.println("by op:");
      byOp.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(25)
          .forEach(
              e ->
                  System.out.printf(
                      Locale.ROOT,
                      "  %-28s %7.1f ms %5.1f%%%n",
                      e.getKey(),
                      e.getValue() / 1e6 / steps,
                      100.0 * e.getValue() / total));
      System.out.println("by op and output shape (calls per step):");
      byOpAndShape.entrySet().stream()
          .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
          .limit(40)
          .forEach(
              e ->
                  System.out.printf(
                      Locale.ROOT,
                      "  %-50s %7.2f ms x%d%n",
                      e.getKey(),
                      e.getValue()[0] / 1e6 / steps,
                      e.getValue()[1] / steps));
    }
  }
}
