package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.model.train.RoundAdam;
import io.github.sparkgpt.model.train.WarmupCosineSchedule;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Checkpoints written before the optimiser and schedules moved into this module (resources {@code
 * checkpoints/before-issue-13}) load with this module alone and compute what they computed then.
 */
class CheckpointFixtureTest {

  static final String FIXTURES = "/checkpoints/before-issue-13/";

  static Path fixture(String name) throws URISyntaxException {
    return Path.of(CheckpointFixtureTest.class.getResource(FIXTURES + name).toURI());
  }

  /** The network's output for the saved input equals the saved output. */
  static void assertSameOutputs(Checkpoint cp, String expectedFile) throws Exception {
    JsonNode expected = new ObjectMapper().readTree(fixture(expectedFile).toFile());
    INDArray in =
        Nd4j.createFromArray(floats(expected.path("input")))
            .reshape(longs(expected.path("input_shape")));
    INDArray out = cp.network().outputSingle(in);
    assertArrayEquals(longs(expected.path("output_shape")), out.shape());
    assertArrayEquals(floats(expected.path("output")), out.dup().data().asFloat(), 1e-5f);
  }

  @Test
  void oldLanguageModelLoadsWithTheSameOutputs() throws Exception {
    Checkpoint cp = Checkpoint.load(fixture("lm"));
    assertEquals(4, cp.state().getStep());
    assertEquals(ModelKind.LANGUAGE_MODEL, cp.kind(), "inferred: checkpoint.json records no kind");
    assertSameOutputs(cp, "lm-expected.json");
  }

  @Test
  void oldTaskModelLoadsWithTheSameOutputs() throws Exception {
    Checkpoint cp = Checkpoint.load(fixture("task"));
    assertEquals(
        new ModelKind(new TaskHead(null, GptTaskLayer.Mode.CLASSIFY, 2)),
        cp.kind(),
        "inferred from the head; classification and entailment share it");
    assertSameOutputs(cp, "task-expected.json");
  }

  @Test
  void savedCheckpointsNameOnlyThisModulesClasses(@TempDir Path dir) throws Exception {
    Checkpoint old = Checkpoint.load(fixture("task"));
    new Checkpoint(old.network(), old.tokenizer(), old.tokenizerVocabSize(), old.state())
        .save(dir.resolve("resaved"));
    GptConfig cfg = old.config();
    var fresh =
        GptModel.create(
            cfg,
            new RoundAdam(new WarmupCosineSchedule(1e-3, 2, 10, 0.1)),
            1,
            org.nd4j.linalg.api.buffer.DataType.FLOAT);
    new Checkpoint(fresh, old.tokenizer(), old.tokenizerVocabSize(), null)
        .save(dir.resolve("fresh"));
    for (String name : new String[] {"resaved", "fresh"}) {
      String conf = configuration(dir.resolve(name));
      assertTrue(conf.contains(RoundAdam.class.getName()), conf);
      assertFalse(conf.contains("io.github.sparkgpt.jobs"), conf);
    }
    assertSameOutputs(Checkpoint.load(dir.resolve("resaved")), "task-expected.json");
  }

  @Test
  void newCheckpointsRecordTheirKind(@TempDir Path dir) throws Exception {
    Checkpoint old = Checkpoint.load(fixture("task"));
    var net =
        GptTaskModel.forTask(
            TaskHead.of("entailment", false, 3),
            old.config(),
            null,
            0.5,
            0,
            new RoundAdam(),
            1,
            org.nd4j.linalg.api.buffer.DataType.FLOAT,
            null);
    new Checkpoint(net, old.tokenizer(), old.tokenizerVocabSize(), null).save(dir.resolve("task"));
    JsonNode meta =
        new ObjectMapper().readTree(dir.resolve("task").resolve(Checkpoint.META).toFile());
    assertEquals("task_model", meta.path("kind").asText());
    assertEquals(
        "{\"type\":\"entailment\",\"head\":\"classify\",\"outputs\":3}",
        meta.path("task").toString());
    Checkpoint loaded = Checkpoint.load(dir.resolve("task"));
    assertEquals(
        new ModelKind(new TaskHead("entailment", GptTaskLayer.Mode.CLASSIFY, 3)), loaded.kind());
    assertEquals("task model (entailment, classify head, 3 outputs)", loaded.kind().describe());

    var lm = Checkpoint.load(fixture("lm"));
    new Checkpoint(lm.network(), lm.tokenizer(), lm.tokenizerVocabSize(), null)
        .save(dir.resolve("lm"));
    String lmMeta = java.nio.file.Files.readString(dir.resolve("lm").resolve(Checkpoint.META));
    assertTrue(lmMeta.contains("\"kind\" : \"language_model\""), lmMeta);
    assertFalse(lmMeta.contains("\"task\""), lmMeta);
    // checkpoint.json is not covered by the file digests: a kind that disagrees with model.zip is
    // refused
    java.nio.file.Files.writeString(
        dir.resolve("lm").resolve(Checkpoint.META),
        lmMeta.replace(
            "\"language_model\"",
            "\"task_model\", \"task\": {\"type\": \"classification\", \"head\": \"classify\","
                + " \"outputs\": 2}"));
    java.io.IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class, () -> Checkpoint.load(dir.resolve("lm")));
    assertTrue(
        e.getMessage()
            .endsWith(
                "checkpoint.json says task model (classification, classify head, 2 outputs) "
                    + "but model.zip holds a language model"),
        e.getMessage());
  }

  @Test
  void anUnknownTaskTypeIsRefusedInOneLine(@TempDir Path dir) throws Exception {
    Checkpoint old = Checkpoint.load(fixture("task"));
    new Checkpoint(old.network(), old.tokenizer(), old.tokenizerVocabSize(), null).save(dir);
    var net = old.network().clone();
    GptTaskModel.layerOf(net).setTask("summarisation");
    org.deeplearning4j.util.ModelSerializer.writeModel(
        net, dir.resolve(Checkpoint.MODEL).toFile(), true);
    // format 1: no file digests, so the changed model.zip reaches the kind check
    String meta =
        java.nio.file.Files.readString(dir.resolve(Checkpoint.META))
            .replace("\"format\" : 2", "\"format\" : 1");
    java.nio.file.Files.writeString(dir.resolve(Checkpoint.META), meta);
    java.io.IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class, () -> Checkpoint.load(dir));
    assertTrue(e.getMessage().contains("unknown task 'summarisation'"), e.getMessage());
  }

  static String configuration(Path checkpoint) throws Exception {
    try (ZipFile zip = new ZipFile(checkpoint.resolve(Checkpoint.MODEL).toFile())) {
      return new String(
          zip.getInputStream(zip.getEntry(ModelZip.CONFIGURATION)).readAllBytes(),
          StandardCharsets.UTF_8);
    }
  }

  static float[] floats(JsonNode a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) f[i] = (float) a.get(i).asDouble();
    return f;
  }

  static long[] longs(JsonNode a) {
    long[] l = new long[a.size()];
    for (int i = 0; i < l.length; i++) l[i] = a.get(i).asLong();
    return l;
  }
}
