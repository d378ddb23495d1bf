package io.github.sparkgpt.model;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Runs parts of a training graph as one Java kernel ({@link VectorKernels}) instead of one ND4J op
 * at a time, inside {@link LiveArraysSession}.
 *
 * <p>Why: ND4J 1.0.0-M2 makes one pass over memory per op, calls the C library's scalar expf, and
 * lets no op be defined outside its native library. GELU alone was 6 ops forward and 7 backward
 * over [B*T, 4d], ~11% of a training step of {@code small}.
 *
 * <p>A group is a chain of graph ops that computes one function of a few inputs: its result is the
 * output named {@code <kind><n>}, its other ops' outputs {@code <kind><n>_part<k>}. The graph stays
 * the definition: a session without kernels (or an input they do not take) runs every op and gets
 * the same numbers (to float rounding; {@code GraphKernelsTest}). When the group's first op runs,
 * the kernel computes the result from the group's inputs, which that op must take all of; the other
 * parts are skipped (their outputs stay unwritten, which is safe because only the group reads them,
 * checked when the session is made); the last op hands the result on. A softmax over the last axis
 * is a single op and runs in Java whenever its arrays allow.
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
    SOFTMAX_GRADIENT(GradientFunction.SOFTMAX_GRADIENT);

    final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }

    static Kind of(String result) {
      for (Kind k : values()) {
        if (result.startsWith(k.prefix) && digits(result, k.prefix.length())) return k;
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

  /** A group found in a graph: its kind, result name and inputs (in its first op's order). */
  private record Group(Kind kind, String result, String first, List<String> inputs, int[] axes) {}

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
    Map<String, List<SameDiffOp>> parts = new HashMap<>();
    Map<String, SameDiffOp> results = new HashMap<>();
    for (SameDiffOp op : sd.getOps().values()) {
      List<String> outs = op.getOutputsOfOp();
      if (outs == null || outs.size() != 1) continue;
      String out = outs.get(0);
      int at = out.lastIndexOf(PART);
      if (at > 0 && digits(out, at + PART.length()) && Kind.of(out.substring(0, at)) != null) {
        parts.computeIfAbsent(out.substring(0, at), r -> new ArrayList<>()).add(op);
      } else if (Kind.of(out) != null) {
        results.put(out, op);
      }
    }
    for (Map.Entry<String, List<SameDiffOp>> e : parts.entrySet()) {
      SameDiffOp last = results.get(e.getKey());
      if (last == null) continue; // result renamed: the parts are ordinary ops
      Group g = group(sd, e.getKey(), last, e.getValue());
      k.byResult.put(g.result, g);
      for (SameDiffOp op : e.getValue()) k.byPart.put(op.getOutputsOfOp().get(0), g);
    }
    return k;
  }

  private static Group group(SameDiff sd, String result, SameDiffOp last, List<SameDiffOp> parts) {
    Set<String> made = new HashSet<>(), members = new HashSet<>();
    SameDiffOp first = null;
    for (SameDiffOp op : parts) {
      String out = op.getOutputsOfOp().get(0);
      made.add(out);
      members.add(op.getName());
      if (out.equals(result + PART + 0)) first = op;
    }
    members.add(last.getName());
    if (first == null) throw new IllegalStateException("kernel group " + result + ": no part 0");
    List<String> inputs = new ArrayList<>(new LinkedHashSet<>(first.getInputsToOp()));
    List<SameDiffOp> all = new ArrayList<>(parts);
    all.add(last);
    for (SameDiffOp op : all) {
      for (String in : op.getInputsToOp()) {
        if (!made.contains(in) && !inputs.contains(in)) {
          throw new IllegalStateException(
              "kernel group " + result + ": " + in + " is an input its first op does not take");
        }
      }
    }
    for (String out : made) {
      Variable v = sd.getVariables().get(out);
      for (String consumer : v.getInputsForOp() == null ? List.<String>of() : v.getInputsForOp()) {
        if (!members.contains(consumer)) {
          throw new IllegalStateException(
              "kernel group " + result + ": its part " + out + " is read outside it");
        }
      }
    }
    int[] axes = null; // a softmax gradient's row sum
    for (SameDiffOp op : parts) {
      if (op.getOp() instanceof Sum sum) axes = sum.getDimensions();
    }
    return new Group(Kind.of(result), result, first.getOutputsOfOp().get(0), inputs, axes);
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

  /** Runs g's kernel on the first op's inputs; false when an input is not one it takes. */
  private boolean compute(Group g, OpContext context, SessionMemMgr memory) {
    List<INDArray> in = context.getInputArrays();
    INDArray[] x = new INDArray[g.inputs.size()];
    for (int i = 0, j = 0; j < x.length; i++) { // the first op's inputs without repeats
      INDArray a = in.get(i);
      boolean seen = false;
      for (int m = 0; m < j; m++) seen |= x[m] == a;
      if (!seen) x[j++] = a;
    }
    for (INDArray a : x) {
      if (!takes(a) || !a.equalShapes(x[0])) return false;
    }
    if (g.kind == Kind.SOFTMAX_GRADIENT && !lastAxis(g.axes, x[0].rank())) return false;
    INDArray y = memory.allocate(false, DataType.FLOAT, x[0].shape());
    int n = (int) x[0].length();
    switch (g.kind) {
      case GELU -> VectorKernels.gelu(buf(x[0]), buf(y), n);
      case GELU_SLOPE -> VectorKernels.geluSlope(buf(x[0]), buf(y), n);
      case SOFTMAX_GRADIENT -> {
        int width = (int) x[0].size(-1);
        VectorKernels.softmaxGradient(buf(x[0]), buf(x[1]), buf(y), n / width, width);
      }
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
