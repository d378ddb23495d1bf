package io.github.sparkgpt.model;

import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.PropertyAccessor;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * Shape and regularisation of a GPT decoder. Mutable bean with fluent setters (bound from
 * snake_case config keys by the jobs module), {@link #validate()} before use, JSON via {@link
 * #toJson()} / {@link #fromJson}.
 *
 * <p>Defaults are GPT-1's (Radford et al. 2018) except the vocabulary, which comes from the
 * tokenizer.
 */
public final class GptConfig {

  /**
   * Where layer norm sits: after each residual add (GPT-1, OpenAI-GPT) or before each sub-block
   * (GPT-2).
   */
  public enum LayerNorm {
    POST,
    PRE
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // JSON keys are the field names; accessors are for code and config binding
          .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
          .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);

  private int vocabSize = 40478;
  private int contextLength = 512;
  private int layers = 12;
  private int dModel = 768;
  private int heads = 12;
  private int ffnSize = 3072;
  private double embeddingDropout = 0.1;
  private double attentionDropout = 0.1;
  private double residualDropout = 0.1;
  private LayerNorm layerNorm = LayerNorm.POST;
  private boolean tiedEmbeddings = true;
  private double initStd = 0.02;

  public GptConfig() {}

  /**
   * GPT-1: 12 x 768, 12 heads, FFN 3072, context 512, post-LN, BPE vocabulary of 40,478 (~116.5M
   * params).
   */
  public static GptConfig gpt1() {
    return new GptConfig();
  }

  /**
   * Trains usefully on 2 CPU cores in minutes: 4 x 256, 4 heads, context 128, pre-LN (4,240,896
   * params at V=4096). No dropout: the demo's numbers were measured without it (dropout works, see
   * {@link GptDropout}).
   */
  public static GptConfig small() {
    return new GptConfig()
        .setVocabSize(4096)
        .setContextLength(128)
        .setLayers(4)
        .setDModel(256)
        .setHeads(4)
        .setFfnSize(1024)
        .setLayerNorm("pre")
        .setDropout(0.0);
  }

  /** For tests: 2 x 32, 2 heads, context 16, vocabulary 64, no dropout. */
  public static GptConfig tiny() {
    return new GptConfig()
        .setVocabSize(64)
        .setContextLength(16)
        .setLayers(2)
        .setDModel(32)
        .setHeads(2)
        .setFfnSize(128)
        .setLayerNorm("pre")
        .setDropout(0.0);
  }

  /** Preset by name: {@code tiny}, {@code small}, {@code gpt1}. */
  public static GptConfig preset(String name) {
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "tiny":
        return tiny();
      case "small":
        return small();
      case "gpt1":
        return gpt1();
      default:
        throw new IllegalArgumentException(
            "Unknown model preset '" + name + "': use tiny, small or gpt1");
    }
  }

  /** Checks every field; the message says what to change. Returns this for chaining. */
  public GptConfig validate() {
    require(vocabSize >= 2, "vocab_size must be >= 2, got " + vocabSize);
    require(contextLength >= 1, "context_length must be >= 1, got " + contextLength);
    require(layers >= 1, "layers must be >= 1, got " + layers);
    require(heads >= 1 && dModel >= 1, "d_model and heads must be >= 1");
    require(
        dModel % heads == 0, "d_model (" + dModel + ") must be divisible by heads (" + heads + ")");
    require(ffnSize >= 1, "ffn_size must be >= 1, got " + ffnSize);
    for (double p : new double[] {embeddingDropout, attentionDropout, residualDropout}) {
      require(p >= 0 && p < 1, "dropout probabilities must be in [0, 1), got " + p);
    }
    require(initStd > 0, "init_std must be > 0");
    require(layerNorm != null, "layer_norm must be 'pre' or 'post'");
    return this;
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException("Invalid model config: " + message);
  }

  /**
   * Trainable parameters: token + position embeddings, per layer fused QKV, output projection,
   * two-layer MLP (all with biases) and two layer norms, a final layer norm for pre-LN, and an LM
   * head matrix if untied. GPT-1 (V=40478): 116,534,784.
   */
  @JsonIgnore
  public long parameterCount() {
    long d = dModel;
    long perLayer =
        (d * 3 * d + 3 * d)
            + (d * d + d)
            + (d * ffnSize + ffnSize)
            + ((long) ffnSize * d + d)
            + 4 * d;
    long n = (long) vocabSize * d + (long) contextLength * d + layers * perLayer;
    if (layerNorm == LayerNorm.PRE) n += 2 * d;
    if (!tiedEmbeddings) n += (long) vocabSize * d;
    return n;
  }

  /**
   * Training FLOPs per token, 6N + 12 L d T (Kaplan et al.; N without embeddings is the strict
   * form, we use all N).
   */
  @JsonIgnore
  public double trainingFlopsPerToken() {
    return 6.0 * parameterCount() + 12.0 * layers * dModel * contextLength;
  }

  @JsonIgnore
  public int headSize() {
    return dModel / heads;
  }

  public GptConfig setDropout(double p) {
    return setEmbeddingDropout(p).setAttentionDropout(p).setResidualDropout(p);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static GptConfig fromJson(String json) {
    try {
      return JSON.readValue(json, GptConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not a model config JSON: " + e.getOriginalMessage(), e);
    }
  }

  public GptConfig copy() {
    return fromJson(toJson());
  }

  // ---- bean accessors (fluent setters) ----
  public int getVocabSize() {
    return vocabSize;
  }

  public GptConfig setVocabSize(int v) {
    vocabSize = v;
    return this;
  }

  public int getContextLength() {
    return contextLength;
  }

  public GptConfig setContextLength(int v) {
    contextLength = v;
    return this;
  }

  public int getLayers() {
    return layers;
  }

  public GptConfig setLayers(int v) {
    layers = v;
    return this;
  }

  public int getDModel() {
    return dModel;
  }

  public GptConfig setDModel(int v) {
    dModel = v;
    return this;
  }

  public int getHeads() {
    return heads;
  }

  public GptConfig setHeads(int v) {
    heads = v;
    return this;
  }

  public int getFfnSize() {
    return ffnSize;
  }

  public GptConfig setFfnSize(int v) {
    ffnSize = v;
    return this;
  }

  public double getEmbeddingDropout() {
    return embeddingDropout;
  }

  public GptConfig setEmbeddingDropout(double v) {
    embeddingDropout = v;
    return this;
  }

  public double getAttentionDropout() {
    return attentionDropout;
  }

  public GptConfig setAttentionDropout(double v) {
    attentionDropout = v;
    return this;
  }

  public double getResidualDropout() {
    return residualDropout;
  }

  public GptConfig setResidualDropout(double v) {
    residualDropout = v;
    return this;
  }

  public LayerNorm getLayerNorm() {
    return layerNorm;
  }

  /** {@code "pre"} (GPT-2) or {@code "post"} (GPT-1). */
  public GptConfig setLayerNorm(String v) {
    try {
      layerNorm = LayerNorm.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("layer_norm must be 'pre' or 'post', got '" + v + "'");
    }
    return this;
  }

  @JsonIgnore
  public boolean isPreLayerNorm() {
    return layerNorm == LayerNorm.PRE;
  }

  public boolean isTiedEmbeddings() {
    return tiedEmbeddings;
  }

  public GptConfig setTiedEmbeddings(boolean v) {
    tiedEmbeddings = v;
    return this;
  }

  public double getInitStd() {
    return initStd;
  }

  public GptConfig setInitStd(double v) {
    initStd = v;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GptConfig && toJson().equals(((GptConfig) o).toJson());
  }

  @Override
  public int hashCode() {
    return Objects.hash(toJson());
  }

  @Override
  public String toString() {
    return "GptConfig" + toJson().replaceAll("\\s+", " ");
  }
}
