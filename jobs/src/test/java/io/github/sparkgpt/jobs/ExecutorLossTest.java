package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each distributed job survives one executor JVM killed with SIGKILL in the middle of its work on a
 * real standalone cluster ({@link StandaloneCluster}, 2 workers x 1 core): Spark re-runs the lost
 * tasks (on the other executor or on the one the worker relaunches), and the job ends where an
 * uninterrupted run ends. Training rounds are counted once; preprocess output is identical. The
 * uninterrupted runs use local[2], which the cluster matches to ~1e-6.
 */
@Tag("slow")
@ExtendWith(StandaloneCluster.Shared.class)
class ExecutorLossTest {
  /**
   * The Spark stage in which DL4J's parameter-averaging workers fit their batches (one per round).
   */
  static final String FIT_STAGE = "^treeAggregate at ParameterAveragingTrainingMaster";

  /**
   * Kill as soon as the driver reports the round's first fit task started: a fit task fetches the
   * parameters and its batches and builds the network before it fits, so it is still running; a
   * later kill can miss it (seen: a 300 ms delay outlived the whole task on an idle machine).
   */
  static final long FIT_KILL_DELAY_MS = 0;

  /** Spark's stage that writes the training shards (the first ParquetPartitionWriter collect). */
  static final String WRITE_STAGE = "at ParquetPartitionWriter";

  @TempDir static Path dir;
  static StandaloneCluster cluster;

  /**
   * The synthetic corpus and its uninterrupted preprocess output (local[2]): pretrain's data,
   * preprocess's reference.
   */
  static Path corpus;

  static Path data;
  static double dataSecs;

  @BeforeAll
  static void clusterAndData(StandaloneCluster c) throws Exception {
    cluster = c;
    corpus = dir.resolve("corpus");
    new SyntheticCorpus().write(corpus, 20, 5);
    data = dir.resolve("data");
    long t0 = System.nanoTime();
    assertEquals(0, PreprocessJob.run(preprocessArgs("local[2]", corpus, data)));
    dataSecs = (System.nanoTime() - t0) / 1e9;
  }

  @Test
  void pretrainSurvivesAnExecutorKilledInRoundTwo() throws Exception {
    ExecutorKiller.arm(FIT_STAGE, 2, FIT_KILL_DELAY_MS);
    Path killed = dir.resolve("pretrain-killed");
    long t0 = System.nanoTime();
    assertEquals(
        0,
        StandaloneCluster.withConf(
            cluster.driverConf(2, ExecutorKiller.class),
            () -> PretrainJob.run(pretrainArgs(cluster.master(), data, killed))));
    double killedSecs = (System.nanoTime() - t0) / 1e9;
    assertKilledMidStage();

    Path straight = dir.resolve("pretrain-straight");
    t0 = System.nanoTime();
    assertEquals(0, PretrainJob.run(pretrainArgs("local[2]", data, straight)));
    double straightSecs = (System.nanoTime() - t0) / 1e9;

    List<JsonNode> a = PretrainJobTest.metrics(straight);
    List<JsonNode> b = PretrainJobTest.metrics(killed);
    List<Long> expected = new ArrayList<>();
    for (long s = 0; s <= 6; s += 2) expected.add(s); // one metrics line per averaging round
    assertEquals(expected, a.stream().map(n -> n.path("step").asLong()).toList());
    assertEquals(
        expected, b.stream().map(n -> n.path("step").asLong()).toList(), "round 2 counted once");
    for (int i = 0; i < a.size(); i++) {
      assertEquals(
          a.get(i).path("tokens_seen").asLong(),
          b.get(i).path("tokens_seen").asLong(),
          "tokens at line " + i);
    }
    double va = a.get(a.size() - 1).path("val_loss").asDouble();
    double vb = b.get(b.size() - 1).path("val_loss").asDouble();
    System.out.printf(
        "executor loss, pretrain: final val loss %.6f vs uninterrupted %.6f (rel diff %.1e); "
            + "%.1f s on the cluster with the kill, %.1f s uninterrupted on local[2]; %s%n",
        vb, va, Math.abs(va - vb) / va, killedSecs, straightSecs, ExecutorKiller.describe());
    assertEquals(va, vb, PretrainKillResumeTest.TOLERANCE * va, "final validation loss");
  }

  static String[] pretrainArgs(String master, Path data, Path out) {
    return new String[] {
      "--master",
      master,
      "--data",
      data.toString(),
      "--output",
      out.toString(),
      "--model",
      "tiny",
      "--workers",
      "2",
      "--batch-size",
      "8",
      "--averaging-frequency",
      "2",
      "--learning-rate",
      "5e-3",
      "--max-steps",
      "6",
      "--set",
      "warmup_steps=2",
      "--set",
      "validation_interval=6",
      "--set",
      "validation_sequences=32",
      "--set",
      "checkpoint_interval=6"
    };
  }

  @Test
  void finetuneSurvivesAnExecutorKilledInRoundTwo() throws Exception {
    Path ft = Files.createDirectories(dir.resolve("ft"));
    long s0 = System.nanoTime();
    Path checkpoint = FinetuneJobTest.writeCheckpoint(ft.resolve("ckpt"));
    System.out.printf(
        "executor loss, finetune: pretrained checkpoint built in %.1f s%n",
        (System.nanoTime() - s0) / 1e9);
    Path train = FinetuneJobTest.task(ft, "train", 48, 1, true);
    Path validation = FinetuneJobTest.task(ft, "validation", 24, 2, true);

    ExecutorKiller.arm(FIT_STAGE, 2, FIT_KILL_DELAY_MS);
    long t0 = System.nanoTime();
    String killedLog =
        Console.out(
            () ->
                assertEquals(
                    0,
                    uncheck(
                        () ->
                            StandaloneCluster.withConf(
                                cluster.driverConf(2, ExecutorKiller.class),
                                () ->
                                    FinetuneJob.run(
                                        finetuneArgs(
                                            cluster.master(),
                                            checkpoint,
                                            train,
                                            validation,
                                            ft,
                                            "killed"))))));
    double killedSecs = (System.nanoTime() - t0) / 1e9;
    assertKilledMidStage();
    t0 = System.nanoTime();
    String straightLog =
        Console.out(
            () ->
                assertEquals(
                    0,
                    FinetuneJob.run(
                        finetuneArgs("local[2]", checkpoint, train, validation, ft, "straight"))));
    double straightSecs = (System.nanoTime() - t0) / 1e9;

    // 48 examples / batch 8 = 6 batches = 2 rounds of 2 workers x 2 batches (the last round 1 batch
    // each) per epoch
    assertEquals(List.of("2/3", "3/3"), stepLines(straightLog), straightLog);
    assertEquals(
        stepLines(straightLog), stepLines(killedLog), "every round logged once:\n" + killedLog);
    JsonNode a =
        new ObjectMapper().readTree(ft.resolve("straight").resolve("metrics.json").toFile());
    JsonNode b = new ObjectMapper().readTree(ft.resolve("killed").resolve("metrics.json").toFile());
    assertEquals(
        a.path("training").path("steps").asLong(), b.path("training").path("steps").asLong());
    double la = a.path("training").path("last_loss").asDouble();
    double lb = b.path("training").path("last_loss").asDouble();
    System.out.printf(
        "executor loss, finetune: last loss %.6f vs uninterrupted %.6f (rel diff %.1e), validation"
            + " accuracy %.4f vs %.4f; %.1f s on the cluster with the kill, %.1f s uninterrupted on"
            + " local[2]; %s%n",
        lb,
        la,
        Math.abs(la - lb) / la,
        b.path("evaluations").path("validation").path("accuracy").asDouble(),
        a.path("evaluations").path("validation").path("accuracy").asDouble(),
        killedSecs,
        straightSecs,
        ExecutorKiller.describe());
    assertEquals(la, lb, PretrainKillResumeTest.TOLERANCE * la, "last training loss");
    assertEquals(
        a.path("evaluations").path("validation").path("accuracy").asDouble(),
        b.path("evaluations").path("validation").path("accuracy").asDouble(),
        "validation accuracy");
    assertEquals(a.path("rejected").asLong(), b.path("rejected").asLong());
  }

  @Test
  void preprocessSurvivesAnExecutorKilledWhileWritingShards() throws Exception {
    ExecutorKiller.arm(WRITE_STAGE, 1, 0);
    Path killed = dir.resolve("pp-killed");
    long t0 = System.nanoTime();
    assertEquals(
        0,
        StandaloneCluster.withConf(
            cluster.driverConf(2, ExecutorKiller.class),
            () -> PreprocessJob.run(preprocessArgs(cluster.master(), corpus, killed))));
    double killedSecs = (System.nanoTime() - t0) / 1e9;
    // Shard-writing tasks can last a few milliseconds: the kill may land just after one ended. The
    // executor is
    // still gone with its cached blocks and shuffle files, so the output must match all the same.
    assertTrue(
        ExecutorKiller.awaitKill(0),
        "no executor was killed; stages: " + new TreeMap<>(ExecutorKiller.STAGES));
    Path straight = data;
    double straightSecs = dataSecs;

    List<String> files = relativeFiles(straight);
    assertEquals(files, relativeFiles(killed), "same files, no attempt leftovers");
    // Content, not bytes: parquet-mr lists a column's encodings in a hash order that differs
    // between JVMs.
    int shards = 0;
    for (String f : files) {
      if (f.startsWith("train/") || f.startsWith("validation/")) {
        if (!f.endsWith(".parquet")) continue;
        assertEquals(
            rows(straight.resolve(f)),
            rows(killed.resolve(f)),
            f + ": same sequences in the same order");
        shards++;
      }
    }
    assertTrue(shards >= 2, "train and validation shards: " + files);
    assertEquals(
        Files.readString(straight.resolve("tokenizer.json")),
        Files.readString(killed.resolve("tokenizer.json")));
    // Rejected documents come out of shuffles, whose order within a partition Spark does not fix:
    // same rows.
    List<String> rejected = sortedRows(straight.resolve("rejected"));
    assertEquals(rejected, sortedRows(killed.resolve("rejected")), "rejected documents");
    assertEquals(
        stable(straight.resolve("manifest.json")),
        stable(killed.resolve("manifest.json")),
        "manifest");
    assertEquals(
        stable(straight.resolve("stats.json")), stable(killed.resolve("stats.json")), "stats");
    System.out.printf(
        "executor loss, preprocess: %d shards with the same sequences, %d rejected rows equal; "
            + "%.1f s on the cluster with the kill, %.1f s uninterrupted on local[2]; %s%n",
        shards, rejected.size(), killedSecs, straightSecs, ExecutorKiller.describe());
  }

  static String[] preprocessArgs(String master, Path in, Path out) {
    return new String[] {
      "--master",
      master,
      "--input",
      in.toString(),
      "--output",
      out.toString(),
      "--vocab-size",
      "320",
      "--context-length",
      "16",
      "--validation-fraction",
      "0.2"
    };
  }

  /** Every record of every Parquet file under {@code dir}, as text, sorted. */
  static List<String> sortedRows(Path dir) throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList())
        out.addAll(rows(f));
    }
    out.sort(null);
    return out;
  }

  /** The records of one Parquet file, as text, in file order. */
  static List<String> rows(Path parquet) throws Exception {
    List<String> out = new ArrayList<>();
    try (ParquetReader<Group> r =
        ParquetReader.builder(
                new GroupReadSupport(), new org.apache.hadoop.fs.Path(parquet.toUri()))
            .build()) {
      for (Group g = r.read(); g != null; g = r.read()) out.add(g.toString());
    }
    return out;
  }

  /** Every regular file under {@code root}, relative and sorted. */
  static List<String> relativeFiles(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  /**
   * A JSON file without the fields that differ between any two runs (times, rates, the output
   * path).
   */
  static JsonNode stable(Path json) throws Exception {
    JsonNode n = new ObjectMapper().readTree(json.toFile());
    strip(n, json.getParent().toString());
    return n;
  }

  private static void strip(JsonNode n, String output) {
    if (n instanceof ObjectNode o) {
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        JsonNode v = o.get(k);
        if (VOLATILE.matcher(k).find() || v.isTextual() && v.asText().contains(output)) it.remove();
        else strip(v, output);
      }
    } else if (n.isArray()) {
      n.forEach(e -> strip(e, output));
    }
  }

  /** Field names of timings and throughput. */
  static final Pattern VOLATILE =
      Pattern.compile("(?i)(created|time|seconds|elapsed|_s$|per_s|duration|mb_s)");

  static String[] finetuneArgs(
      String master, Path checkpoint, Path train, Path validation, Path out, String runId) {
    return new String[] {
      "--master",
      master,
      "--checkpoint",
      checkpoint.toString(),
      "--task",
      "classification",
      "--train",
      train.toString(),
      "--validation",
      validation.toString(),
      "--text-columns",
      "sentence",
      "--id-column",
      "id",
      "--output",
      out.toString(),
      "--run-id",
      runId,
      "--batch-size",
      "8",
      "--learning-rate",
      "1e-3",
      "--set",
      "averaging_frequency=2",
      "--set",
      "workers=2",
      "--epochs",
      "1"
    };
  }

  /** "STEP/TOTAL" of every "step STEP/TOTAL | ..." line a job printed. */
  static List<String> stepLines(String log) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^step (\\d+/\\d+) \\|").matcher(log);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /**
   * The killer struck, while a task ran, and the job still finished (the caller checked the exit
   * code).
   */
  static void assertKilledMidStage() throws InterruptedException {
    assertTrue(
        ExecutorKiller.awaitKill(0),
        "no executor was killed; stages: " + new TreeMap<>(ExecutorKiller.STAGES));
    assertTrue(ExecutorKiller.killedPid.get() > 0, ExecutorKiller.describe());
    assertTrue(
        ExecutorKiller.lostTasks.get() >= 1,
        "a running task was lost with the executor: " + ExecutorKiller.describe());
  }

  interface Call<T> {
    T call() throws Exception;
  }

  static <T> T uncheck(Call<T> c) {
    try {
      return c.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
