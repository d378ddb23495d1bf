package io.github.sparkgpt.bench;

import io.github.sparkgpt.model.Generator;
import io.github.sparkgpt.model.GptBatch;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.Inference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One DL4J measurement in this process, as ModelBench's child ({@code ModelBench --one MODEL BATCH
 * STEPS [--generate] [--profile PREFIX SECONDS]}): training and forward tokens/s on one random
 * batch, and the best 1024^3 matmul. Prints "NOTE ..." lines for the parent and "RESULT train
 * forward matmulGflops". With --profile, profiles SECONDS of training first (TrainingProfile).
 */
final class Dl4jModelRun {
  private Dl4jModelRun() {}

  static void run(GptConfig c, int batch, int steps, List<String> flags) throws IOException {
    // OpenMP and OpenBLAS read these at start; set them through ND4J as well so the numbers it
    // reports below are the ones in force.
    Nd4j.getEnvironment().setMaxThreads(envInt("OMP_NUM_THREADS"));
    Nd4j.factory().blas().setMaxThreads(envInt("OPENBLAS_NUM_THREADS"));
    System.out.printf(
        "NOTE nd4j omp threads=%d blas threads=%d blas=%s OPENBLAS_CORETYPE=%s%n",
        Nd4j.getEnvironment().maxThreads(),
        Nd4j.factory().blas().getMaxThreads(),
        Nd4j.factory().blas().getBlasVendor(),
        System.getenv().getOrDefault("OPENBLAS_CORETYPE", ThreadSweep.UNSET));
    int t = c.getContextLength();
    ComputationGraph net = GptModel.create(c, 3e-4, 1);
    int[][] seqs = randomSequences(c, batch);
    DataSet ds = GptBatch.fromSequences(seqs, t);

    int p = flags.indexOf("--profile");
    warmUp("training", () -> net.fit(ds));
    if (p >= 0) {
      TrainingProfile.run(net, ds, Double.parseDouble(flags.get(p + 2)), Path.of(flags.get(p + 1)));
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) net.fit(ds);
    double trainTps = (double) steps * batch * t / ((System.nanoTime() - t0) / 1e9);

    // each output released as a user's loop would (Inference.release); PyTorch frees its own by
    // reference counting
    warmUp("forward", () -> Inference.release(net.outputSingle(ds.getFeatures())));
    t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) Inference.release(net.outputSingle(ds.getFeatures()));
    double fwdTps = (double) steps * batch * t / ((System.nanoTime() - t0) / 1e9);
    System.out.printf("NOTE loss %.3f%n", net.score(ds));
    if (flags.contains("--generate")) generation(net, seqs[0]);
    System.out.printf("RESULT %f %f %f%n", trainTps, fwdTps, matmulGflops());
  }

  /**
   * Runs {@code run} for at least {@link ModelBench#WARMUP_STEPS} times and {@link
   * ModelBench#WARMUP_SECONDS}, printing the rate of every 4 runs: a step keeps getting faster for
   * ~30 steps while the JIT compiles SameDiff's per-op Java code, longer when its compiler threads
   * share the cores with 2 native threads (small, 2x2: 2,140 tok/s in steps 1-4, 6,200-6,600 from
   * step 28 on).
   */
  private static void warmUp(String what, Runnable run) {
    StringBuilder rates = new StringBuilder();
    long start = System.nanoTime(), window = start;
    int n = 0;
    while (n < ModelBench.WARMUP_STEPS
        || System.nanoTime() - start < ModelBench.WARMUP_SECONDS * 1_000_000_000L) {
      run.run();
      if (++n % 4 == 0) {
        rates.append(String.format(" %.2f", 4 / ((System.nanoTime() - window) / 1e9)));
        window = System.nanoTime();
      }
    }
    System.out.printf("NOTE DL4J %s warm-up: %d runs, runs/s by 4:%s%n", what, n, rates);
  }

  /** {@code batch} sequences of T + 1 uniformly random token ids, the same for a given config. */
  static int[][] randomSequences(GptConfig c, int batch) {
    Random r = new Random(1);
    int[][] seqs = new int[batch][c.getContextLength() + 1];
    for (int[] s : seqs) for (int i = 0; i < s.length; i++) s[i] = r.nextInt(c.getVocabSize());
    return seqs;
  }

  /** Generation without KV cache: every token re-runs the prefix (prompt 16 tokens, 48 new). */
  private static void generation(ComputationGraph net, int[] sequence) {
    Generator gen = new Generator(new Inference(net)).setMaxNewTokens(4).setTopK(50).setSeed(1);
    gen.generate(Arrays.copyOf(sequence, 16));
    long t0 = System.nanoTime();
    int made = gen.setMaxNewTokens(48).generate(Arrays.copyOf(sequence, 16)).length - 16;
    System.out.printf(
        "NOTE DL4J generate %,.1f tok/s (batch 1, no KV cache, prompt 16 -> 64 tokens)%n",
        made / ((System.nanoTime() - t0) / 1e9));
  }

  /**
   * The best of a few 1024^3 float32 matmuls: what BLAS reaches with these thread settings. Into
   * one preallocated result, as PyTorch's caching allocator gives its matmul: {@code a.mmul(b)}
   * allocates 4 MB per call, and its page faults made BLAS look 40% slower than it is.
   */
  static double matmulGflops() {
    INDArray a = Nd4j.rand(DataType.FLOAT, 1024, 1024);
    INDArray b = Nd4j.rand(DataType.FLOAT, 1024, 1024);
    INDArray c = Nd4j.create(DataType.FLOAT, 1024, 1024);
    double best = 0;
    for (int i = 0; i < 8; i++) {
      long t0 = System.nanoTime();
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
      best = Math.max(best, 2.0 * 1024 * 1024 * 1024 / (System.nanoTime() - t0));
    }
    return best;
  }

  private static int envInt(String name) {
    String v = System.getenv(name);
    return v == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(v);
  }
}
