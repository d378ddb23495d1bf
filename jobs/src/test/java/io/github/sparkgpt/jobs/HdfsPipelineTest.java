package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.jobs.storage.LocalScratch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * preprocess -> pretrain (and --resume) -> finetune -> report with every input and output on a real
 * HDFS (MiniDFSCluster in this JVM); the working directory gains nothing. Readers refuse copies
 * without _SUCCESS.
 */
@Tag("hdfs")
class HdfsPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path local;
  static MiniDFSCluster cluster;
  static FileSystem fs;
  static String hdfs;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, local.resolve("hdfs").toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
    hdfs = fs.getUri() + "/user/test";
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) cluster.shutdown();
  }

  @Test
  void wholePipelineOnHdfs() throws Exception {
    // inputs: a corpus and task files, put on HDFS
    new SyntheticCorpus().write(local.resolve("in"), 20, 5);
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.resolve("in").toUri()), path("/in"));
    put("/tasks/train.tsv", taskFile(96, 1));
    put("/tasks/validation.tsv", taskFile(40, 2));
    List<String> cwdBefore = listing(Path.of("").toAbsolutePath());
    List<String> scratchBefore = scratch();

    assertEquals(
        0,
        PreprocessJob.run(
            "--master",
            "local[2]",
            "--input",
            hdfs + "/in",
            "--output",
            hdfs + "/pre",
            "--vocab-size",
            "320",
            "--context-length",
            "16",
            "--validation-fraction",
            "0.2"));
    assertTrue(fs.exists(path("/pre/_SUCCESS")));

    assertEquals(0, PretrainJob.run(pretrainArgs("8")));
    assertTrue(fs.exists(path("/run/_SUCCESS")), "run complete on HDFS");
    for (String f :
        List.of(
            "metrics.jsonl",
            "config.conf",
            "report.html",
            "loss.png",
            "checkpoints/step-000004/_SUCCESS",
            "checkpoints/step-000008/_SUCCESS",
            "checkpoints/step-000008/model.zip")) {
      assertTrue(fs.exists(path("/run/" + f)), f);
    }
    assertEquals(List.of(0L, 2L, 4L, 6L, 8L), steps());

    // an existing run is refused without --resume; with it, training continues from the HDFS
    // checkpoint
    String refused = Console.err(() -> assertEquals(2, PretrainJob.run(pretrainArgs("12"))));
    assertTrue(refused.contains("already holds a run"), refused);
    fs.mkdirs(path("/run/checkpoints/.step-000010.tmp-0123abcd")); // a killed driver's half upload
    assertEquals(0, PretrainJob.run(pretrainArgs("12", "--resume")));
    assertFalse(fs.exists(path("/run/checkpoints/.step-000010.tmp-0123abcd")));
    assertEquals(List.of(0L, 2L, 4L, 6L, 8L, 10L, 12L), steps());
    assertFalse(
        fs.exists(path("/run/checkpoints/step-000004")), "keep_checkpoints=2 prunes on HDFS too");
    assertTrue(fs.exists(path("/run/checkpoints/step-000012/_SUCCESS")));
    assertTrue(fs.exists(path("/run/_SUCCESS")));

    String[] finetune = {
      "--master",
      "local[2]",
      "--checkpoint",
      hdfs + "/run/checkpoints/step-000012",
      "--task",
      "classification",
      "--train",
      hdfs + "/tasks/train.tsv",
      "--validation",
      hdfs + "/tasks/validation.tsv",
      "--text-columns",
      "sentence",
      "--id-column",
      "id",
      "--output",
      hdfs + "/ft",
      "--run-id",
      "r1",
      "--batch-size",
      "8",
      "--epochs",
      "1",
      "--learning-rate",
      "1e-3",
      "--set",
      "averaging_frequency=2"
    };
    assertEquals(0, FinetuneJob.run(finetune));
    for (String f :
        List.of(
            "_SUCCESS",
            "metrics.json",
            "labels.json",
            "config.conf",
            "model/model.zip",
            "report.html")) {
      assertTrue(fs.exists(path("/ft/r1/" + f)), f);
    }
    assertTrue(read("/ft/r1/metrics.json").path("evaluations").path("validation").has("accuracy"));
    String again = Console.out(() -> assertEquals(0, FinetuneJob.run(finetune)));
    assertTrue(again.contains("already complete"), again);

    // the model commands and few-shot scoring on the HDFS checkpoint, data and task files
    String ppl =
        Console.out(
            () ->
                assertEquals(
                    0,
                    JobRunner.execute(
                        "perplexity",
                        new PerplexityCommand(),
                        new String[] {
                          "--checkpoint",
                          hdfs + "/run/checkpoints/step-000012",
                          "--data",
                          hdfs + "/pre",
                          "--split",
                          "validation",
                          "--max-sequences",
                          "8"
                        })));
    assertTrue(ppl.contains("8 sequences"), ppl);
    assertEquals(
        0,
        FewShotCommand.run(
            "--checkpoint",
            hdfs + "/run/checkpoints/step-000012",
            "--eval",
            hdfs + "/tasks/validation.tsv",
            "--text-columns",
            "sentence",
            "--id-column",
            "id",
            "--label-words",
            "negative=bad,positive=good",
            "--shots",
            "0",
            "--output",
            hdfs + "/fewshot",
            "--run-id",
            "z"));
    assertTrue(read("/fewshot/z/metrics.json").path("evaluations").path("eval").has("accuracy"));
    assertTrue(fs.exists(path("/fewshot/z/_SUCCESS")));

    assertEquals(
        0,
        JobRunner.execute(
            "export",
            new ExportCommand(),
            new String[] {
              "--checkpoint", hdfs + "/run/checkpoints/step-000012", "--output", hdfs + "/export"
            }));
    for (String f : List.of("_SUCCESS", "config.json", "model.safetensors", "tokenizer.json")) {
      assertTrue(fs.exists(path("/export/" + f)), f);
    }
    // ... and back: import reads the export on HDFS and writes a new checkpoint there, complete or
    // absent
    assertEquals(
        0,
        JobRunner.execute(
            "import",
            new ImportCommand(),
            new String[] {"--from", hdfs + "/export", "--output", hdfs + "/imported"}));
    for (String f :
        List.of("_SUCCESS", "model.zip", "config.json", "tokenizer.json", "checkpoint.json")) {
      assertTrue(fs.exists(path("/imported/" + f)), f);
    }
    assertEquals(
        0,
        JobRunner.execute(
            "generate",
            new GenerateCommand(),
            new String[] {
              "--checkpoint", hdfs + "/imported", "--prompt", "the", "--max-new-tokens", "3"
            }));
    assertEquals(
        2,
        JobRunner.execute(
            "import",
            new ImportCommand(),
            new String[] {"--from", hdfs + "/export", "--output", hdfs + "/imported"}),
        "an existing checkpoint is never replaced");

    assertEquals(
        0,
        ReportCommand.run(
            "--preprocess",
            hdfs + "/pre",
            "--pretrain",
            hdfs + "/run",
            "--finetune",
            hdfs + "/ft",
            "--samples",
            "1",
            "--output",
            hdfs + "/report.html"));
    String html;
    try (InputStream in = fs.open(path("/report.html"))) {
      html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(
        html.contains("<html") && html.contains("r1"),
        html.substring(0, Math.min(300, html.length())));
    assertTrue(
        html.contains(hdfs + "/run") && html.contains(hdfs + "/pre") && html.contains(hdfs + "/ft"),
        "the report names the HDFS directories");
    assertFalse(html.contains("sparkgpt-"), "not their local copies");
    try (InputStream in = fs.open(path("/ft/r1/report.html"))) {
      String own = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(
          own.contains(hdfs + "/ft/r1") && !own.contains("sparkgpt-"),
          "finetune's own report names its HDFS run");
    }

    assertEquals(
        cwdBefore,
        listing(Path.of("").toAbsolutePath()),
        "nothing written to the working directory");
    assertTrue(
        scratchBefore.containsAll(scratch()),
        "the jobs' local staging directories are gone: " + scratch());
  }

  @Test
  void readersRefuseCopiesWithoutSuccess() throws Exception {
    // a preprocess output and a checkpoint, copied without their _SUCCESS (as a half-finished
    // object-store copy looks)
    new SyntheticCorpus().write(local.resolve("in2"), 12, 3);
    assertEquals(
        0,
        PreprocessJob.run(
            "--master",
            "local[2]",
            "--input",
            local.resolve("in2").toString(),
            "--output",
            hdfs + "/pre2",
            "--vocab-size",
            "300",
            "--context-length",
            "16",
            "--validation-fraction",
            "0.2"));
    FileUtil.copy(fs, path("/pre2"), fs, path("/half-pre"), false, fs.getConf());
    fs.delete(path("/half-pre/_SUCCESS"), false);
    String data =
        Console.err(
            () ->
                assertEquals(
                    2,
                    JobRunner.execute(
                        "perplexity",
                        new PerplexityCommand(),
                        new String[] {"--checkpoint", "unused", "--data", hdfs + "/half-pre"})));
    assertTrue(data.contains("_SUCCESS") && data.contains("half-pre"), data);
    assertEquals(1, data.strip().lines().count(), data);

    String err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    PretrainJob.run(
                        "--master",
                        "local[2]",
                        "--data",
                        hdfs + "/half-pre",
                        "--output",
                        hdfs + "/never",
                        "--model",
                        "tiny")));
    assertTrue(err.contains("_SUCCESS"), err);
    assertFalse(fs.exists(path("/never")));

    fs.mkdirs(path("/half-ckpt/step-000001"));
    fs.create(path("/half-ckpt/step-000001/model.zip")).close();
    String ckpt =
        Console.err(
            () ->
                assertEquals(
                    2,
                    JobRunner.execute(
                        "generate",
                        new GenerateCommand(),
                        new String[] {
                          "--checkpoint", hdfs + "/half-ckpt/step-000001", "--prompt", "the"
                        })));
    assertTrue(ckpt.contains("_SUCCESS") && ckpt.contains("half-ckpt"), ckpt);
    assertEquals(1, ckpt.strip().lines().count(), ckpt);
  }

  @Test
  void checkpointsAreCompleteWithTheirOwnOrTheirRunsSuccess() throws Exception {
    var c =
        new io.github.sparkgpt.jobs.storage.Completeness(
            new io.github.sparkgpt.jobs.storage.RemoteFiles(fs.getConf()));
    java.util.function.Consumer<String> ok =
        p ->
            c.requireCheckpoint(
                "--checkpoint",
                io.github.sparkgpt.jobs.storage.StoragePath.of("--checkpoint", hdfs + p));
    for (String d :
        List.of(
            "/c/own",
            "/c/run/checkpoints/step-000002",
            "/c/ft/r/model",
            "/c/bare",
            "/c/run2/checkpoints/step-1")) {
      fs.mkdirs(path(d));
    }
    fs.create(path("/c/own/_SUCCESS")).close();
    fs.create(path("/c/run/_SUCCESS")).close();
    fs.create(path("/c/ft/r/_SUCCESS")).close();
    ok.accept("/c/own");
    ok.accept("/c/run/checkpoints/step-000002");
    ok.accept("/c/ft/r/model");
    for (String bad : List.of("/c/bare", "/c/run2/checkpoints/step-1", "/c/missing")) {
      UsageException e =
          org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, () -> ok.accept(bad));
      assertTrue(e.getMessage().startsWith("--checkpoint " + hdfs + bad), e.getMessage());
    }
  }

  @Test
  void aTaskRunReplacesAnIncompleteAttemptAndIsSkippedOnceComplete() throws Exception {
    put("/runs/t1/stale.txt", "from a failed attempt"); // no _SUCCESS: incomplete
    try (var storage =
        new io.github.sparkgpt.jobs.storage.Storage(
            new io.github.sparkgpt.jobs.storage.RemoteFiles(fs.getConf()))) {
      var staged =
          io.github.sparkgpt.jobs.storage.TaskRunStaging.open(storage, hdfs + "/runs", "t1");
      assertFalse(staged.skipIfComplete("test"));
      assertTrue(
          staged.local().startsWith(Path.of(System.getProperty("java.io.tmpdir"))),
          staged.local().toString());
      Files.createDirectories(staged.local());
      Files.writeString(staged.local().resolve("metrics.json"), "{}");
      Files.writeString(staged.local().resolve("_SUCCESS"), "");
      staged.publish();
      assertTrue(fs.exists(path("/runs/t1/metrics.json")) && fs.exists(path("/runs/t1/_SUCCESS")));
      assertFalse(fs.exists(path("/runs/t1/stale.txt")), "the incomplete attempt is replaced");
      assertEquals(1, fs.listStatus(path("/runs")).length, "no hidden temp or old copies left");
      String out =
          Console.out(
              () ->
                  assertTrue(
                      io.github.sparkgpt.jobs.storage.TaskRunStaging.open(
                              storage, hdfs + "/runs", "t1")
                          .skipIfComplete("test")));
      assertTrue(out.contains("already complete in " + hdfs + "/runs/t1"), out);
    }
  }

  private static String[] pretrainArgs(String maxSteps, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--master",
                "local[2]",
                "--data",
                hdfs + "/pre",
                "--output",
                hdfs + "/run",
                "--model",
                "tiny",
                "--batch-size",
                "8",
                "--averaging-frequency",
                "2",
                "--learning-rate",
                "5e-3",
                "--max-steps",
                maxSteps,
                "--set",
                "warmup_steps=2",
                "--set",
                "validation_interval=4",
                "--set",
                "validation_sequences=16",
                "--set",
                "checkpoint_interval=4",
                "--set",
                "keep_checkpoints=2"));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  private static List<Long> steps() throws IOException {
    List<Long> out = new ArrayList<>();
    try (InputStream in = fs.open(path("/run/metrics.jsonl"))) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) out.add(JSON.readTree(line).path("step").asLong());
      }
    }
    return out;
  }

  private static JsonNode read(String p) throws IOException {
    try (InputStream in = fs.open(path(p))) {
      return JSON.readTree(in);
    }
  }

  private static org.apache.hadoop.fs.Path path(String p) {
    return new org.apache.hadoop.fs.Path(hdfs + p);
  }

  private static void put(String p, String text) throws IOException {
    try (var out = fs.create(path(p))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A labelled TSV of FinetuneJobTest's two-class sentences. */
  private static String taskFile(int n, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder("id\tsentence\tlabel\n");
    for (int i = 0; i < n; i++) {
      boolean good = i % 2 == 0;
      sb.append("e")
          .append(i)
          .append('\t')
          .append(FinetuneJobTest.sentence(r, good))
          .append('\t')
          .append(good ? "positive" : "negative")
          .append('\n');
    }
    return sb.toString();
  }

  /** The storage layer's temporary directories (LocalScratch) that exist now. */
  private static List<String> scratch() throws IOException {
    // this JVM's only: another process on the machine may be staging at the same time
    return listing(Path.of(System.getProperty("java.io.tmpdir"))).stream()
        .filter(n -> n.startsWith(LocalScratch.PREFIX))
        .toList();
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir, 1)) {
      return s.map(p -> p.getFileName() == null ? "" : p.getFileName().toString())
          .sorted()
          .toList();
    }
  }
}
