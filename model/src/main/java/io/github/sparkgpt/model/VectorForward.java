package io.github.sparkgpt.model;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The language model's inference pass (token ids [B, T] to logits [B, T, V], no dropout) without
 * SameDiff: {@link GptGraph}'s math with ND4J's BLAS for every product and {@link VectorKernels}
 * for the rest, into scratch arrays kept between calls. SameDiff's eval graph spent a third of a
 * pass in ND4J's scalar element-wise ops and a sixth in its own per-op bookkeeping (README, The
 * model). Used for float32 language models when the JVM runs with {@code --add-modules
 * jdk.incubator.vector} (the project's launchers pass it); otherwise the layer runs its eval graph.
 * One caller at a time (synchronized); the result is a new array.
 *
 * <p>The batch is split into lanes, one per ND4J thread up to one per sequence, each a slice of
 * whole sequences on a thread of its own with an equal share of those threads for its BLAS calls,
 * when BLAS is an OpenMP build sharing ND4J's OpenMP runtime ({@code
 * -Dio.github.sparkgpt.blas=openmp}, which deploy/blas sets): there a thread's BLAS calls follow
 * its own OpenMP thread count, so the lanes use the cores without oversubscribing them. One lane
 * otherwise, on the calling thread: its Java kernels then use one core while BLAS uses all; the
 * kernels spread over a fork-join pool were slower still (20-22k against 26.7k tokens/s, {@code
 * small} on 2 cores), their threads competing with ND4J's OpenMP threads, which keep spinning
 * between ops.
 */
final class VectorForward {

  /**
   * Whether the Vector API is in this JVM, and not turned off with -Dsparkgpt.vectorForward=false.
   */
  static final boolean AVAILABLE =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
          && !"false".equals(System.getProperty("sparkgpt.vectorForward"));

  /**
   * Whether BLAS runs as many threads as the calling thread's OpenMP thread count, which
   * deploy/blas declares for the OpenMP build it chooses. With ND4J's bundled pthreads OpenBLAS
   * every caller gets all of BLAS's threads, and two lanes would run four threads on two cores.
   */
  static final boolean PER_THREAD_BLAS =
      "openmp".equals(System.getProperty("io.github.sparkgpt.blas"));

  /** The lanes' threads; each sets its own OpenMP thread count, which its BLAS calls follow. */
  private static final ExecutorService LANE_THREADS =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "sparkgpt-forward-lane");
            thread.setDaemon(true);
            return thread;
          });

  private final GptConfig c;
  private final int d, heads, headSize, ffn, vocab;
  private final List<Lane> lanes = new ArrayList<>();
  private int threadCount; // 0: ND4J's thread count when PER_THREAD_BLAS, else 1

  VectorForward(GptConfig c) {
    this.c = c;
    d = c.getDModel();
    heads = c.getHeads();
    headSize = c.headSize();
    ffn = c.getFfnSize();
    vocab = c.getVocabSize();
  }

  /** Sets the number of threads to split a batch over (tests; 0 restores the default). */
  synchronized VectorForward threads(int count) {
    threadCount = count;
    return this;
  }

  /** Logits [B, T, V] for token ids [B, T] (any numeric type) with the parameters w (float32). */
  synchronized INDArray logits(INDArray ids, Map<String, INDArray> w) {
    int b = (int) ids.size(0), t = (int) ids.size(1);
    if (t > c.getContextLength()) {
      throw new IllegalArgumentException(
          "sequence of " + t + " tokens is longer than the context " + c.getContextLength());
    }
    int[] tokens = ids.castTo(DataType.INT32).dup('c').data().asInt();
    for (int tok : tokens) {
      if (tok < 0 || tok >= vocab) {
        throw new IllegalArgumentException("token id " + tok + " outside [0, " + vocab + ")");
      }
    }
    INDArray out = logitsArray(b, t); // [B, T, V]
    INDArray rows = out.reshape('c', (long) b * t, vocab); // [B*T, V], a view
    int threads = threadCount > 0 ? threadCount : PER_THREAD_BLAS ? ndThreads() : 1;
    int k = Math.max(1, Math.min(b, threads)), blasThreads = Math.max(1, threads / k);
    while (lanes.size() < k) lanes.add(new Lane());
    if (k == 1) {
      lanes.get(0).logits(tokens, 0, b, t, w, rows);
      return out;
    }
    List<Future<?>> running = new ArrayList<>(k);
    for (int i = 0; i < k; i++) { // sequences [b i / k, b (i + 1) / k)
      Lane lane = lanes.get(i);
      int from = b * i / k, to = b * (i + 1) / k;
      running.add(
          LANE_THREADS.submit(
              () -> {
                NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(blasThreads);
                lane.logits(tokens, from, to, t, w, rows);
              }));
    }
    awaitAll(running);
    return out;
  }

  /**
   * Waits for every lane, even when one fails or this thread is interrupted: the next call reuses
   * their scratch arrays. Then rethrows the first failure.
   */
  private static void awaitAll(List<Future<?>> running) {
    Throwable failure = null;
    boolean interrupted = false;
    for (Future<?> f : running) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (failure == null) failure = e.getCause();
          break;
        }
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    if (failure instanceof RuntimeException r) throw r;
    if (failure instanceof Error e) throw e;
    if (failure != null) throw new IllegalStateException("an inference lane failed", failure);
  }

  /** ND4J's thread count: a worker's share of the cores (deploy/submit sets OMP_NUM_THREADS). */
  private static int ndThreads() {
    return Math.max(1, Nd4j.getEnvironment().maxThreads());
  }

  /**
   * A new [B, T, V] array on memory that ND4J does not zero first: its own allocation wrote the 32
   * MB of {@code small}'s logits at batch 16 on one thread before the product overwrote them (22.5
   * ms for both against 16 ms). It is an array of its own, not a view, so that {@link
   * Inference#release} can free it at once: off-heap memory otherwise waits for a garbage
   * collection, which a pass's few heap objects rarely cause (400 passes without it slowed from ~70
   * to 200-800 ms each as memory filled up).
   */
  private INDArray logitsArray(int b, int t) {
    long size = (long) b * t * vocab;
    LogitsMemory memory = new LogitsMemory(size);
    return Nd4j.create(
        Nd4j.createBuffer(memory, DataType.FLOAT, size, FloatIndexer.create(memory)),
        new long[] {b, t, vocab},
        new long[] {(long) t * vocab, vocab, 1},
        0,
        'c');
  }

  /** The memory of logits this class made: {@link Inference#release} frees it. */
  static final class LogitsMemory extends FloatPointer {
    LogitsMemory(long size) {
      super(size);
    }
  }

  /**
   * The scratch arrays and the pass of one slice of a batch; a lane runs on one thread at a time.
   */
  private final class Lane {
    // scratch for the last (B, T) of this lane, c order: x is the residual stream
    private int batch = -1, length = -1;
    private INDArray x, normed, qkv, parts, scores, attended, merged, projected, hidden;

    /** Logits rows [from T, to T) of rows [B*T, V] for sequences [from, to) of tokens [B*T]. */
    void logits(int[] tokens, int from, int to, int t, Map<String, INDArray> w, INDArray rows) {
      int b = to - from, n = b * t;
      try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        scratch(b, t);
        embed(Arrays.copyOfRange(tokens, from * t, to * t), b, t, w);
        for (int l = 0; l < c.getLayers(); l++) block(l, b, t, w);
        INDArray last = x;
        if (c.isPreLayerNorm()) {
          norm(x, normed, n, row(w, GptGraph.LNF_G), row(w, GptGraph.LNF_B));
          last = normed;
        }
        INDArray head = w.get(c.isTiedEmbeddings() ? GptGraph.WTE : GptGraph.LM_HEAD); // [V, d]
        INDArray out =
            rows.get(
                NDArrayIndex.interval((long) from * t, (long) to * t),
                NDArrayIndex.all()); // [n, V]
        Nd4j.gemm(last, head, out, false, true, 1.0, 0.0);
      }
    }

    /** x [B*T, d] = wte[token] + wpe[position]. */
    private void embed(int[] tokens, int b, int t, Map<String, INDArray> w) {
      Nd4j.pullRows(w.get(GptGraph.WTE), x, 1, tokens);
      INDArray positions =
          w.get(GptGraph.WPE)
              .get(NDArrayIndex.interval(0, t), NDArrayIndex.all())
              .reshape(1, (long) t * d);
      x.reshape('c', b, (long) t * d).addiRowVector(positions);
    }

    /** One transformer block on the residual stream x, pre-LN (GPT-2) or post-LN (GPT-1). */
    private void block(int l, int b, int t, Map<String, INDArray> w) {
      int n = b * t;
      float[] ln1G = row(w, GptGraph.p(l, "ln1G")), ln1B = row(w, GptGraph.p(l, "ln1B"));
      float[] ln2G = row(w, GptGraph.p(l, "ln2G")), ln2B = row(w, GptGraph.p(l, "ln2B"));
      if (c.isPreLayerNorm()) {
        norm(x, normed, n, ln1G, ln1B);
        attention(l, normed, b, t, w); // x += attention
        norm(x, normed, n, ln2G, ln2B);
        mlp(l, normed, n, w); // x += mlp
        return;
      }
      attention(l, x, b, t, w);
      norm(x, x, n, ln1G, ln1B);
      mlp(l, x, n, w);
      norm(x, x, n, ln2G, ln2B);
    }

    /** x += proj(causal attention(in)) for in [B*T, d]; in may be x itself (post-LN). */
    private void attention(int l, INDArray in, int b, int t, Map<String, INDArray> w) {
      Nd4j.gemm(in, w.get(GptGraph.p(l, "attnW")), qkv, false, false, 1.0, 0.0); // [B*T, 3d]
      float[] attnB = row(w, GptGraph.p(l, "attnB"));
      VectorKernels.splitHeads(buf(qkv), attnB, buf(parts), b, t, heads, headSize);
      long part = (long) b * t * d; // q, k, v: parts [0, part), [part, 2 part), [2 part, 3 part)
      headProducts(part, b * heads, t, true); // scores [B, H, T, T] = q k^T, causal rows only
      float scale = (float) (1 / Math.sqrt(headSize));
      VectorKernels.causalSoftmax(buf(scores), b * heads * t, t, scale);
      headProducts(part, b * heads, t, false); // attended [B, H, T, D] = scores v
      VectorKernels.mergeHeads(buf(attended), buf(merged), b, t, heads, headSize); // [B*T, d]
      Nd4j.gemm(merged, w.get(GptGraph.p(l, "projW")), projected, false, false, 1.0, 0.0);
      residual(b * t, row(w, GptGraph.p(l, "projB")));
    }

    /**
     * Per (batch, head) pair: scores = q k^T [T, T], or attended = scores v [T, D], as two row
     * blocks so that queries in the first half skip the keys of the second (a quarter less work;
     * causalSoftmax masks what is left unwritten there). ND4J's batched matmul ran these at about
     * half of BLAS's speed and got slower on 2 threads than on 1; cblas_sgemm on offsets into the
     * scratch buffers, the call ND4J's own gemm makes, took 35-39 ms against 55-64 for the six
     * layers of {@code wide} at batch 16 (README, The model).
     */
    private void headProducts(long part, int pairs, int t, boolean scoring) {
      // a pointer per operand: the call reads each one's position
      FloatPointer q = pointer(parts), k = pointer(parts), v = pointer(parts);
      FloatPointer s = pointer(scores), out = pointer(attended);
      int half = t / 2, dh = headSize;
      for (int i = 0; i < pairs; i++) {
        long head = (long) i * t * dh, pairScores = (long) i * t * t;
        for (int block = 0; block < 2; block++) {
          int from = block == 0 ? 0 : half, rows = block == 0 ? half : t - half, keys = from + rows;
          if (rows == 0) continue;
          s.position(pairScores + (long) from * t);
          if (scoring) { // q rows [rows, D] x k [keys, D]^T -> scores [rows, keys]
            q.position(head + (long) from * dh);
            k.position(part + head);
            sgemm(true, rows, keys, dh, q, dh, k, dh, s, t);
          } else { // scores [rows, keys] x v [keys, D] -> attended rows [rows, D]
            v.position(2 * part + head);
            out.position(head + (long) from * dh);
            sgemm(false, rows, dh, keys, s, t, v, dh, out, dh);
          }
        }
      }
    }

    /** x += out(gelu(fc(in))) for in [B*T, d]; in may be x itself (post-LN). */
    private void mlp(int l, INDArray in, int n, Map<String, INDArray> w) {
      Nd4j.gemm(in, w.get(GptGraph.p(l, "fcW")), hidden, false, false, 1.0, 0.0); // [B*T, f]
      VectorKernels.biasGelu(buf(hidden), n, ffn, row(w, GptGraph.p(l, "fcB")));
      Nd4j.gemm(
          hidden, w.get(GptGraph.p(l, "outW")), projected, false, false, 1.0, 0.0); // [B*T, d]
      residual(n, row(w, GptGraph.p(l, "outB")));
    }

    /** Layer norm of the rows of in [n, d] into out (may be in). */
    private void norm(INDArray in, INDArray out, int n, float[] g, float[] b) {
      VectorKernels.layerNorm(buf(in), buf(out), n, d, g, b);
    }

    /** x += projected + bias, the residual connection. */
    private void residual(int n, float[] bias) {
      VectorKernels.addBiasResidual(buf(x), buf(projected), n, d, bias);
    }

    /**
     * (Re)allocates the scratch arrays for a new batch shape. They stay allocated with the layer:
     * 34 MB for {@code small} at batch 16.
     */
    private void scratch(int b, int t) {
      if (b == batch && t == length) return;
      // the old ones freed now, not at a garbage collection: few-shot batches change shape often
      for (INDArray a :
          new INDArray[] {x, normed, qkv, parts, scores, attended, merged, projected, hidden}) {
        if (a != null) a.close();
      }
      long n = (long) b * t;
      x = create(n, d);
      normed = create(n, d);
      qkv = create(n, 3L * d);
      parts = create(3 * n * d);
      scores = create(b, heads, t, t);
      attended = create(b, heads, t, headSize);
      merged = create(n, d);
      projected = create(n, d);
      hidden = create(n, ffn);
      batch = b;
      length = t;
    }
  }

  /** Row-major c [m, n] = a [m, k] b [k, n] (b given as [n, k] when transB). */
  private static void sgemm(
      boolean transB,
      int m,
      int n,
      int k,
      FloatPointer a,
      int lda,
      FloatPointer b,
      int ldb,
      FloatPointer c,
      int ldc) {
    int noTrans = openblas_nolapack.CblasNoTrans,
        bTrans = transB ? openblas_nolapack.CblasTrans : noTrans;
    openblas_nolapack.cblas_sgemm(
        openblas_nolapack.CblasRowMajor, noTrans, bTrans, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);
  }

  /** A pointer of its own (its position is moved) to a scratch array's floats. */
  private static FloatPointer pointer(INDArray a) {
    return new FloatPointer(a.data().addressPointer());
  }

  private static INDArray create(long... shape) {
    return Nd4j.createUninitialized(DataType.FLOAT, shape);
  }

  /** The buffer of one of the scratch arrays (never views: offset 0, c order). */
  private static ByteBuffer buf(INDArray a) {
    return a.data().asNio();
  }

  /** A gain or bias parameter [1, n] as floats. */
  private static float[] row(Map<String, INDArray> w, String name) {
    return w.get(name).toFloatVector();
  }
}
