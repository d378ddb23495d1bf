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
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
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
      if (!biasAddGradient(g, op, outGrads.get(0))) {
        op.getOp().diff(outGrads); // accumulates into the inputs' gradients
      }
      for (String in : nullSafe(op.getInputsToOp())) {
        if (needsGrad.contains(in)) reachesLoss.add(in);
      }
    }
  }

  /**
   * The gradient of a dense layer's bias add, {@code mmul(x, W).add(b)} with b a [1, n] parameter:
   * the product's gradient is the output's, and b's is the column sum as one matrix product, ones
   * [1, N] x grad [N, n]. Why: SameDiff's add_bp sums the columns of the [N, n] gradient one
   * strided column at a time; it was 6-9% of a training step of {@code small}, this is a BLAS call.
   * Returns false (nothing defined) for any other op.
   */
  private static boolean biasAddGradient(SameDiff g, SameDiffOp op, SDVariable outGrad) {
    if (!(op.getOp() instanceof AddOp) || outGrad == null) return false;
    SDVariable[] args = op.getOp().args();
    if (args.length != 2) return false;
    SDVariable product = args[0], bias = args[1];
    long[] biasShape = bias.getShape();
    String producer = g.getVariables().get(product.name()).getOutputOfOp();
    if (bias.getVariableType() != VariableType.VARIABLE
        || biasShape == null
        || biasShape.length != 2
        || biasShape[0] != 1
        || producer == null
        || !(g.getOps().get(producer).getOp() instanceof Mmul)) return false;
    SDVariable rows = g.sizeAt(outGrad, 0).castTo(DataType.INT64);
    SDVariable ones =
        g.fill(
            g.concat(0, g.constant(Nd4j.createFromArray(1L)), g.reshape(rows, 1)),
            outGrad.dataType(),
            1.0); // [1, N]
    accumulate(g, product, outGrad); // [N, n]
    accumulate(g, bias, g.mmul(ones, outGrad)); // [1, n]
    return true;
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
