package io.github.sparkgpt.model;

import java.io.IOException;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * What a checkpoint's network is: a language model ({@link GptModel}) or a task model ({@link
 * GptTaskModel}) with its {@link TaskHead}. Recorded in checkpoint.json as {@code "kind":
 * "language_model" | "task_model"} and, for a task model, {@code "task": {"type", "head",
 * "outputs"}}.
 *
 * @param task the head of a task model; null for a language model
 */
public record ModelKind(TaskHead task) {

  public static final ModelKind LANGUAGE_MODEL = new ModelKind(null);
  static final String LANGUAGE = "language_model";
  static final String TASK = "task_model";

  public boolean isLanguageModel() {
    return task == null;
  }

  /** From the network: a task network has the task output layer, a language model the LM one. */
  public static ModelKind of(ComputationGraph net) {
    if (net.getConfiguration().getVertices().containsKey(GptTaskModel.OUTPUT)) {
      return new ModelKind(TaskHead.of(GptTaskModel.layerOf(net)));
    }
    GptModel.configOf(net); // refuses a network that is neither
    return LANGUAGE_MODEL;
  }

  /** E.g. "language model", "task model (classification, classify head, 2 outputs)". */
  public String describe() {
    return isLanguageModel() ? "language model" : "task model (" + task.describe() + ")";
  }

  void write(ObjectNode meta) {
    meta.put("kind", isLanguageModel() ? LANGUAGE : TASK);
    if (task != null) {
      meta.putObject("task")
          .put("type", task.task())
          .put("head", task.mode().name().toLowerCase(Locale.ROOT))
          .put("outputs", task.outputs());
    }
  }

  /**
   * The kind checkpoint.json records, or null when it records none (written before kinds were
   * recorded).
   */
  static ModelKind read(JsonNode meta) throws IOException {
    if (!meta.has("kind")) return null;
    String kind = meta.path("kind").asText();
    if (kind.equals(LANGUAGE)) return LANGUAGE_MODEL;
    if (!kind.equals(TASK))
      throw new IOException("unknown checkpoint kind '" + kind + "': " + LANGUAGE + " or " + TASK);
    JsonNode t = meta.path("task");
    try {
      return new ModelKind(
          new TaskHead(
              t.path("type").isTextual() ? t.path("type").asText() : null,
              GptTaskLayer.Mode.valueOf(t.path("head").asText().toUpperCase(Locale.ROOT)),
              t.path("outputs").asInt()));
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "checkpoint.json's task " + t + " is not a task head: " + e.getMessage(), e);
    }
  }
}
