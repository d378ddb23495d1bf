package io.github.sparkgpt.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds a SameDiff instance's backward ("grad") function by reverse-mode differentiation in
 * reverse creation order, replacing SameDiff 1.0.0-M2's {@code createGradFunction}.
 *
 * <p>Why: that builder uses a work queue that, whenever a tensor feeds two ops that meet again
 * (every residual connection, GELU, attention's q/k/v), may differentiate an op before all its
 * output gradients are summed, or differentiate it twice — gradients come out wrong (seen in the
 * gradient check: residual blocks off by 30-100%). Ops are stored in creation order, which is a
 * topological order, so walking them backwards guarantees every consumer of a tensor is
 * differentiated before its producer: each op is differentiated exactly once, with its complete
 * output gradients. The per-op rules ({@code doDiff}) and gradient accumulation are SameDiff's own.
 */
final class GradientFunction {

  static final String GRAD_FN = "grad";

  /** Name prefixes of the outputs of the ops below with their own gradient. */
  static final String ROW_BIAS = "rowBias",
      ROW_SCALE = "rowScale",
      COLUMN_SCALE = "columnScale",
      SOFTMAX = "lastAxisSoftmax";

  private GradientFunction() {}

  /**
   * Defines {@code outer}'s grad function for {@code loss}; {@code placeholders} also get
   * gradients.
   */
  static void define(SameDiff outer, String loss, String... placeholders) {
    SameDiff g = SameDiff.create();
    g.setArrayHolders(new SingleThreadArrayHolder(), new SingleThreadArrayHolder(), false);
    outer.invokeGraphOn(g); // copy of the forward graph, same parameter arrays
    outer.putSubFunction(GRAD_FN, g);
    List<SameDiffOp> ops = new ArrayList<>(g.getOps().values());
    for (SameDiffOp op : ops) {
      DifferentialFunction f = op.getOp();
      f.setSameDiff(g);
      for (SDVariable v : f.args()) v.setSameDiff(g);
      for (SDVariable v : f.outputVariables()) v.setSameDiff(g);
    }

    // Forward: which floating-point tensors depend on something trainable (or a requested
    // placeholder).
    Set<String> needsGrad = new HashSet<>();
    Set<String> requested = new HashSet<>(List.of(placeholders));
    for (Variable v : g.getVariables().values()) {
      SDVariable sv = v.getVariable();
      if (sv.dataType().isFPType()
          && (sv.getVariableType() == VariableType.VARIABLE || requested.contains(v.getName()))) {
        needsGrad.add(v.getName());
      }
    }
    for (SameDiffOp op : ops) {
      if (anyIn(op.getInputsToOp(), needsGrad)) {
        for (String out : nullSafe(op.getOutputsOfOp())) {
          if (g.getVariable(out).dataType().isFPType()) needsGrad.add(out);
        }
      }
    }

    // Backward: seed d(loss)/d(loss) = 1, then every op that links a trainable input to the loss,
    // consumers first.
    SDVariable lossVar = g.getVariable(loss);
    g.setGradientForVariableName(loss, g.constant("one-var", Nd4j.scalar(lossVar.dataType(), 1.0)));
    Set<String> reachesLoss = new HashSet<>(Collections.singleton(loss));
    for (int i = ops.size() - 1; i >= 0; i--) {
      SameDiffOp op = ops.get(i);
      List<String> outs = nullSafe(op.getOutputsOfOp());
      if (!anyIn(outs, reachesLoss) || !anyIn(op.getInputsToOp(), needsGrad)) continue;
      List<SDVariable> outGrads = new ArrayList<>(outs.size());
      for (String out : outs) {
        SDVariable v = g.getVariable(out);
        if (!v.dataType().isFPType()) {
          outGrads.add(null);
        } else {
          SDVariable grad = g.getGradForVariable(out);
          outGrads.add(grad != null ? grad : g.zerosLike(v)); // output unused by the loss
        }
      }
      if (!rowVectorGradient(g, op, outGrads.get(0))) {
        op.getOp().diff(outGrads); // accumulates into the inputs' gradients
      }
      for (String in : nullSafe(op.getInputsToOp())) {
        if (needsGrad.contains(in)) reachesLoss.add(in);
      }
    }
  }

  /**
   * Gradients of the row-vector ops {@link #rowBias} and {@link #rowScale} ([N, n] with a [1, n]
   * parameter): the parameter's gradient is a column sum, taken as one matrix product, ones [1, N]
   * x [N, n]. Why: SameDiff's add_bp and multiply_bp sum the columns of an [N, n] gradient one
   * strided column at a time (6-9% of a training step of {@code small} for the dense biases alone).
   * Returns false (nothing defined) for any other op.
   */
  private static boolean rowVectorGradient(SameDiff g, SameDiffOp op, SDVariable outGrad) {
    List<String> outs = op.getOutputsOfOp();
    if (outGrad == null || outs == null || outs.size() != 1) return false;
    String name = outs.get(0);
    if (name.startsWith(SOFTMAX) && op.getOp() instanceof SoftMax) {
      SDVariable probs = g.getVariable(name);
      int axis = ((SoftMax) op.getOp()).getIArgument(0).intValue();
      SDVariable dx = outGrad.sub(outGrad.mul(probs).sum(true, axis)).mul(probs);
      accumulate(g, op.getOp().args()[0], dx); // s (g - sum(g s)) over the last axis
      return true;
    }
    boolean bias = name.startsWith(ROW_BIAS) && op.getOp() instanceof AddOp;
    boolean scale = name.startsWith(ROW_SCALE) && op.getOp() instanceof MulOp;
    boolean columnScale = name.startsWith(COLUMN_SCALE) && op.getOp() instanceof MulOp;
    if (!bias && !scale && !columnScale) return false;
    SDVariable x = op.getOp().args()[0], row = op.getOp().args()[1];
    if (columnScale) {
      accumulate(g, x, outGrad.mul(row)); // [N, n]
      accumulate(g, row, outGrad.mul(x).sum(true, 1)); // [N, 1]
      return true;
    }
    SDVariable rows = g.sizeAt(outGrad, 0).castTo(DataType.INT64);
    SDVariable ones =
        g.fill(
            g.concat(0, g.constant(Nd4j.createFromArray(1L)), g.reshape(rows, 1)),
            outGrad.dataType(),
            1.0); // [1, N]
    if (bias) {
      accumulate(g, x, outGrad); // [N, n]
      accumulate(g, row, g.mmul(ones, outGrad)); // [1, n]
    } else {
      accumulate(g, x, outGrad.mul(row)); // [N, n]
      accumulate(g, row, g.mmul(ones, outGrad.mul(x))); // [1, n]
    }
    return true;
  }

  /**
   * Softmax over the last axis, differentiated by {@link #rowVectorGradient} from its output in 4
   * element-wise passes: ND4J's softmax_bp recomputes the softmax and took 56 ms per training step
   * of {@code small} on the [2048, 4096] logits.
   */
  static SDVariable softmax(SameDiff sd, SDVariable x, int lastAxis) {
    return sd.nn.softmax(freshName(sd, SOFTMAX), x, lastAxis);
  }

  /** x [N, n] + b [1, n], differentiated by {@link #rowVectorGradient}. */
  static SDVariable rowBias(SameDiff sd, SDVariable x, SDVariable b) {
    return x.add(freshName(sd, ROW_BIAS), b);
  }

  /**
   * x [N, n] * s [N, 1], differentiated by {@link #rowVectorGradient}: multiply_bp took 7 ms per
   * call on [2048, 256] for s's row sums.
   */
  static SDVariable columnScale(SameDiff sd, SDVariable x, SDVariable s) {
    return x.mul(freshName(sd, COLUMN_SCALE), s);
  }

  /** x [N, n] * g [1, n], differentiated by {@link #rowVectorGradient}. */
  static SDVariable rowScale(SameDiff sd, SDVariable x, SDVariable g) {
    return x.mul(freshName(sd, ROW_SCALE), g);
  }

  private static String freshName(SameDiff sd, String prefix) {
    int k = 0;
    while (sd.hasVariable(prefix + k)) k++;
    return prefix + k;
  }

  /** What {@code DifferentialFunction.diff} does with each input's gradient: sum or set it. */
  private static void accumulate(SameDiff g, SDVariable input, SDVariable grad) {
    SDVariable sum = input.hasGradient() ? g.math.add(input.getGradient(), grad) : grad;
    g.setGradientForVariableName(input.name(), sum);
  }

  private static boolean anyIn(List<String> names, Set<String> set) {
    if (names == null) return false;
    for (String n : names) if (set.contains(n)) return true;
    return false;
  }

  private static List<String> nullSafe(List<String> l) {
    return l == null ? Collections.emptyList() : l;
  }
}
