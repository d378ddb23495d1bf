package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.jobs.decode.GenerationSettings;
import io.github.sparkgpt.jobs.decode.SparkCompleter;
import io.github.sparkgpt.jobs.decode.TextCompleter;
import io.github.sparkgpt.jobs.task.Completion;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.FinishReason;
import io.github.sparkgpt.model.decode.DecoderWeights;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch generation on local[2] with a tiny checkpoint written here. */
class GenerateBatchTest {
  @TempDir static Path dir;
  static Path checkpoint;
  static Checkpoint cp;
  static BpeTokenizer tok;

  static final List<String> PROMPTS =
      List.of("the movie was", "a great", "terrible and boring film", "I", "what a");

  @BeforeAll
  static void tinyCheckpoint() throws Exception {
    checkpoint = FinetuneJobTest.writeCheckpoint(dir.resolve("ckpt"));
    cp = Checkpoint.load(checkpoint);
    tok = ModelTools.tokenizer(cp, checkpoint.toString());
  }

  static GenerationSettings greedy() {
    return new GenerationSettings().setTemperature(0).setMaxNewTokens(6).setBatchSize(2);
  }

  /** What single-prompt generation gives for each prompt (one prompt per batch). */
  static List<String> oneByOne(GenerationSettings s) {
    List<String> out = new ArrayList<>();
    for (Completion c : oneByOneCompletions(s)) out.add(c.text());
    return out;
  }

  static List<Completion> oneByOneCompletions(GenerationSettings s) {
    TextCompleter one = new TextCompleter(DecoderWeights.of(cp.network()), tok, s);
    List<Completion> out = new ArrayList<>();
    for (String p : PROMPTS) out.add(one.completions(List.of(p)).get(0));
    return out;
  }

  @Test
  void generateWritesEveryRowWithAPromptKeepsIdsAndQuarantinesTheRest() throws Exception {
    Path input = dir.resolve("prompts.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < PROMPTS.size(); i++) {
      lines.add(
          "{\"id\":\"r" + i + "\",\"prompt\":\"" + PROMPTS.get(i) + "\",\"topic\":" + i + "}");
    }
    lines.add("{\"id\":\"blank\",\"prompt\":\"  \"}");
    lines.add("{\"id\":\"none\",\"topic\":9}");
    Files.write(input, lines);
    Path out = dir.resolve("out");
    String[] args = {
      "--checkpoint",
      checkpoint.toString(),
      "--input",
      input.toString(),
      "--output",
      out.toString(),
      "--id-column",
      "id",
      "--temperature",
      "0",
      "--max-new-tokens",
      "6",
      "--batch-size",
      "2",
      "--master",
      "local[2]"
    };
    assertEquals(0, JobRunner.execute("generate", new GenerateCommand(), args));

    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    Map<String, JsonNode> rows = rows(out.resolve("completions"));
    assertEquals(PROMPTS.size(), rows.size()); // 7 in - 2 quarantined
    List<Completion> expected = oneByOneCompletions(greedy());
    for (int i = 0; i < PROMPTS.size(); i++) {
      JsonNode r = rows.get("r" + i);
      assertEquals(PROMPTS.get(i), r.get("prompt").asText());
      assertEquals(i, r.get("topic").asInt());
      assertEquals(expected.get(i).text(), r.get("completion").asText(), "row r" + i);
      String why = expected.get(i).finish().label();
      assertEquals(why, r.get("finish_reason").asText(), "row r" + i);
    }
    assertEquals(List.of("blank", "none"), new ArrayList<>(rows(out.resolve("rejected")).keySet()));
    JsonNode counts = new ObjectMapper().readTree(out.resolve("generation.json").toFile());
    assertEquals(7, counts.get("rows_in").asLong());
    assertEquals(5, counts.get("written").asLong());
    assertEquals(2, counts.get("quarantined").get("missing_prompt").asLong());

    long before = Files.getLastModifiedTime(out.resolve("_SUCCESS")).toMillis();
    assertNotEquals(0, JobRunner.execute("generate", new GenerateCommand(), args));
    assertEquals(before, Files.getLastModifiedTime(out.resolve("_SUCCESS")).toMillis());
    String[] inside = args.clone();
    inside[5] = dir.toString(); // an output containing the input
    assertEquals(JobRunner.USAGE, JobRunner.execute("generate", new GenerateCommand(), inside));
  }

  @Test
  void parquetOutputHoldsTheSameRows() throws Exception {
    Path input = dir.resolve("parquet-prompts.jsonl");
    Files.write(input, List.of("{\"id\":\"a\",\"prompt\":\"" + PROMPTS.get(0) + "\"}"));
    Path out = dir.resolve("parquet-out");
    String[] args = {
      "--checkpoint",
      checkpoint.toString(),
      "--input",
      input.toString(),
      "--output",
      out.toString(),
      "--format",
      "parquet",
      "--temperature",
      "0",
      "--max-new-tokens",
      "6",
      "--master",
      "local[2]"
    };
    assertEquals(0, JobRunner.execute("generate", new GenerateCommand(), args));
    SparkSession spark = SparkSessions.create("parquet-test", "local[2]", null);
    try {
      var rows = spark.read().parquet(out.resolve("completions").toString()).collectAsList();
      assertEquals(1, rows.size());
      assertEquals("a", rows.get(0).getAs("id"));
      assertEquals(oneByOne(greedy()).get(0), rows.get(0).getAs("completion"));
      String why = oneByOneCompletions(greedy()).get(0).finish().label();
      assertEquals(why, rows.get(0).getAs("finish_reason"));
    } finally {
      spark.stop();
    }
  }

  @Test
  void sparkCompleterKeepsTheOrderAndAppliesStopStrings() {
    SparkSession spark = SparkSessions.create("completer-test", "local[2]", null);
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      GenerationSettings s = greedy();
      List<Completion> expected = oneByOneCompletions(s);
      assertEquals(expected, new SparkCompleter(jsc, cp.network(), tok, s).completions(PROMPTS));
      // a stop string taken from a real completion: the text ends right before it, and it ended
      String first = expected.get(0).text();
      String stopAt = first.substring(first.length() / 2, first.length() / 2 + 1);
      List<Completion> cut =
          new SparkCompleter(jsc, cp.network(), tok, greedy().setStop(List.of(stopAt)))
              .completions(PROMPTS);
      assertEquals(first.substring(0, first.indexOf(stopAt)), cut.get(0).text());
      assertEquals(FinishReason.STOP, cut.get(0).finish());
      for (Completion c : cut) assertFalse(c.text().contains(stopAt), c.text());
    } finally {
      spark.stop();
    }
  }

  @Test
  void aNewSparkContextNeverReusesThePreviousJobsCompleter() {
    // broadcast ids restart at 0 in every SparkContext: two jobs in one JVM, other settings
    List<List<String>> got = new ArrayList<>();
    for (int maxNew : new int[] {6, 2}) {
      SparkSession spark = SparkSessions.create("completer-" + maxNew, "local[2]", null);
      try {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        got.add(
            new SparkCompleter(jsc, cp.network(), tok, greedy().setMaxNewTokens(maxNew))
                .complete(PROMPTS));
      } finally {
        spark.stop();
      }
    }
    assertEquals(oneByOne(greedy().setMaxNewTokens(6)), got.get(0));
    assertEquals(oneByOne(greedy().setMaxNewTokens(2)), got.get(1));
  }

  /** id -> row of every JSON line in a Spark output directory, sorted by id. */
  static Map<String, JsonNode> rows(Path sparkDir) throws Exception {
    Map<String, JsonNode> out = new TreeMap<>();
    ObjectMapper m = new ObjectMapper();
    try (Stream<Path> files = Files.list(sparkDir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          JsonNode n = m.readTree(line);
          out.put(n.get("id").asText(), n);
        }
      }
    }
    return out;
  }
}
