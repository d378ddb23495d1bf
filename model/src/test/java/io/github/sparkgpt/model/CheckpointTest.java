package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class CheckpointTest {

  private static final byte[] TOKENIZER =
      "{\"model\":{\"type\":\"BPE\"}}".getBytes(StandardCharsets.UTF_8);

  private static DataSet batch() {
    return GptBatch.fromSequences(new int[][] {{1, 2, 3, 4, 5, 6}, {9, 8, 7, 6}}, 8);
  }

  @Test
  void saveThenLoadGivesIdenticalOutputsAndContinuesTraining(@TempDir Path dir) throws IOException {
    ComputationGraph net = GptModel.create(GptConfig.tiny(), 1e-2, 5);
    for (int i = 0; i < 3; i++) net.fit(batch());
    new Checkpoint(
            net, TOKENIZER, 64, new TrainingState().setStep(3).putMetric("train_loss", net.score()))
        .save(dir);

    Checkpoint loaded = Checkpoint.load(dir);
    INDArray a = net.outputSingle(batch().getFeatures());
    INDArray b = loaded.network().outputSingle(batch().getFeatures());
    assertEquals(a, b);
    assertEquals(3, loaded.state().getStep());
    assertEquals(GptConfig.tiny(), loaded.config());
    assertArrayEquals(TOKENIZER, loaded.tokenizer());
    // the updater state came back too: one more step is identical on both
    net.fit(batch());
    loaded.network().fit(batch());
    assertEquals(net.params(), loaded.network().params());
  }

  @Test
  void rejectsAnotherTokenizerAndMismatchedVocabulary(@TempDir Path dir) throws IOException {
    ComputationGraph net = GptModel.create(GptConfig.tiny(), 1e-2, 5);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Checkpoint(net, TOKENIZER, 65, null));
    assertTrue(e.getMessage().contains("65"), e.getMessage());

    new Checkpoint(net, TOKENIZER, 64, null).save(dir);
    Files.writeString(dir.resolve(Checkpoint.TOKENIZER), "{\"other\":1}");
    IOException changed = assertThrows(IOException.class, () -> Checkpoint.load(dir));
    assertTrue(
        changed.getMessage().contains("tokenizer.json does not match checkpoint.json"),
        changed.getMessage());
    // the consistency checks behind the digests: someone who also rewrote the recorded digests
    rerecord(dir, Checkpoint.TOKENIZER);
    IOException bad = assertThrows(IOException.class, () -> Checkpoint.load(dir));
    assertTrue(bad.getMessage().contains("not the tokenizer"), bad.getMessage());

    Files.write(dir.resolve(Checkpoint.TOKENIZER), TOKENIZER);
    rerecord(dir, Checkpoint.TOKENIZER);
    Files.writeString(
        dir.resolve(Checkpoint.CONFIG), GptConfig.tiny().setContextLength(32).toJson());
    rerecord(dir, Checkpoint.CONFIG);
    IOException ctx = assertThrows(IOException.class, () -> Checkpoint.load(dir));
    assertTrue(ctx.getMessage().contains("context_length"), ctx.getMessage());
  }

  private static void rerecord(Path dir, String file) throws IOException {
    var json = new org.nd4j.shade.jackson.databind.ObjectMapper();
    var meta =
        (org.nd4j.shade.jackson.databind.node.ObjectNode)
            json.readTree(dir.resolve(Checkpoint.META).toFile());
    FileDigests.Digest d = FileDigests.of(dir.resolve(file));
    ((org.nd4j.shade.jackson.databind.node.ObjectNode) meta.get("files").get(file))
        .put("size", d.size())
        .put("sha256", d.sha256());
    Files.writeString(dir.resolve(Checkpoint.META), json.writeValueAsString(meta));
  }
}
