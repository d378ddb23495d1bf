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
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
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
      INVERSE_STD = "inverseStd",
      NORMALIZED = "normalized",
      NORMALIZED_GRADIENT = "dNormalized",
      SOFTMAX = "lastAxisSoftmax",
      MASKED = "masked",
      GELU = "gelu",
      GELU_SLOPE = "dGelu",
      SOFTMAX_GRADIENT = "dSoftmax",
      PICKED = "pickedProbability",
      CONSTANT_SHIFT = "constantShift";

  /** gelu's constants: x sigmoid(K (x + C x^3)). */
  private static final double GELU_K = 2 * Math.sqrt(2 / Math.PI), GELU_C = 0.044715;

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
      List<String> differentiated = ownGradient(g, op, outGrads.get(0));
      if (differentiated == null) {
        op.getOp().diff(outGrads); // accumulates into the inputs' gradients
        differentiated = nullSafe(op.getInputsToOp());
      }
      for (String in : differentiated) {
        if (needsGrad.contains(in)) reachesLoss.add(in);
      }
    }
  }

  /**
   * The gradient of an op built by one of the helpers below, which mark it by the prefix of its
   * output's name: the inputs it differentiated (the backward pass goes on from them only), or null
   * for any other op. Why: SameDiff's own rules for these (add_bp and multiply_bp summing columns
   * one strided column at a time, the fused layer_norm_bp, softmax_bp recomputing the softmax) took
   * over a third of a training step of {@code small}.
   */
  private static List<String> ownGradient(SameDiff g, SameDiffOp op, SDVariable dy) {
    List<String> outs = op.getOutputsOfOp();
    if (dy == null || outs == null || outs.size() != 1) return null;
    String name = outs.get(0);
    DifferentialFunction f = op.getOp();
    SDVariable[] args = f.args();
    if (f instanceof MulOp && named(name, GELU)) {
      // the ops that made the sigmoid are not differentiated at all
      SDVariable x = args[1];
      accumulate(g, x, dy.mul(geluSlope(g, x)));
      return List.of(x.name());
    } else if (f instanceof Gather && named(name, PICKED)) {
      // picked = softmax(z)[row, t] flat; d picked / dz = picked (onehot(t) - s) per row, so
      // dz = c (onehot - s) with c = dy picked: no gradient for the [R*V] gather, no softmax_bp
      SDVariable s = g.getVariableOutputOp(args[0].name()).arg(0); // [R, V], reshaped to args[0]
      SDVariable z = g.getVariableOutputOp(s.name()).arg(0); // [R, V]
      SDVariable c = dy.mul(g.getVariable(name)); // [R, 1]
      SDVariable dz = g.reshape(s.mul(c.neg()), -1, 1); // [R*V, 1]
      accumulate(g, z, g.reshape(g.scatterAdd(dz, args[1], c), g.shape(z))); // [R, V]
      return List.of(z.name());
    } else if (f instanceof AddOp && named(name, CONSTANT_SHIFT)) {
      accumulate(g, args[0], dy);
      return List.of(args[0].name());
    } else if (f instanceof SoftMax && named(name, SOFTMAX)) {
      SDVariable s = g.getVariable(name);
      int axis = ((SoftMax) f).getIArgument(0).intValue();
      accumulate(g, args[0], softmaxGradient(g, dy, s, axis));
    } else if (f instanceof MulOp && named(name, MASKED)) {
      accumulate(g, args[0], dy.mul(args[1]));
    } else if (f instanceof SubOp && named(name, NORMALIZED)) {
      // the ops that made the mean and the scale r are not differentiated at all
      SDVariable[] xr = g.getVariableOutputOp(args[0].name()).args(); // x r = x * r
      SDVariable u = dy.mul(xr[1]); // [N, d]
      accumulate(g, xr[0], normalizedGradient(g, u, g.getVariable(name)));
      return List.of(xr[0].name());
    } else if (f instanceof AddOp && named(name, ROW_BIAS)) {
      accumulate(g, args[0], dy); // [N, n]
      accumulate(g, args[1], columnSums(g, dy)); // [1, n]
    } else if (f instanceof MulOp && named(name, ROW_SCALE)) {
      accumulate(g, args[0], dy.mul(args[1])); // [N, n]
      accumulate(g, args[1], columnSums(g, dy.mul(args[0]))); // [1, n]
    } else {
      return null;
    }
    return nullSafe(op.getInputsToOp());
  }

  /** m [N, n] to its column sums [1, n] as one matrix product, ones [1, N] x m. */
  private static SDVariable columnSums(SameDiff g, SDVariable m) {
    SDVariable rows = g.sizeAt(m, 0).castTo(DataType.INT64);
    SDVariable onesShape = g.concat(0, g.constant(Nd4j.createFromArray(1L)), g.reshape(rows, 1));
    return g.mmul(g.fill(onesShape, m.dataType(), 1.0), m);
  }

  /**
   * Softmax over the last axis, differentiated by {@link #ownGradient} from its output in 4
   * element-wise passes: ND4J's softmax_bp recomputes the softmax and took 56 ms per training step
   * of {@code small} on the [2048, 4096] logits.
   */
  static SDVariable softmax(SameDiff sd, SDVariable x, int lastAxis) {
    return sd.nn.softmax(freshName(sd, SOFTMAX), x, lastAxis);
  }

  /**
   * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), the tanh form of GPT-1/2 and Hugging Face's
   * gelu_new, written as x sigmoid(K (x + C x^3)) with K = 2 sqrt(2/pi) in 6 element-wise ops, a
   * {@link GraphKernels} group (one pass where the session runs it); differentiated by {@link
   * #ownGradient} as dy gelu'(x), not through each op.
   */
  static SDVariable gelu(SameDiff sd, SDVariable x) {
    String name = freshName(sd, GELU);
    GraphKernels.Parts p = new GraphKernels.Parts(name);
    SDVariable inner =
        x.mul(p.next(), x).mul(p.next(), GELU_C * GELU_K).add(p.next(), GELU_K).mul(p.next(), x);
    return sd.nn.sigmoid(p.next(), inner).mul(name, x); // x sigmoid(K (x + C x^3))
  }

  /**
   * gelu'(x) = s + x s (1 - s) K (1 + 3 C x^2) with s = sigmoid(K (x + C x^3)), from x alone: a
   * {@link GraphKernels} group.
   */
  private static SDVariable geluSlope(SameDiff g, SDVariable x) {
    String name = freshName(g, GELU_SLOPE);
    GraphKernels.Parts p = new GraphKernels.Parts(name);
    SDVariable sq = x.mul(p.next(), x);
    SDVariable inner = sq.mul(p.next(), GELU_C * GELU_K).add(p.next(), GELU_K).mul(p.next(), x);
    SDVariable s = g.nn.sigmoid(p.next(), inner);
    SDVariable slope = sq.mul(p.next(), 3 * GELU_C * GELU_K).add(p.next(), GELU_K);
    SDVariable xs = s.mul(p.next(), x).mul(p.next(), s.rsub(p.next(), 1.0));
    return xs.mul(p.next(), slope).add(name, s);
  }

  /**
   * The input gradient of a softmax over the last axis from its output s: s (dy - sum(dy s)), a
   * {@link GraphKernels} group.
   */
  private static SDVariable softmaxGradient(SameDiff g, SDVariable dy, SDVariable s, int axis) {
    String name = freshName(g, SOFTMAX_GRADIENT);
    GraphKernels.Parts p = new GraphKernels.Parts(name);
    SDVariable dot = dy.mul(p.next(), s).sum(p.next(), true, axis);
    return dy.sub(p.next(), dot).mul(name, s);
  }

  /**
   * Each row of x [N, d] to zero mean and unit variance, (x - mean) r with r = 1 / sqrt(mean((x -
   * mean)^2)): two {@link GraphKernels} groups, r [N, 1] from x, then x r - mean(x r) (the same; op
   * by op in float32 it loses digits only when a row's mean exceeds its deviation ~1e4-fold).
   * Differentiated by {@link #ownGradient} as a whole, not through each op (layer norm's mean and
   * scale made over a dozen ops backward, most a pass over [N, d]).
   */
  static SDVariable normalized(SameDiff sd, SDVariable x) {
    String rName = freshName(sd, INVERSE_STD);
    GraphKernels.Parts rp = new GraphKernels.Parts(rName);
    SDVariable mean = x.mean(rp.next(), true, 1); // [N, 1], the first op: all others follow it
    SDVariable centred = x.sub(rp.next(), mean); // [N, d]
    SDVariable r = sd.math.rsqrt(rName, centred.mul(rp.next(), centred).mean(rp.next(), true, 1));
    String name = freshName(sd, NORMALIZED);
    GraphKernels.Parts p = new GraphKernels.Parts(name);
    SDVariable xr = x.mul(p.next(), r); // [N, d]
    return xr.sub(name, xr.mean(p.next(), true, 1)); // [N, d]
  }

  /**
   * The input gradient of {@link #normalized} from u = dn r (dn its output gradient) and its output
   * n: u - mean(u) - n mean(u n), written as v - mean(v) with v = u - n mean(u n) (the same, as n
   * has zero mean) so that every op follows the first: a {@link GraphKernels} group.
   */
  private static SDVariable normalizedGradient(SameDiff g, SDVariable u, SDVariable n) {
    String name = freshName(g, NORMALIZED_GRADIENT);
    GraphKernels.Parts p = new GraphKernels.Parts(name);
    SDVariable un = u.mul(p.next(), n).mean(p.next(), true, 1); // [N, 1]
    SDVariable v = u.sub(p.next(), n.mul(p.next(), un)); // [N, d]
    return v.sub(name, v.mean(p.next(), true, 1)); // [N, d]
  }

  /**
   * softmax(logits)[r, target[r]] for each row r of logits [R, width], as [R]: the softmax, then a
   * flat gather of the picked probability (sparse softmax-CE and log-softmax backprop are wrong in
   * SameDiff 1.0.0-M2; gather's backprop needs rank >= 2). Differentiated by {@link #ownGradient}
   * straight to the logits: the gather's and the softmax's own rules made 8 passes over the [R,
   * width] logits of a language model (width = the vocabulary), this makes 2.
   */
  static SDVariable pickedProbability(
      SameDiff sd, SDVariable logits, SDVariable target, int width) {
    SDVariable probs = sd.reshape(sd.nn.softmax(logits, 1), -1, 1); // [R*width, 1]
    SDVariable rows = sd.sizeAt(target, 0).castTo(DataType.INT32);
    SDVariable rowStart =
        sd.range(sd.constant(0), rows, sd.constant(1), DataType.INT32)
            .mul(sd.constant(Nd4j.scalar(width)));
    SDVariable index = rowStart.add(target.castTo(DataType.INT32)); // [R]
    return sd.reshape(sd.gather(freshName(sd, PICKED), probs, index, 0), -1); // [R]
  }

  /** x plus a tensor that needs no gradient (the causal mask): the gradient is dy itself. */
  static SDVariable plusConstant(SameDiff sd, SDVariable x, SDVariable constant) {
    return x.add(freshName(sd, CONSTANT_SHIFT), constant);
  }

  /**
   * x times a mask of its shape that needs no gradient, differentiated by {@link #ownGradient} as
   * grad x mask alone (multiply_bp also computes the mask's).
   */
  static SDVariable masked(SameDiff sd, SDVariable x, SDVariable mask) {
    return x.mul(freshName(sd, MASKED), mask);
  }

  /** x [N, n] + b [1, n], differentiated by {@link #ownGradient}. */
  static SDVariable rowBias(SameDiff sd, SDVariable x, SDVariable b) {
    return x.add(freshName(sd, ROW_BIAS), b);
  }

  /** x [N, n] * g [1, n], differentiated by {@link #ownGradient}. */
  static SDVariable rowScale(SameDiff sd, SDVariable x, SDVariable g) {
    return x.mul(freshName(sd, ROW_SCALE), g);
  }

  /** Whether an output name is one {@link #freshName} made from the prefix. */
  private static boolean named(String name, String prefix) {
    if (!name.startsWith(prefix) || name.length() == prefix.length()) return false;
    for (int i = prefix.length(); i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) return false;
    }
    return true;
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
