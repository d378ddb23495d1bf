package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

class HuggingFaceImporterTest {

  private static final byte[] TOK = "{}".getBytes(StandardCharsets.UTF_8);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static INDArray features() {
    return GptBatch.fromSequences(new int[][] {{1, 2, 3, 4, 5, 6, 7}, {9, 8, 7, 6}}, 16)
        .getFeatures();
  }

  private static ComputationGraph trained(GptConfig c) {
    ComputationGraph net = GptModel.create(c, 1e-2, 11);
    for (int i = 0; i < 2; i++)
      net.fit(GptBatch.fromSequences(new int[][] {{1, 2, 3, 4, 5, 6}, {9, 8, 7, 6}}, 16));
    return net;
  }

  @Test
  void exportThenImportGivesIdenticalLogitsForBothLayerNormPlacements(@TempDir Path dir)
      throws IOException {
    for (GptConfig c :
        new GptConfig[] {
          GptConfig.tiny(),
          GptConfig.tiny().setLayerNorm("post"),
          GptConfig.tiny().setTiedEmbeddings(false)
        }) {
      ComputationGraph net = trained(c);
      Path hf = dir.resolve("hf-" + c.getLayerNorm() + "-" + c.isTiedEmbeddings());
      HuggingFaceExporter.export(new Checkpoint(net, TOK, 64, null), hf);
      HuggingFaceImporter.Result r = HuggingFaceImporter.importFrom(hf);
      assertEquals(c, r.config());
      assertEquals(
          net.outputSingle(features()), r.network().outputSingle(features()), c.toString());
      assertTrue(r.notes().isEmpty(), r.notes().toString());
    }
  }

  @Test
  void hubNamesWithoutPrefixAndAttentionBuffersAreAccepted(@TempDir Path dir) throws IOException {
    ComputationGraph net = trained(GptConfig.tiny());
    Map<String, INDArray> exported =
        HuggingFaceExporter.export(new Checkpoint(net, TOK, 64, null), dir);
    Map<String, INDArray> hub = new LinkedHashMap<>();
    exported.forEach((k, v) -> hub.put(k.substring("transformer.".length()), v));
    hub.put("h.0.attn.bias", org.nd4j.linalg.factory.Nd4j.ones(1, 1, 16, 16));
    SafeTensors.write(dir.resolve("model.safetensors"), hub, Map.of());
    HuggingFaceImporter.Result r = HuggingFaceImporter.importFrom(dir);
    assertEquals(java.util.List.of("h.0.attn.bias"), r.skippedBuffers());
    assertEquals(net.outputSingle(features()), r.network().outputSingle(features()));
  }

  private static Path export(Path dir) throws IOException {
    HuggingFaceExporter.export(
        new Checkpoint(GptModel.create(GptConfig.tiny(), 1e-3, 3), TOK, 64, null), dir);
    return dir;
  }

  private static String refusal(Path dir) {
    return assertThrows(IOException.class, () -> HuggingFaceImporter.importFrom(dir)).getMessage();
  }

  @Test
  void tensorsThatDoNotFitTheConfigAreRefusedInOneLine(@TempDir Path tmp) throws IOException {
    // a tensor missing
    Path missing = export(tmp.resolve("missing"));
    Map<String, INDArray> t = SafeTensors.read(missing.resolve("model.safetensors"));
    t.remove("transformer.h.1.mlp.c_fc.bias");
    SafeTensors.write(missing.resolve("model.safetensors"), t, Map.of());
    assertEquals(
        missing.resolve("model.safetensors")
            + ": missing tensor transformer.h.1.mlp.c_fc.bias for a GPT-2 "
            + "model with 2 layers and a tied LM head",
        refusal(missing));

    // a shape that disagrees with config.json (consistent with its own offsets)
    Path shape = export(tmp.resolve("shape"));
    t = SafeTensors.read(shape.resolve("model.safetensors"));
    t.put("transformer.wpe.weight", t.get("transformer.wpe.weight").reshape(32, 16));
    SafeTensors.write(shape.resolve("model.safetensors"), t, Map.of());
    assertEquals(
        shape.resolve("model.safetensors")
            + ": tensor transformer.wpe.weight has shape [32, 16] but config.json "
            + "implies [16, 32]",
        refusal(shape));

    // an extra tensor
    Path extra = export(tmp.resolve("extra"));
    t = SafeTensors.read(extra.resolve("model.safetensors"));
    t.put("transformer.h.2.ln_1.weight", t.get("transformer.h.1.ln_1.weight"));
    SafeTensors.write(extra.resolve("model.safetensors"), t, Map.of());
    assertTrue(refusal(extra).contains("unexpected tensor transformer.h.2.ln_1.weight"));

    // config.json that names another architecture or more parameters than the file has
    Path arch = export(tmp.resolve("arch"));
    ObjectNode cfg = (ObjectNode) JSON.readTree(arch.resolve("config.json").toFile());
    cfg.put("activation_function", "relu");
    Files.writeString(arch.resolve("config.json"), JSON.writeValueAsString(cfg));
    assertTrue(
        refusal(arch)
            .endsWith(
                "activation_function 'relu' is not supported (this decoder computes gelu_new)"));
    cfg.put("activation_function", "gelu_new").put("n_layer", 100000);
    Files.writeString(arch.resolve("config.json"), JSON.writeValueAsString(cfg));
    assertTrue(refusal(arch).contains("describes"), refusal(arch));
  }
}
