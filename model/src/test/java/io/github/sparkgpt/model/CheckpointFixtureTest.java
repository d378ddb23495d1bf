package io.github.sparkgpt.model;

import io.github.sparkgpt.model.train.RoundAdam;
import io.github.sparkgpt.model.train.WarmupCosineSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints written before the optimiser and schedules moved into this module (resources
 * {@code checkpoints/before-issue-13}) load with this module alone and compute what they computed then.
 */
class CheckpointFixtureTest {

    static final String FIXTURES = "/checkpoints/before-issue-13/";

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(CheckpointFixtureTest.class.getResource(FIXTURES + name).toURI());
    }

    /** The network's output for the saved input equals the saved output. */
    static void assertSameOutputs(Checkpoint cp, String expectedFile) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(fixture(expectedFile).toFile());
        INDArray in = Nd4j.createFromArray(floats(expected.path("input"))).reshape(longs(expected.path("input_shape")));
        INDArray out = cp.network().outputSingle(in);
        assertArrayEquals(longs(expected.path("output_shape")), out.shape());
        assertArrayEquals(floats(expected.path("output")), out.dup().data().asFloat(), 1e-5f);
    }

    @Test
    void oldLanguageModelLoadsWithTheSameOutputs() throws Exception {
        Checkpoint cp = Checkpoint.load(fixture("lm"));
        assertEquals(4, cp.state().getStep());
        assertSameOutputs(cp, "lm-expected.json");
    }

    @Test
    void oldTaskModelLoadsWithTheSameOutputs() throws Exception {
        Checkpoint cp = Checkpoint.load(fixture("task"));
        assertSameOutputs(cp, "task-expected.json");
    }

    @Test
    void savedCheckpointsNameOnlyThisModulesClasses(@TempDir Path dir) throws Exception {
        Checkpoint old = Checkpoint.load(fixture("task"));
        new Checkpoint(old.network(), old.tokenizer(), old.tokenizerVocabSize(), old.state()).save(dir.resolve("resaved"));
        GptConfig cfg = old.config();
        var fresh = GptModel.create(cfg, new RoundAdam(new WarmupCosineSchedule(1e-3, 2, 10, 0.1)), 1,
                org.nd4j.linalg.api.buffer.DataType.FLOAT);
        new Checkpoint(fresh, old.tokenizer(), old.tokenizerVocabSize(), null).save(dir.resolve("fresh"));
        for (String name : new String[]{"resaved", "fresh"}) {
            String conf = configuration(dir.resolve(name));
            assertTrue(conf.contains(RoundAdam.class.getName()), conf);
            assertFalse(conf.contains("io.github.sparkgpt.jobs"), conf);
        }
        assertSameOutputs(Checkpoint.load(dir.resolve("resaved")), "task-expected.json");
    }

    static String configuration(Path checkpoint) throws Exception {
        try (ZipFile zip = new ZipFile(checkpoint.resolve(Checkpoint.MODEL).toFile())) {
            return new String(zip.getInputStream(zip.getEntry(ModelZip.CONFIGURATION)).readAllBytes(), StandardCharsets.UTF_8);
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
