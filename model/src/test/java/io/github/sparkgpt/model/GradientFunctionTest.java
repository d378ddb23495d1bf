package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientFunctionTest {

  /**
   * Row-vector parameters (a dense layer's bias, a layer norm's gain and bias) get the column sums
   * of their output gradients, computed as matrix products rather than by SameDiff's add_bp and
   * multiply_bp; b is used twice, so its two gradients must add.
   */
  @Test
  void rowVectorGradientsAreColumnSumsAndAccumulate() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 3);
    SDVariable w = sd.var("w", Nd4j.rand(DataType.DOUBLE, 3, 2));
    SDVariable b = sd.var("b", Nd4j.rand(DataType.DOUBLE, 1, 2));
    SDVariable g = sd.var("g", Nd4j.rand(DataType.DOUBLE, 1, 2).addi(0.5));
    SDVariable y = GptGraph.dense(sd, x, w, b); // [N, 2]
    SDVariable z = GradientFunction.rowBias(sd, GradientFunction.rowScale(sd, y, g), b);
    SDVariable loss = sd.math.square(z).sum().rename("loss"); // square_bp, not multiply_bp
    GradientFunction.define(sd, loss.name(), "x");

    INDArray xv = Nd4j.rand(DataType.DOUBLE, 5, 3);
    Map<String, INDArray> grads =
        sd.calculateGradients(Map.of("x", xv), List.of("b", "g", "w", "x"));
    INDArray yv = xv.mmul(w.getArr()).addRowVector(b.getArr());
    INDArray dz = yv.mulRowVector(g.getArr()).addRowVector(b.getArr()).mul(2); // d loss / dz
    INDArray dy = dz.mulRowVector(g.getArr());
    assertClose(dz.sum(true, 0).add(dy.sum(true, 0)), grads.get("b"));
    assertClose(dz.mul(yv).sum(true, 0), grads.get("g"));
    assertClose(xv.transpose().mmul(dy), grads.get("w"));
    assertClose(dy.mmul(w.getArr().transpose()), grads.get("x"));

    for (SameDiffOp op : sd.getFunction(GradientFunction.GRAD_FN).getOps().values()) {
      String name = op.getOp().opName();
      assertFalse(name.equals("add_bp") || name.equals("multiply_bp"), "went through " + name);
    }
  }

  /**
   * Softmax over the last axis of a rank-2 and a rank-4 tensor: s (c - sum(c s)) for loss sum(c s).
   */
  @Test
  void softmaxGradientFromItsOutput() {
    for (long[] shape : new long[][] {{3, 5}, {2, 2, 3, 4}}) {
      SameDiff sd = SameDiff.create();
      INDArray xv = Nd4j.rand(DataType.DOUBLE, shape).muli(4);
      INDArray cv = Nd4j.rand(DataType.DOUBLE, shape);
      SDVariable x = sd.var("x", xv);
      SDVariable probs = GradientFunction.softmax(sd, x, shape.length - 1);
      SDVariable loss = probs.mul(sd.constant(cv)).sum().rename("loss");
      GradientFunction.define(sd, loss.name());
      INDArray got = sd.calculateGradients(Map.of(), List.of("x")).get("x");
      INDArray s = probs.eval();
      INDArray cs = cv.mul(s).sum(true, shape.length - 1);
      INDArray want = cv.sub(cs.broadcast(shape)).mul(s);
      assertClose(want, got);
    }
  }

  /** Layer norm written out: zero mean and unit variance per row, then gain and bias. */
  @Test
  void layerNormNormalisesEachRow() {
    SameDiff sd = SameDiff.create();
    INDArray xv = Nd4j.createFromArray(new double[][] {{1, 2, 3, 6}, {-4, 0, 0, 8}});
    INDArray gv = Nd4j.createFromArray(new double[][] {{1, 2, 1, 0.5}});
    INDArray bv = Nd4j.createFromArray(new double[][] {{0, 1, 0, -1}});
    INDArray out = GptGraph.layerNorm(sd, sd.constant(xv), sd.constant(gv), sd.constant(bv)).eval();
    for (int r = 0; r < 2; r++) {
      double[] row = xv.getRow(r).toDoubleVector();
      double mean = 0, var = 0;
      for (double v : row) mean += v / row.length;
      for (double v : row) var += (v - mean) * (v - mean) / row.length;
      for (int c = 0; c < row.length; c++) {
        double want = (row[c] - mean) / Math.sqrt(var) * gv.getDouble(0, c) + bv.getDouble(0, c);
        assertEquals(want, out.getDouble(r, c), 1e-12, "row " + r + " col " + c);
      }
    }
  }

  private static void assertClose(INDArray want, INDArray got) {
    assertArrayEquals(want.shape(), got.shape());
    assertEquals(0.0, want.sub(got).amaxNumber().doubleValue(), 1e-9);
  }

  /** The graph's gelu is gelu_new, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
  @Test
  void geluIsTheTanhForm() {
    SameDiff sd = SameDiff.create();
    double[] xs = {-6, -3, -1.5, -0.5, -1e-3, 0, 1e-3, 0.5, 1.5, 3, 6};
    SDVariable y = GradientFunction.gelu(sd, sd.constant(Nd4j.createFromArray(xs)));
    double[] got = y.eval().toDoubleVector();
    for (int i = 0; i < xs.length; i++) {
      double x = xs[i];
      double want = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      assertEquals(want, got[i], 1e-12, "x = " + x);
    }
  }

  /**
   * gelu's own gradient against central differences of the tanh form, and the ops that made its
   * sigmoid are not differentiated (no sigmoid_bp in the gradient graph).
   */
  @Test
  void geluGradientIsTheDerivativeOfTheTanhForm() {
    SameDiff sd = SameDiff.create();
    double[] xs = {-6, -3, -1.5, -0.5, -1e-3, 0, 1e-3, 0.5, 1.5, 3, 6};
    double[] cs = {0.3, -1, 2, 0.7, 1, -0.2, 1.1, -3, 0.4, 1, 2};
    SDVariable x = sd.var("x", Nd4j.createFromArray(xs));
    SDVariable loss =
        GradientFunction.gelu(sd, x)
            .mul(sd.constant(Nd4j.createFromArray(cs)))
            .sum()
            .rename("loss");
    GradientFunction.define(sd, loss.name());
    double[] got = sd.calculateGradients(Map.of(), List.of("x")).get("x").toDoubleVector();
    for (int i = 0; i < xs.length; i++) {
      double h = 1e-5, v = xs[i];
      double want = cs[i] * (tanhGelu(v + h) - tanhGelu(v - h)) / (2 * h);
      assertEquals(want, got[i], 1e-8, "x = " + v);
    }
    for (SameDiffOp op : sd.getFunction(GradientFunction.GRAD_FN).getOps().values()) {
      assertNotEquals("sigmoid_bp", op.getOp().opName());
    }
  }

  /**
   * The picked probability's gradient goes straight to the logits: for loss sum(w log p[t]) it is w
   * (onehot(t) - s) per row, with no gather_bp or softmax_bp; a constant shift passes dy through.
   */
  @Test
  void pickedProbabilityGradientGoesStraightToTheLogits() {
    SameDiff sd = SameDiff.create();
    INDArray zv = Nd4j.rand(DataType.DOUBLE, 3, 5).muli(3);
    int[] t = {4, 0, 2};
    double[] w = {0.5, 2, -1};
    SDVariable z = sd.var("z", zv);
    SDVariable shifted =
        GradientFunction.plusConstant(sd, z, sd.constant(Nd4j.rand(DataType.DOUBLE, 1, 5)));
    SDVariable picked =
        GradientFunction.pickedProbability(sd, shifted, sd.constant(Nd4j.createFromArray(t)), 5);
    SDVariable loss =
        sd.math.log(picked).mul(sd.constant(Nd4j.createFromArray(w))).sum().rename("loss");
    GradientFunction.define(sd, loss.name());
    INDArray got = sd.calculateGradients(Map.of(), List.of("z")).get("z");
    INDArray s = Nd4j.nn().softmax(shifted.eval(), 1);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 5; c++) {
        double want = w[r] * ((c == t[r] ? 1 : 0) - s.getDouble(r, c));
        assertEquals(want, got.getDouble(r, c), 1e-9, "row " + r + " col " + c);
      }
    }
    for (SameDiffOp op : sd.getFunction(GradientFunction.GRAD_FN).getOps().values()) {
      String name = op.getOp().opName();
      assertFalse(
          name.equals("gather_bp") || name.equals("softmax_bp") || name.equals("add_bp"),
          "went through " + name);
    }
  }

  private static double tanhGelu(double x) {
    return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
  }
}
