package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

class GptConfigTest {

  @Test
  void gpt1ParameterCountMatchesThePaperFormula() {
    // embeddings 40478x768 + positions 512x768 + 12 x (QKV 768x2304+2304, proj 768^2+768, MLP
    // 768x3072+3072
    // + 3072x768+768, two layer norms 4x768); post-LN has no final layer norm; LM head tied
    long perLayer =
        768L * 2304 + 2304 + 768L * 768 + 768 + 768L * 3072 + 3072 + 3072L * 768 + 768 + 4 * 768;
    long expected = 40478L * 768 + 512L * 768 + 12 * perLayer;
    assertEquals(116_534_784L, expected);
    assertEquals(expected, GptConfig.gpt1().parameterCount());
  }

  @Test
  void networksHaveTheFormulasParameterCount() {
    for (GptConfig c :
        new GptConfig[] {
          GptConfig.tiny(),
          GptConfig.tiny().setLayerNorm("post"),
          GptConfig.tiny().setTiedEmbeddings(false),
          GptConfig.small()
        }) {
      ComputationGraph net = GptModel.create(c, new Adam(1e-3), 1, DataType.FLOAT);
      assertEquals(c.parameterCount(), net.numParams(), c.toString());
    }
    assertEquals(4_240_896L, GptConfig.small().parameterCount());
  }

  @Test
  void configAndGraphConfigurationRoundTripThroughJson() {
    GptConfig c = GptConfig.small().setLayerNorm("post").setDropout(0.2);
    assertEquals(c, GptConfig.fromJson(c.toJson()));
    assertTrue(c.toJson().contains("\"dModel\""), c.toJson());
    ComputationGraphConfiguration conf =
        GptModel.configuration(c, new Adam(1e-3), 1, DataType.FLOAT);
    ComputationGraph net =
        new ComputationGraph(ComputationGraphConfiguration.fromJson(conf.toJson()));
    net.init();
    assertEquals(c, GptModel.configOf(net));
  }

  @Test
  void validationNamesTheProblem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GptConfig.tiny().setDModel(30).setHeads(4).validate());
    assertTrue(e.getMessage().contains("divisible"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GptConfig.tiny().setLayerNorm("middle"));
    assertThrows(IllegalArgumentException.class, () -> GptConfig.preset("huge"));
  }
}
