package io.github.sparkgpt.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Builds a checkpoint from a Hugging Face directory in the layouts {@link HuggingFaceExporter}
 * writes: GPT-2 ({@code model_type gpt2}, pre-LN) and OpenAI-GPT ({@code openai-gpt}, post-LN):
 * {@code config.json} and {@code model.safetensors} (float32), read with {@link SafeTensors}'
 * checked reader. Nothing is Java-deserialized: the network is built from the config and the
 * tensors are copied in by name.
 *
 * <p>Every tensor's name and shape is checked against the config before any data is read; tensor
 * names may lack the {@code transformer.} prefix (as on the Hub), and GPT-2's attention-mask
 * buffers ({@code attn.bias}, {@code attn.masked_bias}) are skipped and counted.
 */
public final class HuggingFaceImporter {

  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";

  /**
   * The imported network's updater (GPT-1's Adam rate); fine-tuning and pretraining set their own.
   */
  public static final double LEARNING_RATE = 2.5e-4;

  public static final long SEED = 42;
  private static final ObjectMapper JSON = new ObjectMapper();

  private HuggingFaceImporter() {}

  /** What an import built, and what it skipped. */
  public record Result(
      ComputationGraph network,
      GptConfig config,
      int tensors,
      List<String> skippedBuffers,
      List<String> notes) {}

  /** Reads {@code dir}'s config.json and model.safetensors into a new network. */
  public static Result importFrom(Path dir) throws IOException {
    Path configFile = dir.resolve(CONFIG), weights = dir.resolve(WEIGHTS);
    for (Path f : List.of(configFile, weights)) {
      if (!Files.isRegularFile(f)) throw new IOException(dir + " has no " + f.getFileName());
    }
    if (Files.size(configFile) > Checkpoint.MAX_JSON_BYTES) {
      throw new IOException(configFile + " is larger than " + Checkpoint.MAX_JSON_BYTES + " bytes");
    }
    List<String> notes = new java.util.ArrayList<>();
    GptConfig c = config(JSON.readTree(configFile.toFile()), configFile, notes);
    Map<String, String> names = HuggingFaceExporter.parameterNames(c);
    // before allocating the network: a config naming more parameters than the file holds is refused
    // here
    if (c.parameterCount() > (Files.size(weights) - 8) / 4) {
      throw new IOException(
          configFile
              + " describes "
              + c.parameterCount()
              + " parameters but "
              + WEIGHTS
              + " has only "
              + Files.size(weights)
              + " bytes");
    }
    ComputationGraph net = GptModel.create(c, new Adam(LEARNING_RATE), SEED, DataType.FLOAT);
    org.deeplearning4j.nn.api.Layer layer = net.getLayer(GptModel.OUTPUT);

    Map<String, SafeTensors.TensorInfo> header = SafeTensors.header(weights);
    Map<String, String> fileName = new LinkedHashMap<>(); // our HF name -> name in the file
    List<String> skipped = new java.util.ArrayList<>();
    for (Map.Entry<String, SafeTensors.TensorInfo> e : header.entrySet()) {
      String name = e.getKey();
      String canonical =
          name.startsWith("transformer.") || name.equals("lm_head.weight")
              ? name
              : "transformer." + name;
      if (c.isPreLayerNorm()
          && (canonical.matches("transformer\\.h\\.\\d+\\.attn\\.(masked_)?bias"))) {
        skipped.add(name);
        continue;
      }
      if (!names.containsKey(canonical)) {
        throw new IOException(weights + ": unexpected tensor " + name + " for a " + describe(c));
      }
      if (fileName.put(canonical, name) != null)
        throw new IOException(weights + ": tensor " + canonical + " occurs twice");
      long[] expected = expectedShape(canonical, layer.getParam(names.get(canonical)));
      if (!Arrays.equals(expected, e.getValue().shape())) {
        throw new IOException(
            weights
                + ": tensor "
                + name
                + " has shape "
                + Arrays.toString(e.getValue().shape())
                + " but config.json implies "
                + Arrays.toString(expected));
      }
    }
    for (String n : names.keySet()) {
      if (!fileName.containsKey(n))
        throw new IOException(weights + ": missing tensor " + n + " for a " + describe(c));
    }
    Map<String, INDArray> tensors = SafeTensors.read(weights);
    for (Map.Entry<String, String> e : names.entrySet()) {
      INDArray dst = layer.getParam(e.getValue());
      dst.assign(tensors.get(fileName.get(e.getKey())).reshape(dst.shape()));
    }
    return new Result(net, c, names.size(), skipped, notes);
  }

  private static long[] expectedShape(String hfName, INDArray ours) {
    return HuggingFaceExporter.isVector(hfName) ? new long[] {ours.length()} : ours.shape();
  }

  private static String describe(GptConfig c) {
    return (c.isPreLayerNorm() ? "GPT-2" : "OpenAI-GPT")
        + " model with "
        + c.getLayers()
        + " layers"
        + (c.isTiedEmbeddings() ? " and a tied LM head" : " and an untied LM head");
  }

  /**
   * Our config from a Hugging Face config.json; refuses what our decoder cannot compute the same
   * way.
   */
  static GptConfig config(JsonNode j, Path file, List<String> notes) throws IOException {
    String type = j.path("model_type").asText("");
    boolean gpt2 = type.equals("gpt2");
    if (!gpt2 && !type.equals("openai-gpt")) {
      throw new IOException(file + ": model_type '" + type + "' is not gpt2 or openai-gpt");
    }
    int d = positiveInt(j, "n_embd", file);
    GptConfig c =
        new GptConfig()
            .setVocabSize(positiveInt(j, "vocab_size", file))
            .setContextLength(positiveInt(j, "n_positions", file))
            .setLayers(positiveInt(j, "n_layer", file))
            .setDModel(d)
            .setHeads(positiveInt(j, "n_head", file))
            .setEmbeddingDropout(j.path("embd_pdrop").asDouble(0.1))
            .setAttentionDropout(j.path("attn_pdrop").asDouble(0.1))
            .setResidualDropout(j.path("resid_pdrop").asDouble(0.1))
            .setInitStd(j.path("initializer_range").asDouble(0.02))
            .setTiedEmbeddings(j.path("tie_word_embeddings").asBoolean(true))
            .setLayerNorm(gpt2 ? "pre" : "post");
    if (gpt2) {
      c.setFfnSize(j.hasNonNull("n_inner") ? positiveInt(j, "n_inner", file) : 4 * d);
      require(
          j.path("activation_function").asText("gelu_new"),
          "gelu_new",
          "activation_function",
          file);
      if (!j.path("scale_attn_weights").asBoolean(true)
          || j.path("scale_attn_by_inverse_layer_idx").asBoolean(false)) {
        throw new IOException(
            file + ": attention scaling other than 1/sqrt(head size) is not supported");
      }
      if (j.has("n_ctx") && j.path("n_ctx").asInt() != c.getContextLength()) {
        throw new IOException(
            file + ": n_ctx " + j.path("n_ctx") + " != n_positions " + c.getContextLength());
      }
    } else {
      c.setFfnSize(4 * d);
      require(j.path("afn").asText("gelu"), "gelu", "afn", file);
    }
    double eps = j.path("layer_norm_epsilon").asDouble(0);
    if (eps != 0) {
      notes.add(
          "layer_norm_epsilon "
              + eps
              + " is not applied (this model's layer norm has none): outputs differ slightly");
    }
    try {
      c.validate();
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    return c;
  }

  private static void require(String actual, String expected, String key, Path file)
      throws IOException {
    if (!actual.equals(expected)) {
      throw new IOException(
          file
              + ": "
              + key
              + " '"
              + actual
              + "' is not supported (this decoder computes "
              + expected
              + ")");
    }
  }

  private static int positiveInt(JsonNode j, String key, Path file) throws IOException {
    JsonNode v = j.path(key);
    if (!v.isInt() || v.asInt() <= 0)
      throw new IOException(file + ": " + key + " must be a positive integer, not " + v);
    return v.asInt();
  }
}
