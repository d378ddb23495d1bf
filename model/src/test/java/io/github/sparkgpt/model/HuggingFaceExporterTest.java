package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class HuggingFaceExporterTest {

  private static final byte[] TOK = "{}".getBytes(StandardCharsets.UTF_8);

  @Test
  void gpt2ExportHasTheExpectedTensorNamesShapesAndValues(@TempDir Path dir) throws IOException {
    ComputationGraph net =
        GptModel.create(GptConfig.tiny(), 1e-3, 3); // pre-LN, 2 x 32, V=64, T=16, FFN 128
    HuggingFaceExporter.export(new Checkpoint(net, TOK, 64, null), dir);
    Map<String, INDArray> t = SafeTensors.read(dir.resolve("model.safetensors"));
    assertEquals(2 + 2 * 12 + 2, t.size());
    assertArrayEquals(new long[] {64, 32}, t.get("transformer.wte.weight").shape());
    assertArrayEquals(new long[] {16, 32}, t.get("transformer.wpe.weight").shape());
    assertArrayEquals(new long[] {32, 96}, t.get("transformer.h.1.attn.c_attn.weight").shape());
    assertArrayEquals(new long[] {96}, t.get("transformer.h.1.attn.c_attn.bias").shape());
    assertArrayEquals(new long[] {32, 128}, t.get("transformer.h.0.mlp.c_fc.weight").shape());
    assertArrayEquals(new long[] {128, 32}, t.get("transformer.h.0.mlp.c_proj.weight").shape());
    assertArrayEquals(new long[] {32}, t.get("transformer.ln_f.weight").shape());
    assertFalse(t.containsKey("lm_head.weight"), "tied head is not stored");
    Map<String, INDArray> p = net.getLayer(GptModel.OUTPUT).paramTable();
    assertEquals(p.get("wte"), t.get("transformer.wte.weight"));
    assertEquals(p.get("h1attnW"), t.get("transformer.h.1.attn.c_attn.weight"));
    JsonNode cfg = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
    assertEquals("gpt2", cfg.path("model_type").asText());
    assertEquals(128, cfg.path("n_inner").asInt());
    assertEquals("gelu_new", cfg.path("activation_function").asText());
    assertArrayEquals(TOK, Files.readAllBytes(dir.resolve("tokenizer.json")));
  }

  @Test
  void postLnExportsAsOpenAiGptAndNeedsFourTimesWidthMlp(@TempDir Path dir) throws IOException {
    ComputationGraph net = GptModel.create(GptConfig.tiny().setLayerNorm("post"), 1e-3, 3);
    Map<String, INDArray> t = HuggingFaceExporter.export(new Checkpoint(net, TOK, 64, null), dir);
    assertTrue(
        t.keySet()
            .containsAll(
                List.of(
                    "transformer.tokens_embed.weight",
                    "transformer.positions_embed.weight",
                    "transformer.h.0.ln_1.weight",
                    "transformer.h.1.mlp.c_proj.bias")));
    assertFalse(t.containsKey("transformer.ln_f.weight"));
    assertEquals(
        "openai-gpt",
        new ObjectMapper()
            .readTree(dir.resolve("config.json").toFile())
            .path("model_type")
            .asText());

    ComputationGraph wide =
        GptModel.create(GptConfig.tiny().setLayerNorm("post").setFfnSize(100), 1e-3, 3);
    assertThrows(
        IllegalArgumentException.class,
        () -> HuggingFaceExporter.export(new Checkpoint(wide, TOK, 64, null), dir));
  }
}
