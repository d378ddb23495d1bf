package io.github.sparkgpt.model;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseReduceOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Runs parts of a training graph as one Java kernel ({@link VectorKernels}) instead of one ND4J op
 * at a time, inside {@link LiveArraysSession}.
 *
 * <p>Why: ND4J 1.0.0-M2 makes one pass over memory per op, calls the C library's scalar expf, and
 * lets no op be defined outside its native library. GELU alone was 6 ops forward and 7 backward
 * over [B*T, 4d], ~11% of a training step of {@code small}; SameDiff's bookkeeping costs ~0.25 ms
 * per op besides.
 *
 * <p>A group is a chain of graph ops that computes one function of a few inputs: its ops but the
 * last have outputs named {@code <kind><n>_part<k>}, and the last, its result, is the one op
 * outside them that reads them (named {@code <kind><n>} when built; SameDiff renames a gradient
 * that passes unchanged through an op). The graph stays the definition: a session without kernels
 * (or an input they do not take) runs every op and gets the same numbers (to float rounding; {@code
 * GraphKernelsTest}). The group's first op (part 0) takes all its inputs, and every other op
 * follows from it, so none runs before it. When it runs, the kernel computes the result; the other
 * parts are skipped (their outputs stay unwritten, which is safe because only the group reads
 * them); the last op hands the result on. These rules are checked when the session is made. A
 * softmax over the last axis is a single op and runs in Java whenever its arrays allow.
 */
final class GraphKernels {

  /**
   * Whether the Vector API is in this JVM and not turned off with -Dsparkgpt.graphKernels=false.
   */
  static final boolean AVAILABLE =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
          && !"false".equals(System.getProperty("sparkgpt.graphKernels"));

  private static final String PART = "_part";

  /** What a group computes, by the name prefix of its result. */
  private enum Kind {
    GELU(GradientFunction.GELU),
    GELU_SLOPE(GradientFunction.GELU_SLOPE),
    SOFTMAX_GRADIENT(GradientFunction.SOFTMAX_GRADIENT),
    INVERSE_STD(GradientFunction.INVERSE_STD),
    NORMALIZED(GradientFunction.NORMALIZED),
    NORMALIZED_GRADIENT(GradientFunction.NORMALIZED_GRADIENT);

    final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }

    /** The kind of the group a part belongs to, null for any other name. */
    static Kind ofPart(String name) {
      int at = name.lastIndexOf(PART);
      if (at <= 0 || !digits(name, at + PART.length())) return null;
      for (Kind k : values()) {
        if (name.startsWith(k.prefix) && digits(name.substring(0, at), k.prefix.length())) return k;
      }
      return null;
    }
  }

  /** Names the part outputs of a group as it is built: {@code next()} is the next part's name. */
  static final class Parts {
    private final String result;
    private int k;

    Parts(String result) {
      this.result = result;
    }

    String next() {
      return result + PART + k++;
    }
  }

  /**
   * A group found in a graph: its kind, the name of its result, its first part, its inputs (in that
   * op's order) and the axes of each reduction in it.
   */
  private record Group(
      Kind kind, String result, String first, List<String> inputs, List<int[]> reductions) {}

  private final Map<String, Group> byResult = new HashMap<>();
  private final Map<String, Group> byPart = new HashMap<>();

  // per execution: results computed at a group's first op, groups running natively
  private final Map<String, INDArray> computed = new HashMap<>();
  private final Set<String> runNatively = new HashSet<>();
  private long runs;

  private GraphKernels() {}

  /** The groups of sd, checked; none when the Vector API is not available. */
  static GraphKernels of(SameDiff sd) {
    GraphKernels k = new GraphKernels();
    if (!AVAILABLE) return k;
    Map<String, List<SameDiffOp>> parts = new LinkedHashMap<>();
    for (SameDiffOp op : sd.getOps().values()) {
      List<String> outs = op.getOutputsOfOp();
      if (outs == null || outs.size() != 1 || Kind.ofPart(outs.get(0)) == null) continue;
      String out = outs.get(0);
      parts
          .computeIfAbsent(out.substring(0, out.lastIndexOf(PART)), n -> new ArrayList<>())
          .add(op);
    }
    for (Map.Entry<String, List<SameDiffOp>> e : parts.entrySet()) {
      Group g = group(sd, e.getKey(), e.getValue());
      k.byResult.put(g.result, g);
      for (SameDiffOp op : e.getValue()) k.byPart.put(op.getOutputsOfOp().get(0), g);
    }
    return k;
  }

  private static Group group(SameDiff sd, String name, List<SameDiffOp> parts) {
    Set<String> made = new HashSet<>(), members = new HashSet<>();
    SameDiffOp first = null;
    for (SameDiffOp op : parts) {
      made.add(op.getOutputsOfOp().get(0));
      members.add(op.getName());
      if (op.getOutputsOfOp().get(0).equals(name + PART + 0)) first = op;
    }
    if (first == null) throw new IllegalStateException("kernel group " + name + ": no part 0");
    Set<String> readers = new LinkedHashSet<>(); // ops outside the parts that read them
    List<String> reads = new ArrayList<>(); // "part by op", for the message
    for (SameDiffOp op : parts) {
      String out = op.getOutputsOfOp().get(0);
      List<String> consumers = sd.getVariables().get(out).getInputsForOp();
      for (String consumer : consumers == null ? List.<String>of() : consumers) {
        if (members.contains(consumer)) continue;
        readers.add(consumer);
        reads.add(out + " by " + consumer);
      }
    }
    if (readers.size() > 1) {
      throw new IllegalStateException(
          "kernel group " + name + ": its parts are read by more than its result: " + reads);
    }
    SameDiffOp last = readers.isEmpty() ? null : sd.getOps().get(readers.iterator().next());
    if (last == null || last.getOutputsOfOp().size() != 1) {
      throw new IllegalStateException("kernel group " + name + ": no single-output result");
    }
    members.add(last.getName());
    List<String> inputs = List.copyOf(new LinkedHashSet<>(first.getInputsToOp()));
    Set<String> follows = new HashSet<>(first.getOutputsOfOp());
    List<int[]> reductions = new ArrayList<>();
    for (SameDiffOp op : sd.getOps().values()) { // creation order, a topological one
      if (!members.contains(op.getName())) continue;
      if (op.getOp() instanceof BaseReduceOp reduce) reductions.add(reduce.getDimensions());
      if (op == first) continue;
      boolean afterFirst = false;
      for (String in : op.getInputsToOp()) {
        if (!made.contains(in) && !inputs.contains(in)) {
          throw new IllegalStateException(
              "kernel group " + name + ": " + in + " is an input its first op does not take");
        }
        afterFirst |= follows.contains(in);
      }
      if (!afterFirst) {
        throw new IllegalStateException(
            "kernel group " + name + ": " + op.getOutputsOfOp() + " does not follow its part 0");
      }
      follows.addAll(op.getOutputsOfOp());
    }
    return new Group(
        Kind.ofPart(first.getOutputsOfOp().get(0)),
        last.getOutputsOfOp().get(0),
        first.getOutputsOfOp().get(0),
        inputs,
        reductions);
  }

  /**
   * The outputs of op when a kernel ran for it or it is a skipped part; null when the session runs
   * it natively.
   */
  INDArray[] exec(DifferentialFunction op, OpContext context, SessionMemMgr memory) {
    String[] outs = op.outputVariablesNames();
    if (outs.length != 1) return null;
    String out = outs[0];
    Group g = byResult.get(out);
    if (g != null) {
      INDArray result = computed.remove(out);
      if (result == null) {
        runNatively.remove(g.result);
        return null;
      }
      memory.release(context.getOutputArray(0));
      return new INDArray[] {result};
    }
    g = byPart.get(out);
    if (g != null) {
      if (out.equals(g.first) && !compute(g, context, memory)) runNatively.add(g.result);
      if (runNatively.contains(g.result)) return null;
      return context.getOutputArrays().toArray(new INDArray[0]);
    }
    if (op instanceof SoftMax softmax && AVAILABLE) {
      INDArray x = context.getInputArray(0), y = context.getOutputArray(0);
      int axis = softmax.getIArgument(0).intValue();
      if (!takes(x) || !takes(y) || !lastAxis(new int[] {axis}, x.rank())) return null;
      int width = (int) x.size(-1);
      VectorKernels.softmax(buf(x), buf(y), (int) (x.length() / width), width);
      runs++;
      return new INDArray[] {y};
    }
    return null;
  }

  /** How many kernels ran so far (a group counts once). */
  long runs() {
    return runs;
  }

  /**
   * Runs g's kernel on its first op's inputs; false when an input is not one it takes. x [..., d]
   * is the first input; the others are of its shape, except a normalisation's scale r [..., 1].
   */
  private boolean compute(Group g, OpContext context, SessionMemMgr memory) {
    INDArray[] x = new INDArray[g.inputs.size()];
    for (int i = 0, j = 0; j < x.length; i++) { // the first op's inputs without repeats
      INDArray a = context.getInputArray(i);
      boolean seen = false;
      for (int m = 0; m < j; m++) seen |= x[m] == a;
      if (!seen) x[j++] = a;
    }
    if (!takes(x[0])) return false;
    int n = (int) x[0].length(), width = (int) x[0].size(-1), rows = n / width;
    for (int i = 1; i < x.length; i++) { // only a normalisation's scale r is one per row
      boolean perRow = x[i].rank() == x[0].rank() && x[i].size(-1) == 1 && x[i].length() == rows;
      boolean fits = g.kind == Kind.NORMALIZED ? perRow : x[i].equalShapes(x[0]);
      if (!takes(x[i]) || !fits) return false;
    }
    for (int[] axes : g.reductions) {
      if (!lastAxis(axes, x[0].rank())) return false;
    }
    long[] shape = x[0].shape().clone(); // shape() is the array's own
    if (g.kind == Kind.INVERSE_STD) shape[shape.length - 1] = 1;
    INDArray y = memory.allocate(false, DataType.FLOAT, shape);
    switch (g.kind) {
      case GELU -> VectorKernels.gelu(buf(x[0]), buf(y), n);
      case GELU_SLOPE -> VectorKernels.geluSlope(buf(x[0]), buf(y), n);
      case SOFTMAX_GRADIENT ->
          VectorKernels.softmaxGradient(buf(x[0]), buf(x[1]), buf(y), rows, width);
      case INVERSE_STD -> VectorKernels.inverseStd(buf(x[0]), buf(y), rows, width);
      case NORMALIZED -> VectorKernels.normalize(buf(x[0]), buf(x[1]), buf(y), rows, width);
      case NORMALIZED_GRADIENT ->
          VectorKernels.normalizeGradient(buf(x[0]), buf(x[1]), buf(y), rows, width);
    }
    computed.put(g.result, y);
    runs++;
    return true;
  }

  /** Whether a kernel can read or write a: float32, dense c order from its buffer's start. */
  private static boolean takes(INDArray a) {
    return a != null
        && a.dataType() == DataType.FLOAT
        && a.rank() >= 1
        && a.ordering() == 'c'
        && a.offset() == 0
        && Shape.hasDefaultStridesForShape(a)
        && a.length() <= Integer.MAX_VALUE / 4;
  }

  private static boolean lastAxis(int[] axes, int rank) {
    return axes != null && axes.length == 1 && (axes[0] == -1 || axes[0] == rank - 1);
  }

  private static ByteBuffer buf(INDArray a) {
    return a.data().asNio();
  }

  private static boolean digits(String s, int from) {
    if (from >= s.length()) return false;
    for (int i = from; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
    return true;
  }
}
