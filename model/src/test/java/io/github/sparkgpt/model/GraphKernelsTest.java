package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The Java kernels give what the graph's own ops give, and only where they may run. */
class GraphKernelsTest {

  /**
   * gelu, a rank-2 and a rank-4 softmax over the last axis, a layer norm and their gradients:
   * outputs and gradients with the kernels equal those of the op-by-op graph (widths that leave
   * scalar tails; inputs out to +-100, where exp overflows; rows whose mean is far from 0).
   */
  @Test
  void kernelsGiveWhatTheGraphGives() {
    SameDiff sd = graph(DataType.FLOAT);
    Map<String, INDArray> opByOp = run(sd);
    Map<String, INDArray> kernels = runWithKernels(sd);
    for (String name : opByOp.keySet()) {
      INDArray want = opByOp.get(name), got = kernels.get(name);
      assertFalse(got.isNaN().any() || got.isInfinite().any(), name + " has NaN or infinity");
      double scale = Math.max(1e-3, want.amaxNumber().doubleValue());
      assertEquals(0, want.sub(got).amaxNumber().doubleValue() / scale, 2e-6, name);
    }
    // forward: gelu, two softmaxes, the layer norm's scale and normalisation; backward: gelu's
    // slope, two softmax gradients and the normalisation's
    assertEquals(9, kernelRuns(sd.getFunction(GradientFunction.GRAD_FN)));
  }

  /** float64 inputs are not the kernels': the graph runs op by op, to the last digit. */
  @Test
  void inputsTheKernelsDoNotTakeRunOpByOp() {
    SameDiff sd = graph(DataType.DOUBLE);
    Map<String, INDArray> opByOp = run(sd);
    Map<String, INDArray> kernels = runWithKernels(sd);
    for (String name : opByOp.keySet()) assertEquals(opByOp.get(name), kernels.get(name), name);
    assertEquals(0, kernelRuns(sd.getFunction(GradientFunction.GRAD_FN)));
  }

  /** A group's parts are skipped, so a graph that reads one elsewhere is refused. */
  @Test
  void aPartReadOutsideItsGroupIsRefused() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.var("x", Nd4j.rand(DataType.FLOAT, 4, 5));
    SDVariable y = GradientFunction.gelu(sd, x);
    y.add(sd.getVariable(y.name() + "_part0")).sum().rename("loss");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> LiveArraysSession.install(sd));
    assertTrue(e.getMessage().contains("read by more than its result"), e.getMessage());
    assertTrue(e.getMessage().contains(y.name() + "_part0 by "), e.getMessage());
  }

  /** The part that the result reads is read by another op too: still refused. */
  @Test
  void aPartReadByTheResultAndAnotherOpIsRefused() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.var("x", Nd4j.rand(DataType.FLOAT, 4, 5));
    SDVariable y = GradientFunction.gelu(sd, x); // y = sigmoid(...) (part4) * x
    y.add(sd.getVariable(y.name() + "_part4")).sum().rename("loss");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> LiveArraysSession.install(sd));
    assertTrue(e.getMessage().contains("read by more than its result"), e.getMessage());
  }

  /** Every op of a group follows its first, or a part could run before the kernel has. */
  @Test
  void aGroupOpThatDoesNotFollowItsFirstIsRefused() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.var("x", Nd4j.rand(DataType.FLOAT, 4, 5));
    GraphKernels.Parts p = new GraphKernels.Parts(GradientFunction.GELU + 0);
    SDVariable square = x.mul(p.next(), x);
    SDVariable shifted = x.add(p.next(), 1.0); // reads x alone
    square.mul(GradientFunction.GELU + 0, shifted).sum().rename("loss");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> LiveArraysSession.install(sd));
    assertTrue(e.getMessage().contains("does not follow its part 0"), e.getMessage());
  }

  private static SameDiff graph(DataType type) {
    SameDiff sd = SameDiff.create();
    INDArray xv = Nd4j.rand(type, 37, 53).subi(0.5).muli(16);
    xv.putScalar(0, 0, 100).putScalar(0, 1, -100).putScalar(0, 2, 30).putScalar(0, 3, -30);
    xv.putScalar(0, 4, 0);
    SDVariable x = sd.var("x", xv);
    SDVariable z = sd.var("z", Nd4j.rand(type, 2, 3, 5, 19).subi(0.5).muli(10));
    SDVariable h = GradientFunction.gelu(sd, x); // [37, 53]
    SDVariable s = GradientFunction.softmax(sd, h, 1);
    SDVariable s4 = GradientFunction.softmax(sd, z, 3); // [2, 3, 5, 19]
    SDVariable gain = sd.var("gain", Nd4j.rand(type, 1, 53).addi(0.5));
    SDVariable bias = sd.var("bias", Nd4j.rand(type, 1, 53).subi(0.5));
    SDVariable ln = GptGraph.layerNorm(sd, h.add(x).add(3), gain, bias); // [37, 53]
    sd.identity("h", h); // outputs under names: a group's result keeps its own
    sd.identity("s", s);
    sd.identity("s4", s4);
    sd.identity("ln", ln);
    SDVariable c = sd.constant(Nd4j.rand(type, 37, 53).subi(0.5));
    SDVariable c4 = sd.constant(Nd4j.rand(type, 2, 3, 5, 19).subi(0.5));
    SDVariable lnLoss = ln.mul(ln).mul(c).sum(); // not linear in ln: dn varies along each row
    s.mul(c).sum().add(h.mul(c).sum()).add(s4.mul(c4).sum()).add(lnLoss).rename("loss");
    GradientFunction.define(sd, "loss");
    return sd;
  }

  private static final List<String> OUTPUTS = List.of("h", "s", "s4", "ln");

  /** Outputs and gradients with whatever session the thread has. */
  private static Map<String, INDArray> run(SameDiff sd) {
    Map<String, INDArray> out = new HashMap<>();
    sd.output(Map.of(), OUTPUTS).forEach((k, v) -> out.put(k, v.dup()));
    sd.calculateGradients(Map.of(), List.of("x", "z", "gain", "bias"))
        .forEach((k, v) -> out.put("d" + k, v.dup()));
    return out;
  }

  private static Map<String, INDArray> runWithKernels(SameDiff sd) {
    LiveArraysSession.install(sd);
    LiveArraysSession.install(sd.getFunction(GradientFunction.GRAD_FN));
    return run(sd);
  }

  private static long kernelRuns(SameDiff sd) {
    return ((LiveArraysSession) sd.getSessions().get(Thread.currentThread().getId())).kernelRuns();
  }
}
