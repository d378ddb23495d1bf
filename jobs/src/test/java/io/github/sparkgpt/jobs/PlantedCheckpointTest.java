package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.TrainingState;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case through a command: a copied checkpoint whose model.zip gained a
 * preprocessor.bin.
 */
class PlantedCheckpointTest {
  @TempDir Path dir;

  @Test
  void generateRefusesInOneLineWithExit2() throws Exception {
    BpeTokenizer tok =
        new BpeTrainer().setVocabSize(270).trainOnCounts(Map.of("hello", 10L, " world", 5L));
    byte[] json = HfTokenizerJson.toJson(tok, true).getBytes(StandardCharsets.UTF_8);
    Path cp = dir.resolve("cp");
    new Checkpoint(
            GptModel.create(GptConfig.tiny().setVocabSize(tok.vocabSize()), 1e-3, 1),
            json,
            tok.vocabSize(),
            new TrainingState())
        .save(cp);
    ByteArrayOutputStream planted = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(planted)) {
      o.writeObject(new HashMap<>(Map.of("k", "v")));
    }
    Path zip = cp.resolve(Checkpoint.MODEL), tmp = dir.resolve("planted.zip");
    try (ZipFile in = new ZipFile(zip.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
      for (ZipEntry e : java.util.Collections.list(in.entries())) {
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(in.getInputStream(e).readAllBytes());
      }
      out.putNextEntry(new ZipEntry("preprocessor.bin"));
      out.write(planted.toByteArray());
    }
    Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING);

    String err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    JobRunner.execute(
                        "generate",
                        new GenerateCommand(),
                        new String[] {"--checkpoint", cp.toString(), "--prompt", "hello"})));
    assertEquals(1, err.strip().lines().count(), err);
    String expected = "generate: error: " + zip + " does not match checkpoint.json";
    assertEquals(expected, err.strip().substring(0, expected.length()), err);

    // an older checkpoint (no digests) with the same planted entry: refused by the zip check,
    // naming the entry
    String meta =
        Files.readString(cp.resolve(Checkpoint.META)).replace("\"format\" : 2", "\"format\" : 1");
    Files.writeString(cp.resolve(Checkpoint.META), meta);
    err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    JobRunner.execute(
                        "generate",
                        new GenerateCommand(),
                        new String[] {"--checkpoint", cp.toString(), "--prompt", "hello"})));
    assertEquals(
        "generate: error: model.zip: entry 'preprocessor.bin' is not one this project writes"
            + " (allowed: configuration.json, coefficients.bin, updaterState.bin)",
        err.strip().lines().reduce((a, b) -> b).orElse(""));
  }
}
