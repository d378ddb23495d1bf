package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.jobs.pretrain.PretrainData;
import io.github.sparkgpt.jobs.pretrain.RunDirectory;
import io.github.sparkgpt.model.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pretrain job end to end on local[2]: a tiny model on a preprocess output the test makes
 * (context 16).
 */
class PretrainJobTest {
  @TempDir static Path dir;
  static Path data;

  /**
   * The same corpus without a validation split (--validation-fraction 0), and what preprocess
   * printed.
   */
  static Path noValidationData;

  static String noValidationConsole;

  @BeforeAll
  static void preprocessedCorpus() throws Exception {
    new SyntheticCorpus().write(dir.resolve("in"), 20, 5);
    data = dir.resolve("data");
    assertEquals(
        0,
        PreprocessJob.run(
            "--master",
            "local[2]",
            "--input",
            dir.resolve("in").toString(),
            "--output",
            data.toString(),
            "--vocab-size",
            "320",
            "--context-length",
            "16",
            "--validation-fraction",
            "0.2"));
    noValidationData = dir.resolve("data-no-validation");
    noValidationConsole =
        Console.out(
            () ->
                assertEquals(
                    0,
                    PreprocessJob.run(
                        "--master",
                        "local[2]",
                        "--input",
                        dir.resolve("in").toString(),
                        "--output",
                        noValidationData.toString(),
                        "--vocab-size",
                        "320",
                        "--context-length",
                        "16",
                        "--validation-fraction",
                        "0")));
  }

  static String[] args(Path out, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--master",
                "local[2]",
                "--data",
                data.toString(),
                "--output",
                out.toString(),
                "--model",
                "tiny",
                "--batch-size",
                "8",
                "--averaging-frequency",
                "2",
                "--learning-rate",
                "5e-3",
                "--set",
                "warmup_steps=2",
                "--set",
                "validation_interval=8",
                "--set",
                "validation_sequences=32",
                "--set",
                "checkpoint_interval=8",
                "--set",
                "keep_checkpoints=2"));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  @Test
  void trainsCheckpointsAndResumesWithContinuousSteps() throws Exception {
    Path out = dir.resolve("run");
    assertEquals(0, PretrainJob.run(args(out, "--max-steps", "16", "--stats")));
    List<JsonNode> m = metrics(out);
    assertEquals(0, m.get(0).path("step").asLong());
    assertEquals(16, m.get(m.size() - 1).path("step").asLong());
    double before = m.get(0).path("val_loss").asDouble();
    double after = m.get(m.size() - 1).path("val_loss").asDouble();
    assertTrue(before > Math.log(300) - 0.3, "untrained ~ ln(V): " + before);
    assertTrue(after < before - 0.5, "validation loss falls: " + before + " -> " + after);
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertTrue(
        Files.size(out.resolve("loss.png")) > 1000
            && Files.size(out.resolve("perplexity.png")) > 1000);
    String stats = Files.readString(out.resolve("training-stats.html"));
    assertTrue(
        stats.contains("<html") && stats.toLowerCase().contains("fit"),
        stats.substring(0, Math.min(300, stats.length())));
    RunDirectory run = new RunDirectory(out);
    assertEquals(List.of(8L, 16L), run.checkpointSteps());
    Checkpoint cp = Checkpoint.load(run.checkpointDir(16));
    assertEquals(16, cp.state().getStep());
    assertEquals(Files.readString(data.resolve("tokenizer.json")), new String(cp.tokenizer()));
    assertTrue(
        cp.network().getUpdater().getStateViewArray().sumNumber().doubleValue() != 0,
        "Adam state saved");
    // lineage: the data manifest by content hash, no parent on a fresh start
    assertEquals(
        io.github.sparkgpt.model.FileDigests.sha256(data.resolve("manifest.json")),
        cp.lineage().dataManifestSha256());
    assertEquals("pretrain", cp.lineage().producedBy());
    assertNull(cp.lineage().parentCheckpointSha256());
    String step16 = Checkpoint.digest(run.checkpointDir(16));

    // Without --resume an existing run is refused; with it, training continues at step 16.
    assertEquals(2, PretrainJob.run(args(out, "--max-steps", "24")));
    assertEquals(0, PretrainJob.run(args(out, "--max-steps", "24", "--resume")));
    List<JsonNode> m2 = metrics(out);
    List<Long> steps = new ArrayList<>();
    for (JsonNode n : m2) steps.add(n.path("step").asLong());
    List<Long> expected = new ArrayList<>();
    for (long s = 0; s <= 24; s += 2) expected.add(s); // 2 steps per averaging round
    assertEquals(expected, steps);
    assertEquals(List.of(16L, 24L), run.checkpointSteps());
    Checkpoint resumedCp = Checkpoint.load(run.checkpointDir(24));
    assertEquals(
        step16,
        resumedCp.lineage().parentCheckpointSha256(),
        "--resume records the checkpoint it started from");
    assertEquals(cp.lineage().dataManifestSha256(), resumedCp.lineage().dataManifestSha256());
    assertEquals(
        m2.get(8).path("tokens_seen").asLong() + 32 * 16, m2.get(9).path("tokens_seen").asLong());
    double resumed = m2.get(m2.size() - 1).path("val_loss").asDouble();
    assertTrue(
        resumed < after + 0.05, "resumed training keeps its progress: " + after + " -> " + resumed);
  }

  @Test
  void fileUrisAreHonouredNotTurnedIntoLocalDirectoriesNamedFileColon() throws Exception {
    Path out = dir.resolve("uri/run");
    String[] a = args(out, "--max-steps", "2");
    a[3] = data.toUri().toString(); // --data file:///...
    a[5] = out.toUri().toString(); // --output file:///...
    assertTrue(a[5].startsWith("file:///"), a[5]);
    assertEquals(0, PretrainJob.run(a));
    assertTrue(Files.exists(out.resolve("_SUCCESS")), "the run is at the URI's path");
    assertEquals(List.of(2L), new RunDirectory(out).checkpointSteps());
    assertFalse(Files.exists(Path.of("file:")), "not under the working directory");
  }

  @Test
  void dataWithoutSuccessIsRefusedInOneLine() throws Exception {
    Path copy = dir.resolve("half-data");
    try (var s = Files.walk(data)) {
      for (Path p : s.toList()) {
        Path d = copy.resolve(data.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(d);
        else if (!p.getFileName().toString().equals("_SUCCESS")) Files.copy(p, d);
      }
    }
    String[] a = args(dir.resolve("r5"));
    a[3] = copy.toString(); // --data
    String err = Console.err(() -> assertEquals(2, PretrainJob.run(a)));
    assertTrue(err.contains("_SUCCESS") && err.contains("half-data"), err);
    assertEquals(1, err.strip().lines().count(), err);
    assertFalse(Files.exists(dir.resolve("r5")));
  }

  @Test
  void dataThatDoesNotFitTheModelIsRefused() {
    String vocab =
        Console.err(
            () ->
                assertEquals(
                    2, PretrainJob.run(args(dir.resolve("r1"), "--set", "model.vocab_size=999"))));
    assertTrue(vocab.contains("vocab_size"), vocab);
    assertEquals(1, vocab.strip().lines().count(), vocab);
    String context =
        Console.err(
            () ->
                assertEquals(
                    2,
                    PretrainJob.run(args(dir.resolve("r2"), "--set", "model.context_length=32"))));
    assertTrue(context.contains("--context-length 32"), context);
    String unknown =
        Console.err(
            () ->
                assertEquals(
                    2, PretrainJob.run(args(dir.resolve("r3"), "--set", "model.layerz=3"))));
    assertTrue(unknown.contains("model.layerz"), unknown);
    String clip =
        Console.err(
            () ->
                assertEquals(
                    2, PretrainJob.run(args(dir.resolve("r4"), "--set", "gradient_clip=-1"))));
    assertTrue(clip.contains("gradient_clip must be >= 0"), clip);
    assertFalse(Files.exists(dir.resolve("r1")));
  }

  @Test
  void dataWithoutValidationIsRefusedUnlessNoValidationAndThenTrainsWithoutValidationMetrics()
      throws Exception {
    // preprocess said so on the console and in summary.txt
    String warning = "WARNING: the validation split is empty (pack.validation_fraction = 0)";
    assertTrue(noValidationConsole.contains(warning), noValidationConsole);
    assertTrue(Files.readString(noValidationData.resolve("summary.txt")).contains(warning));

    String[] refused = withData(args(dir.resolve("nv1"), "--max-steps", "4"), noValidationData);
    String err = Console.err(() -> assertEquals(2, PretrainJob.run(refused)));
    assertTrue(err.contains("no validation sequences") && err.contains("--no-validation"), err);
    assertEquals(1, err.strip().lines().count(), err);
    assertFalse(
        Files.exists(dir.resolve("nv1")),
        "refused before anything is written (and before Spark starts)");

    Path out = dir.resolve("nv2");
    String[] allowed = withData(args(out, "--max-steps", "4", "--no-validation"), noValidationData);
    String console = Console.out(() -> assertEquals(0, PretrainJob.run(allowed)));
    assertFalse(console.contains("NaN"), console);
    assertTrue(console.contains("no validation"), console);
    List<JsonNode> m = metrics(out);
    assertEquals(4, m.get(m.size() - 1).path("step").asLong());
    for (JsonNode n : m) {
      assertTrue(n.path("val_loss").isNull() && n.path("val_perplexity").isNull(), n.toString());
      if (n.path("step").asLong() > 0) assertTrue(n.path("train_loss").isNumber(), n.toString());
    }
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertTrue(
        Files.exists(out.resolve("loss.png")) && !Files.exists(out.resolve("perplexity.png")));
  }

  @Test
  void dataWithoutTrainSequencesIsRefusedEvenWithNoValidation() {
    io.github.sparkgpt.pipeline.write.Manifest m = new io.github.sparkgpt.pipeline.write.Manifest();
    m.sequenceLength = 17;
    m.splits.put("train", new io.github.sparkgpt.pipeline.write.Manifest.Split());
    m.splits.put("validation", new io.github.sparkgpt.pipeline.write.Manifest.Split());
    m.splits.get("validation").rows = 1;
    io.github.sparkgpt.jobs.pretrain.PretrainSettings off =
        new io.github.sparkgpt.jobs.pretrain.PretrainSettings().setValidationSequences(0);
    UsageException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            UsageException.class, () -> PretrainData.requireSequences(m, off));
    assertTrue(
        e.getMessage()
            .startsWith("the data has no train sequences (1 validation sequences of 17 tokens)"),
        e.getMessage());
    m.splits.get("train").rows = 5;
    m.splits.get("validation").rows = 0;
    PretrainData.requireSequences(m, off); // --no-validation: fine
    assertTrue(
        org.junit.jupiter.api.Assertions.assertThrows(
                UsageException.class,
                () ->
                    PretrainData.requireSequences(
                        m, new io.github.sparkgpt.jobs.pretrain.PretrainSettings()))
            .getMessage()
            .contains("split_mode document"));
  }

  static String[] withData(String[] args, Path other) {
    String[] a = args.clone();
    for (int i = 0; i < a.length - 1; i++) if (a[i].equals("--data")) a[i + 1] = other.toString();
    return a;
  }

  static List<JsonNode> metrics(Path run) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve(RunDirectory.METRICS)))
      out.add(json.readTree(line));
    return out;
  }
}
