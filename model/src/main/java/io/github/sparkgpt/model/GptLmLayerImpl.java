package io.github.sparkgpt.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's runtime SameDiff output layer with these changes: the backward graph is built by {@link
 * GradientFunction} instead of SameDiff's own builder, which gets residual networks wrong in
 * 1.0.0-M2; the gradient of a frozen task-layer parameter is zero; every gradient computation gets
 * a new dropout key ({@link GptDropout}); inference and evaluation scores run a second graph of the
 * same layer built without dropout, on the same parameter arrays; and the graphs free their
 * intermediate arrays as they go ({@link LiveArraysSession}).
 */
class GptLmLayerImpl extends SameDiffOutputLayer {

  /**
   * Passed to DL4J instead of the network's workspaces: the layer's graphs run in {@link
   * LiveArraysSession}s, which free arrays as they go (with workspaces DL4J also expects its
   * results inside them).
   */
  private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

  /** Gradient computations so far: with the batch, it makes every step's dropout key new. */
  private long steps;

  /**
   * The loss of the last gradient computation, NaN once the input or labels change: DL4J asks for
   * the training score right after backprop, with the same batch, masks and parameters.
   */
  private double lossOfLastGradient = Double.NaN;

  /** The key of the last gradient computation; a training score after it uses the same masks. */
  private long dropoutKey;

  /**
   * The layer built with dropout 0 (the training graph itself when it has none): inference and
   * evaluation. Its output and loss names; built on first use.
   */
  private SameDiff evalGraph;

  private String evalOutput, evalLoss;

  /** The language model's inference pass without SameDiff, when it applies; built on first use. */
  private VectorForward vectorForward;

  private boolean vectorForwardAllowed = VectorForward.AVAILABLE;

  /**
   * The runtime layer for a GPT layer configuration ({@link GptLmLayer}, {@link GptTaskLayer} or
   * {@link GptDpoLayer}): DL4J's SameDiffOutputLayer.instantiate, but with this class, which builds
   * correct gradients.
   */
  static GptLmLayerImpl instantiate(
      org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer layerConf,
      NeuralNetConfiguration conf,
      int index,
      INDArray paramsView,
      boolean initializeParams,
      DataType networkDataType) {
    GptLmLayerImpl layer = new GptLmLayerImpl(conf, networkDataType);
    layer.setIndex(index);
    layer.setParamsViewArray(paramsView);
    layer.setParamTable(layerConf.initializer().init(conf, paramsView, initializeParams));
    layer.setConf(conf);
    return layer;
  }

  GptLmLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      if (sameDiff == null) doInit();
      if (sameDiff.getFunction(GradientFunction.GRAD_FN) == null) {
        GradientFunction.define(sameDiff, outputKey, INPUT_KEY);
      }
    }
    // Per worker and step without driver state: the seed, this layer's step count and the batch
    // itself.
    dropoutKey = GptDropout.stepKey(conf().getSeed(), ++steps, input);
    setDropoutKey();
    LiveArraysSession.install(sameDiff.getFunction(GradientFunction.GRAD_FN));
    if (layerConf().labelsRequired() && labels == null) {
      throw new IllegalStateException("no labels set for the output layer's gradient");
    }
    Map<String, INDArray> placeholders = new HashMap<>();
    placeholders.put(INPUT_KEY, input);
    if (labels != null) placeholders.put(LABELS_KEY, labels);
    List<String> wrt = new ArrayList<>(paramTable.keySet());
    wrt.add(INPUT_KEY);
    // The loss comes out of the same pass as the gradients, so DL4J's score after backprop needs no
    // second forward pass (computeScore).
    OutAndGrad result =
        sameDiff.calculateGradientsAndOutputs(placeholders, List.of(outputKey), wrt);
    Gradient gradient = new DefaultGradient();
    for (String name : paramTable.keySet()) {
      INDArray computed = result.getGradients().get(name);
      INDArray view = gradTable.get(name);
      // Frozen parameters (GptTaskLayer): a zero gradient, which their NoOp updater turns into a
      // zero update.
      if (layerConf() instanceof GptTaskLayer task && task.isFrozen(name)) {
        view.assign(0);
      } else {
        view.assign(computed);
      }
      gradient.gradientForVariable().put(name, view);
      if (computed.closeable()) computed.close();
    }
    lossOfLastGradient = result.getOutputs().get(outputKey).getDouble(0);
    sameDiff.clearPlaceholders(true);
    sameDiff.clearOpInputs();
    return new Pair<>(gradient, result.getGradients().get(INPUT_KEY));
  }

  @Override
  public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
    lossOfLastGradient = Double.NaN; // a new input (a score, another batch): compute afresh
    super.setInput(input, workspaceMgr);
  }

  @Override
  public void setLabels(INDArray labels) {
    lossOfLastGradient = Double.NaN;
    super.setLabels(labels);
  }

  /**
   * A training score sees the masks of the last gradient computation (DL4J scores after backprop).
   */
  @Override
  public double computeScore(
      double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (training && !Double.isNaN(lossOfLastGradient)) {
      return (lossOfLastGradient + fullNetRegTerm) / input.size(0); // as DL4J's computeScore
    }
    if (!training) {
      INDArray loss = evaluate(true);
      return (loss.getDouble(0) + fullNetRegTerm) / input.size(0);
    }
    setDropoutKey();
    return super.computeScore(fullNetRegTerm, training, NO_WORKSPACES);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!training) return evaluate(false);
    setDropoutKey();
    return super.activate(training, NO_WORKSPACES);
  }

  private void setDropoutKey() {
    if (sameDiff == null) {
      try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        doInit();
      }
    }
    LiveArraysSession.install(sameDiff);
    // every layer lays k sequences side by side in a row of its input: N = B k, T = width / k
    long k = sequencesPerExample();
    GptDropout.setStep(
        dropoutKey,
        input.size(0) * k,
        input.size(1) / k,
        sameDiff,
        sameDiff.getFunction(GradientFunction.GRAD_FN));
  }

  private long sequencesPerExample() {
    var layer = layerConf();
    return layer instanceof GptTaskLayer task
        ? task.sequencesPerExample()
        : ((GptLmLayer) layer).sequencesPerExample(); // and GptDpoLayer
  }

  /** The evaluation graph's loss (with the labels) or its activations, as DL4J's would be. */
  private INDArray evaluate(boolean loss) {
    if (!loss && usesVectorForward()) {
      if (vectorForward == null)
        vectorForward = new VectorForward(((GptLmLayer) layerConf()).getConfig());
      return vectorForward.logits(input, paramTable);
    }
    SameDiff g = evaluationGraph();
    LiveArraysSession.install(g);
    Map<String, INDArray> placeholders = new HashMap<>();
    placeholders.put(INPUT_KEY, input);
    if (loss && labels != null) placeholders.put(LABELS_KEY, labels);
    // LM and DPO logits: the 2-D ones, reshaped here as a view instead of copied by the graph
    boolean flat = !loss && g.hasVariable(GptLmLayer.FLAT_LOGITS);
    INDArray out =
        g.outputSingle(placeholders, flat ? GptLmLayer.FLAT_LOGITS : loss ? evalLoss : evalOutput);
    g.clearPlaceholders(true);
    g.clearOpInputs();
    if (out.isAttached()) out = out.detach();
    return flat ? out.reshape('c', input.size(0), input.size(1), out.size(1)) : out;
  }

  /**
   * Language models (not DPO or task layers) in float32 infer through {@link VectorForward} when
   * the JVM has the Vector API.
   */
  private boolean usesVectorForward() {
    return vectorForwardAllowed
        && layerConf().getClass() == GptLmLayer.class
        && dataType == DataType.FLOAT
        && paramTable.values().stream().allMatch(p -> p.dataType() == DataType.FLOAT);
  }

  /**
   * Builds the evaluation graph as DL4J's doInit builds the training graph, from a copy of the
   * layer configuration whose GptConfig has dropout 0; the variables are the same parameter arrays.
   */
  private SameDiff evaluationGraph() {
    if (evalGraph != null) return evalGraph;
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      if (sameDiff == null) doInit();
      var layer = (org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer) layerConf();
      GptConfig config =
          layer instanceof GptTaskLayer task
              ? task.getConfig()
              : ((GptLmLayer) layer).getConfig(); // and GptDpoLayer
      if (!GptDropout.hasDropout(config)) {
        evalOutput = layer.activationsVertexName();
        evalLoss = outputKey;
        return evalGraph = sameDiff;
      }
      layer = (org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer) layer.clone();
      if (layer instanceof GptTaskLayer task) task.setConfig(GptDropout.withoutDropout(config));
      else ((GptLmLayer) layer).setConfig(GptDropout.withoutDropout(config));
      SameDiff g = SameDiff.create();
      g.setArrayHolders(new SingleThreadArrayHolder(), new SingleThreadArrayHolder(), false);
      long[] inputShape = sameDiff.getVariable(INPUT_KEY).placeholderShape();
      SDVariable in = g.placeHolder(INPUT_KEY, dataType, inputShape);
      SDVariable lab =
          sameDiff.hasVariable(LABELS_KEY)
              ? g.placeHolder(
                  LABELS_KEY, dataType, sameDiff.getVariable(LABELS_KEY).placeholderShape())
              : null;
      Map<String, SDVariable> w = new LinkedHashMap<>();
      for (Map.Entry<String, INDArray> e : paramTable.entrySet()) {
        w.put(e.getKey(), g.var(e.getKey(), dataType, e.getValue().shape()));
      }
      evalLoss = layer.defineLayer(g, in, lab, w).name();
      evalOutput = layer.activationsVertexName();
      for (Map.Entry<String, INDArray> e : paramTable.entrySet()) {
        g.associateArrayWithVariable(e.getValue(), g.getVariable(e.getKey()));
      }
      return evalGraph = g;
    }
  }

  /** Tests compare the two inference paths: false runs the eval graph. */
  void setVectorForwardAllowed(boolean allowed) {
    vectorForwardAllowed = allowed && VectorForward.AVAILABLE;
  }

  /**
   * Adds listeners to this layer's forward graph and its gradient graph (built by the first
   * gradient computation, so call this after one): benchmarks time every op with them. Inference
   * then runs the eval graph, whose ops they see, instead of {@link VectorForward}.
   */
  void addOpListeners(Listener... listeners) {
    if (sameDiff == null || sameDiff.getFunction(GradientFunction.GRAD_FN) == null) {
      throw new IllegalStateException("train one step before adding op listeners");
    }
    vectorForwardAllowed = false;
    sameDiff.addListeners(listeners);
    sameDiff.getFunction(GradientFunction.GRAD_FN).addListeners(listeners);
    if (evaluationGraph() != sameDiff) evalGraph.addListeners(listeners);
  }
}
