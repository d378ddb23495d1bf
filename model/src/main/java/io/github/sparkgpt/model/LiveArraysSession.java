package io.github.sparkgpt.model;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.FrameIter;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff session that frees each intermediate array once the graph has no further use for it.
 *
 * <p>Why: DL4J 1.0.0-M2's SameDiff layers give their sessions a workspace memory manager whose
 * release does nothing, so every intermediate of a forward or gradient pass lives until the step
 * ends, and the forward and gradient workspaces stay sized for all of them (15 GB resident for
 * {@code gpt1} at batch 1, against 4 GB with this session). It keeps SameDiff's own liveness
 * tracking, allocates outside any workspace, and ignores the manager DL4J sets before each call.
 */
final class LiveArraysSession extends InferenceSession {

  /** Released arrays kept for reuse, per thread: a step allocates the same shapes as the last. */
  private static final ThreadLocal<ReusePool> POOL = ThreadLocal.withInitial(ReusePool::new);

  /** The graph's op groups and ops that run as Java kernels. */
  private final GraphKernels kernels;

  private LiveArraysSession(SameDiff sd) {
    super(sd);
    super.setMmgr(POOL.get());
    kernels = GraphKernels.of(sd);
  }

  @Override
  public INDArray[] doExec(
      DifferentialFunction op,
      OpContext context,
      FrameIter frameIter,
      Set<VarId> opInputs,
      Set<VarId> allIterInputs,
      Set<String> constAndPhInputs) {
    INDArray[] out = kernels.exec(op, context, getMmgr());
    return out != null
        ? out
        : super.doExec(op, context, frameIter, opInputs, allIterInputs, constAndPhInputs);
  }

  /** How many {@link GraphKernels} this session ran. */
  long kernelRuns() {
    return kernels.runs();
  }

  /** DL4J calls this before every execution with its workspace manager: keep ours. */
  @Override
  public void setMmgr(SessionMemMgr ignored) {}

  /**
   * Bytes of the arrays the calling thread's sessions allocated and still hold open: after a pass,
   * what it keeps beyond its results.
   */
  static long heldBytes() {
    return POOL.get().heldBytes();
  }

  /** Bytes the calling thread's sessions have allocated (or reused) so far. */
  static long allocatedBytes() {
    return POOL.get().allocatedBytes;
  }

  /** Makes the calling thread's session of {@code sd} (if not null) one of these. */
  static void install(SameDiff sd) {
    if (sd == null) return;
    sd.getSessions()
        .compute(
            Thread.currentThread().getId(),
            (id, s) -> s instanceof LiveArraysSession ? s : new LiveArraysSession(sd));
  }

  /**
   * Detached arrays; a released one is kept for an allocation of the same type and length while the
   * pool holds under a quarter of JavaCPP's off-heap limit, else freed. (Freeing everything cost
   * 13% of training speed on the small model in page faults. ND4J's ArrayCloseMemoryMgr allocates
   * in whatever workspace is open, and DL4J opens one around every layer call.)
   */
  private static final class ReusePool extends AbstractMemoryMgr {
    private final long maxPooledBytes = Pointer.maxBytes() / 4;
    private final Map<Size, ArrayDeque<INDArray>> free = new HashMap<>();
    private long pooledBytes;

    /**
     * Arrays allocated here and not released yet, by id; weakly, as results go to callers who never
     * release them.
     */
    private final Map<Long, WeakReference<INDArray>> handedOut = new HashMap<>();

    private int pruneAt = 1024;

    private long allocatedBytes;

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
      return allocate(dataType, 'c', shape);
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
      if (descriptor.isEmpty()) return Nd4j.create(descriptor).detach();
      return allocate(descriptor.dataType(), descriptor.getOrder(), descriptor.getShape());
    }

    private INDArray allocate(DataType dataType, char order, long[] shape) {
      long length = shape.length == 0 ? 1 : ArrayUtil.prodLong(shape);
      ArrayDeque<INDArray> same = free.get(new Size(dataType, length));
      if (same != null && !same.isEmpty()) {
        INDArray kept = same.pop();
        pooledBytes -= length * dataType.width();
        return handOut(Nd4j.create(kept.data(), shape, Nd4j.getStrides(shape, order), 0, order));
      }
      return handOut(Nd4j.createUninitializedDetached(dataType, order, shape));
    }

    private INDArray handOut(INDArray array) {
      allocatedBytes += bytes(array);
      if (handedOut.size() >= pruneAt) { // forget arrays their users closed or dropped
        handedOut.values().removeIf(r -> r.get() == null || r.get().wasClosed());
        pruneAt = 2 * handedOut.size() + 1024;
      }
      handedOut.put(array.getId(), new WeakReference<>(array));
      return array;
    }

    long heldBytes() {
      long bytes = 0;
      for (WeakReference<INDArray> r : handedOut.values()) {
        INDArray a = r.get();
        if (a != null && !a.wasClosed()) bytes += bytes(a);
      }
      return bytes;
    }

    @Override
    public void release(INDArray array) {
      if (handedOut.remove(array.getId()) == null || array.wasClosed() || !array.closeable())
        return;
      long bytes = bytes(array);
      if (pooledBytes + bytes > maxPooledBytes || array.dataType() == DataType.UTF8) {
        array.close();
        return;
      }
      free.computeIfAbsent(
              new Size(array.dataType(), array.data().length()), k -> new ArrayDeque<>())
          .push(array);
      pooledBytes += bytes;
    }

    /** What a released array can be reused for: an allocation of this type and length. */
    private record Size(DataType type, long length) {}

    private static long bytes(INDArray array) {
      return array.data().length() * array.dataType().width();
    }

    @Override
    public void close() {}
  }
}
