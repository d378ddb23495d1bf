package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole preprocess job on local[2], on a generated corpus with planted bad records. */
class PreprocessJobTest {
  @TempDir static Path dir;
  static SyntheticCorpus corpus;
  static Path out;
  static int firstExit;

  @BeforeAll
  static void runJobOnce() throws Exception {
    corpus = new SyntheticCorpus().write(dir.resolve("in"), 60, 7);
    out = dir.resolve("out");
    // ~80 documents: split by document here (the default would split this few by window, as the
    // Kryo run does).
    firstExit =
        PreprocessJob.run(
            args(
                out,
                "--vocab-size",
                "400",
                "--context-length",
                "32",
                "--validation-fraction",
                "0.1",
                "--set",
                "dedup.minhash.num_partitions=2",
                "--set",
                "pack.window_split_below_documents=10"));
  }

  static String[] args(Path output, String... more) {
    List<String> a =
        new java.util.ArrayList<>(
            List.of(
                "--master",
                "local[2]",
                "--input",
                dir.resolve("in").toString(),
                "--output",
                output.toString()));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void writesACompleteOutput() throws Exception {
    assertEquals(0, firstExit);
    for (String f :
        List.of(
            "_SUCCESS",
            "manifest.json",
            "stats.json",
            "summary.txt",
            "tokenizer.json",
            "config.conf")) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
    try (var siblings = Files.list(dir)) {
      assertFalse(
          siblings.anyMatch(p -> p.getFileName().toString().contains(".tmp-")),
          "temporary directory left");
    }
  }

  @Test
  void manifestTokenCountsEqualTheTokensInTheShards() throws Exception {
    JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals(32, m.get("context_length").asInt());
    assertEquals(33, m.get("sequence_length").asInt());
    SparkSession spark = session();
    for (String split : List.of("train", "validation")) {
      JsonNode s = m.get("splits").get(split);
      long rows = 0;
      long tokens = 0;
      for (JsonNode shard : s.get("shards")) {
        Dataset<Row> df = spark.read().parquet(out.resolve(shard.get("path").asText()).toString());
        List<Row> all = df.collectAsList();
        long shardTokens = all.stream().mapToLong(r -> r.getList(0).size()).sum();
        all.forEach(r -> assertEquals(33, r.getList(0).size()));
        assertEquals(shard.get("rows").asLong(), all.size());
        assertEquals(shard.get("tokens").asLong(), shardTokens);
        rows += all.size();
        tokens += shardTokens;
      }
      assertTrue(rows > 0, split + " has rows");
      assertEquals(s.get("rows").asLong(), rows);
      assertEquals(s.get("tokens").asLong(), tokens);
    }
    int vocab = m.get("tokenizer").get("vocab_size").asInt();
    assertTrue(vocab <= 400, "vocab " + vocab);
    assertEquals(64, m.get("tokenizer").get("sha256").asText().length());
  }

  @Test
  void everyPlantedBadRecordIsInRejectedWithItsReason() {
    Map<String, Row> byId =
        session().read().parquet(out.resolve("rejected").toString()).collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r, (a, b) -> a));
    for (SyntheticCorpus.Planted p : corpus.planted) {
      Row row =
          byId.entrySet().stream()
              .filter(e -> e.getKey().endsWith(p.idFragment()))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(null);
      assertNotNull(
          row, "planted record " + p.idFragment() + " is not in rejected/: " + byId.keySet());
      if (p.reason() != null) {
        assertEquals(p.stage(), row.getString(2), p.idFragment());
        assertEquals(p.reason(), row.getString(3), p.idFragment());
      }
    }
  }

  @Test
  void statisticsAddUp() throws Exception {
    JsonNode stats = new ObjectMapper().readTree(out.resolve("stats.json").toFile());
    long prevOut = -1;
    long dropped = 0;
    for (JsonNode s : stats.get("stages")) {
      long in = s.get("docs_in").asLong();
      long outDocs = s.get("docs_out").asLong();
      long drops = 0;
      for (JsonNode n : s.get("dropped")) drops += n.asLong();
      assertEquals(in - outDocs, drops, s.get("stage").asText() + ": docs in - out = drops");
      if (prevOut >= 0)
        assertEquals(prevOut, in, s.get("stage").asText() + " starts where the previous ended");
      prevOut = outDocs;
      dropped += drops;
    }
    long rejectedRows = session().read().parquet(out.resolve("rejected").toString()).count();
    assertEquals(dropped, rejectedRows, "every drop is a row in rejected/");
    long kept =
        stats.get("tokens").get("train").get("documents").asLong()
            + stats.get("tokens").get("validation").get("documents").asLong();
    assertEquals(prevOut, kept);
    assertEquals("document", stats.get("split").get("mode").asText());
    assertEquals(kept, stats.get("split").get("documents").asLong());
    assertEquals(
        "document",
        new ObjectMapper()
            .readTree(out.resolve("manifest.json").toFile())
            .get("split_mode")
            .asText());
    assertTrue(
        kept >= corpus.goodDocuments - 2,
        "good documents kept: " + kept + " of " + corpus.goodDocuments);
  }

  @Test
  void runsWhereTheClusterDefaultSerializerIsKryo() throws Exception {
    // spark-defaults.conf often sets Kryo; Spark's Kryo 4 cannot serialize Java records without our
    // registrator.
    System.setProperty("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    try {
      Path kryoOut = dir.resolve("out-kryo");
      assertEquals(
          0,
          PreprocessJob.run(
              args(
                  kryoOut,
                  "--vocab-size",
                  "400",
                  "--context-length",
                  "32",
                  "--validation-fraction",
                  "0.1",
                  "--set",
                  "dedup.minhash.num_partitions=2")));
      assertEquals(
          Files.readString(out.resolve("tokenizer.json")),
          Files.readString(kryoOut.resolve("tokenizer.json")),
          "same corpus, same tokenizer, whatever the serializer");
      // With the default pack.window_split_below_documents this few documents are split by sequence
      // window.
      JsonNode m = new ObjectMapper().readTree(kryoOut.resolve("manifest.json").toFile());
      assertEquals("window", m.get("split_mode").asText());
      assertTrue(m.get("splits").get("validation").get("rows").asLong() > 0, m.toString());
      JsonNode stats = new ObjectMapper().readTree(kryoOut.resolve("stats.json").toFile());
      long trainRows = stats.get("tokens").get("train").get("sequences").asLong();
      long validationRows = stats.get("tokens").get("validation").get("sequences").asLong();
      assertEquals(
          Math.max(1, Math.round(0.1 * (trainRows + validationRows))),
          validationRows,
          "10% of the windows");
    } finally {
      System.clearProperty("spark.serializer");
    }
  }

  @Test
  void rerunIntoCompleteOutputIsRefusedUnlessOverwrite() {
    String err =
        Console.err(() -> assertEquals(1, PreprocessJob.run(args(out, "--vocab-size", "400"))));
    assertTrue(err.contains("--overwrite"), err);
    assertEquals(1, err.strip().lines().count(), "one line: " + err);
  }

  @Test
  void outputThatIsOrHoldsTheInputIsRefusedAndTheInputSurvives() throws Exception {
    Path in = dir.resolve("in");
    long files;
    try (var s = Files.walk(in)) {
      files = s.count();
    }
    for (String output :
        List.of(
            in.toString(),
            "file://" + in,
            dir.resolve("in/../in").toString(),
            dir.toString(),
            in.resolve("pre").toString())) {
      String err =
          Console.err(
              () ->
                  assertEquals(
                      2,
                      PreprocessJob.run(
                          "--master",
                          "local[1]",
                          "--input",
                          in.toString(),
                          "--output",
                          output,
                          "--overwrite",
                          "--vocab-size",
                          "400")));
      assertTrue(
          err.contains("input " + in) && err.contains("choose an output outside every input"), err);
      assertEquals(1, err.strip().lines().count(), "one line: " + err);
    }
    try (var s = Files.walk(in)) {
      assertEquals(files, s.count(), "the input is untouched");
    }
  }

  @Test
  void foreignDirectoryAsOutputIsRefusedAndKept() throws Exception {
    Path foreign = Files.createDirectories(dir.resolve("someones-home"));
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    String err =
        Console.err(() -> assertEquals(2, PreprocessJob.run(args(foreign, "--vocab-size", "400"))));
    assertTrue(err.contains(foreign.toString()) && err.contains("refusing to replace it"), err);
    assertEquals("mine", Files.readString(foreign.resolve("notes.txt")));
  }

  @Test
  void missingInputAndBadOptionsFailWithOneLine() {
    String err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    PreprocessJob.run(
                        "--master",
                        "local[1]",
                        "--input",
                        dir.resolve("nope").toString(),
                        "--output",
                        dir.resolve("o2").toString())));
    assertTrue(err.contains("nope"), err);
    assertEquals(1, err.strip().lines().count(), "one line: " + err);

    String bad =
        Console.err(
            () ->
                assertEquals(
                    2,
                    PreprocessJob.run(
                        "--input",
                        "x",
                        "--output",
                        "y",
                        "--set",
                        "quality.gopher_quality.min_words=3")));
    assertTrue(bad.contains("quality.gopher_quality.min_words"), bad);
    assertFalse(Files.exists(dir.resolve("o2")));
  }

  /**
   * The reading session must not outlive a test: a job started later would reuse it with the wrong
   * settings.
   */
  @AfterEach
  void stopReadingSession() {
    scala.Option<SparkSession> s = SparkSession.getDefaultSession();
    if (s.isDefined()) s.get().stop();
  }

  static SparkSession session() {
    return SparkSession.builder()
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
  }
}
