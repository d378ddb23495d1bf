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
   * A dense layer's bias gradient is the column sum of the output gradient, computed as a matrix
   * product rather than SameDiff's add_bp; the bias is used twice so the two gradients must add.
   */
  @Test
  void biasGradientIsTheColumnSumAndAccumulates() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 3);
    SDVariable w = sd.var("w", Nd4j.rand(DataType.DOUBLE, 3, 2));
    SDVariable b = sd.var("b", Nd4j.rand(DataType.DOUBLE, 1, 2));
    SDVariable y = sd.mmul(x, w).add(b); // [N, 2]
    SDVariable z = sd.mmul(y, sd.constant(Nd4j.eye(2).castTo(DataType.DOUBLE))).add(b); // [N, 2]
    SDVariable loss = z.mul(z).sum().rename("loss");
    GradientFunction.define(sd, loss.name(), "x");

    INDArray xv = Nd4j.rand(DataType.DOUBLE, 5, 3);
    Map<String, INDArray> grads = sd.calculateGradients(Map.of("x", xv), List.of("b", "w", "x"));
    INDArray zv = xv.mmul(w.getArr()).addRowVector(b.getArr()).addRowVector(b.getArr());
    INDArray expectedB = zv.mul(2).sum(true, 0).mul(2); // b feeds z twice
    assertEquals(0.0, grads.get("b").sub(expectedB).amaxNumber().doubleValue(), 1e-9);
    INDArray expectedW = xv.transpose().mmul(zv.mul(2));
    assertEquals(0.0, grads.get("w").sub(expectedW).amaxNumber().doubleValue(), 1e-9);

    for (SameDiffOp op : sd.getFunction(GradientFunction.GRAD_FN).getOps().values()) {
      assertNotEquals("add_bp", op.getOp().opName(), "a bias add went through add_bp");
    }
  }

  /** The graph's gelu is gelu_new, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
  @Test
  void geluIsTheTanhForm() {
    SameDiff sd = SameDiff.create();
    double[] xs = {-6, -3, -1.5, -0.5, -1e-3, 0, 1e-3, 0.5, 1.5, 3, 6};
    SDVariable y = GptGraph.gelu(sd, sd.constant(Nd4j.createFromArray(xs)));
    double[] got = y.eval().toDoubleVector();
    for (int i = 0; i < xs.length; i++) {
      double x = xs[i];
      double want = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      assertEquals(want, got[i], 1e-12, "x = " + x);
    }
  }
}
