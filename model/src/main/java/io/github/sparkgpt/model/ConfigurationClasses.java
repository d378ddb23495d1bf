package io.github.sparkgpt.model;

import io.github.sparkgpt.model.train.RoundAdam;
import io.github.sparkgpt.model.train.WarmupCosineSchedule;
import io.github.sparkgpt.model.train.WarmupLinearSchedule;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.TextNode;

/**
 * The Java classes a network configuration JSON (DL4J's {@code configuration.json}) may name. DL4J
 * instantiates whatever class a {@code "@class"} field names; only the ones this project's graphs
 * use are allowed, and the names older checkpoints used for classes that have since moved ({@link
 * #MOVED}) are read as the new ones.
 */
public final class ConfigurationClasses {

  /**
   * Every {@code @class} value our language and task networks carry (see CheckpointTest for the
   * JSON).
   */
  public static final Set<String> ALLOWED =
      Set.of(
          "org.deeplearning4j.nn.conf.graph.LayerVertex",
          GptLmLayer.class.getName(),
          GptTaskLayer.class.getName(),
          "org.nd4j.linalg.learning.config.Adam",
          "org.nd4j.linalg.learning.regularization.WeightDecay",
          "org.nd4j.linalg.schedule.FixedSchedule",
          RoundAdam.class.getName(),
          WarmupCosineSchedule.class.getName(),
          WarmupLinearSchedule.class.getName());

  /**
   * Old name -> current class, for checkpoints written before the optimiser and schedules moved
   * from the jobs module into this one (their model.zip names the jobs classes).
   */
  public static final Map<String, String> MOVED =
      Map.of(
          "io.github.sparkgpt.jobs.pretrain.RoundAdam", RoundAdam.class.getName(),
          "io.github.sparkgpt.jobs.pretrain.WarmupCosineSchedule",
              WarmupCosineSchedule.class.getName(),
          "io.github.sparkgpt.jobs.finetune.WarmupLinearSchedule",
              WarmupLinearSchedule.class.getName());

  /**
   * Fields DL4J reads polymorphically. A non-null object there without {@code @class} would be
   * resolved by DL4J's legacy name-based formats, so it is refused too.
   */
  static final Set<String> TYPED_FIELDS =
      Set.of(
          "layer",
          "updater",
          "biasUpdater",
          "learningRateSchedule",
          "preProcessor",
          "activationFn",
          "activationFunction",
          "weightInitFn",
          "idropout",
          "weightNoise",
          "constraints",
          "regularization",
          "regularizationBias",
          "coeff",
          "stepFunction",
          "dist",
          "lossFn",
          "schedule");

  // a duplicate key would let the tree (last value) and DL4J's type resolution (first value) see
  // different classes
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private ConfigurationClasses() {}

  /**
   * Refuses, naming the JSON path, any type field that is not {@code @class} with an allowed value;
   * returns the configuration to hand to DL4J, with {@link #MOVED} names replaced (the JSON
   * unchanged when there are none).
   */
  public static String check(String json) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json); // a plain tree: nothing is instantiated
    } catch (IOException e) {
      throw new IOException(
          "configuration.json is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
    return check(root, "$", false) ? JSON.writeValueAsString(root) : json;
  }

  /** True when a moved class name was replaced in {@code node}. */
  private static boolean check(JsonNode node, String path, boolean typed) throws IOException {
    boolean renamed = false;
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++)
        renamed |= check(node.get(i), path + "[" + i + "]", typed);
      return renamed;
    }
    if (!node.isObject()) return false;
    if (typed && !node.has("@class")) {
      throw new IOException(
          "configuration.json: " + path + " names no @class (legacy or unknown type format)");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (key.equals("@class")) {
        String cls = e.getValue().asText();
        if (e.getValue().isTextual() && MOVED.containsKey(cls)) {
          cls = MOVED.get(cls);
          e.setValue(TextNode.valueOf(cls)); // replaces a value: the iteration goes on
          renamed = true;
        }
        if (!e.getValue().isTextual() || !ALLOWED.contains(cls)) {
          throw new IOException(
              "configuration.json: "
                  + path
                  + " names class "
                  + e.getValue()
                  + ", which this project does not use");
        }
      } else if (key.startsWith("@")) {
        throw new IOException(
            "configuration.json: "
                + path
                + " has type field "
                + key
                + ", which this project does not use");
      } else if (key.equals("vertices") && e.getValue().isObject()) {
        // graph vertices by name: each one is polymorphic
        for (Iterator<Map.Entry<String, JsonNode>> v = e.getValue().fields(); v.hasNext(); ) {
          Map.Entry<String, JsonNode> vertex = v.next();
          renamed |= check(vertex.getValue(), path + ".vertices." + vertex.getKey(), true);
        }
      } else {
        renamed |= check(e.getValue(), path + "." + key, TYPED_FIELDS.contains(key));
      }
    }
    return renamed;
  }
}
