package io.github.sparkgpt.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Exports a checkpoint to the Hugging Face layout of the matching architecture: GPT-2 ({@code
 * GPT2LMHeadModel}) for pre-LN, OpenAI-GPT ({@code OpenAIGPTLMHeadModel}) for post-LN. Writes
 * {@code config.json}, {@code model.safetensors} (float32) and {@code tokenizer.json}.
 *
 * <p>Our weights are already in Hugging Face's Conv1D layout ([in, out], QKV fused q|k|v), so
 * tensors are copied as they are; only names change. The tanh GELU is {@code gelu_new} (GPT-2) /
 * {@code gelu} (OpenAI-GPT, which maps it to the tanh form). The decoder's layer norm has no
 * epsilon, so {@code layer_norm_epsilon} is 0.
 */
public final class HuggingFaceExporter {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * config.json key naming the digest of the checkpoint that was exported (when it was loaded or
   * saved).
   */
  public static final String CHECKPOINT_SHA256 = "sparkgpt_checkpoint_sha256";

  private HuggingFaceExporter() {}

  /**
   * Writes the export into {@code dir}; returns the tensor map that was written (name -> array).
   */
  public static Map<String, INDArray> export(Checkpoint checkpoint, Path dir) throws IOException {
    GptConfig c = checkpoint.config();
    if (!c.isPreLayerNorm() && c.getFfnSize() != 4 * c.getDModel()) {
      throw new IllegalArgumentException(
          "OpenAI-GPT (post-LN) fixes the MLP at 4 x d_model = "
              + 4 * c.getDModel()
              + " but ffn_size is "
              + c.getFfnSize()
              + ": no Hugging Face architecture matches this model");
    }
    Files.createDirectories(dir);
    Map<String, INDArray> tensors = tensors(checkpoint.network(), c);
    SafeTensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
    ObjectNode cfg = config(c);
    // lineage: which checkpoint these weights are (Hugging Face keeps unknown config keys as
    // attributes)
    if (checkpoint.digest() != null) cfg.put(CHECKPOINT_SHA256, checkpoint.digest());
    Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(cfg));
    Files.write(dir.resolve("tokenizer.json"), checkpoint.tokenizer());
    return tensors;
  }

  /** Hugging Face tensor names for our parameters. */
  static Map<String, INDArray> tensors(ComputationGraph net, GptConfig c) {
    Map<String, INDArray> p = net.getLayer(GptModel.OUTPUT).paramTable();
    Map<String, INDArray> t = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : parameterNames(c).entrySet()) {
      INDArray a = p.get(e.getValue());
      t.put(e.getKey(), isVector(e.getKey()) ? flat(a) : a); // biases and gains [1, n] -> [n]
    }
    return t;
  }

  /**
   * Hugging Face tensor name -> our parameter name, in the order the export writes them. The layout
   * of the architecture {@link #config} names: GPT-2 for pre-LN, OpenAI-GPT for post-LN.
   */
  public static Map<String, String> parameterNames(GptConfig c) {
    boolean gpt2 = c.isPreLayerNorm();
    Map<String, String> t = new LinkedHashMap<>();
    t.put(gpt2 ? "transformer.wte.weight" : "transformer.tokens_embed.weight", GptGraph.WTE);
    t.put(gpt2 ? "transformer.wpe.weight" : "transformer.positions_embed.weight", GptGraph.WPE);
    for (int i = 0; i < c.getLayers(); i++) {
      String h = "transformer.h." + i + ".";
      t.put(h + "ln_1.weight", GptGraph.p(i, "ln1G"));
      t.put(h + "ln_1.bias", GptGraph.p(i, "ln1B"));
      t.put(h + "attn.c_attn.weight", GptGraph.p(i, "attnW"));
      t.put(h + "attn.c_attn.bias", GptGraph.p(i, "attnB"));
      t.put(h + "attn.c_proj.weight", GptGraph.p(i, "projW"));
      t.put(h + "attn.c_proj.bias", GptGraph.p(i, "projB"));
      t.put(h + "ln_2.weight", GptGraph.p(i, "ln2G"));
      t.put(h + "ln_2.bias", GptGraph.p(i, "ln2B"));
      t.put(h + "mlp.c_fc.weight", GptGraph.p(i, "fcW"));
      t.put(h + "mlp.c_fc.bias", GptGraph.p(i, "fcB"));
      t.put(h + "mlp.c_proj.weight", GptGraph.p(i, "outW"));
      t.put(h + "mlp.c_proj.bias", GptGraph.p(i, "outB"));
    }
    if (gpt2) {
      t.put("transformer.ln_f.weight", GptGraph.LNF_G);
      t.put("transformer.ln_f.bias", GptGraph.LNF_B);
    }
    if (!c.isTiedEmbeddings()) t.put("lm_head.weight", GptGraph.LM_HEAD);
    return t;
  }

  /** Biases and layer-norm gains: [n] in Hugging Face's layout, [1, n] in ours. */
  static boolean isVector(String hfName) {
    return hfName.endsWith(".bias") || hfName.contains(".ln_");
  }

  private static INDArray flat(INDArray a) {
    return a.reshape(a.length());
  }

  static ObjectNode config(GptConfig c) {
    ObjectNode j = JSON.createObjectNode();
    if (c.isPreLayerNorm()) {
      j.putArray("architectures").add("GPT2LMHeadModel");
      j.put("model_type", "gpt2");
      j.put("n_inner", c.getFfnSize());
      j.put("activation_function", "gelu_new");
      j.put("n_ctx", c.getContextLength());
      j.put("scale_attn_weights", true);
    } else {
      j.putArray("architectures").add("OpenAIGPTLMHeadModel");
      j.put("model_type", "openai-gpt");
      j.put("afn", "gelu");
    }
    j.put("vocab_size", c.getVocabSize());
    j.put("n_positions", c.getContextLength());
    j.put("n_embd", c.getDModel());
    j.put("n_layer", c.getLayers());
    j.put("n_head", c.getHeads());
    j.put("embd_pdrop", c.getEmbeddingDropout());
    j.put("attn_pdrop", c.getAttentionDropout());
    j.put("resid_pdrop", c.getResidualDropout());
    j.put("layer_norm_epsilon", 0.0);
    j.put("initializer_range", c.getInitStd());
    j.put("tie_word_embeddings", c.isTiedEmbeddings());
    return j;
  }
}
