package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare-tasks end to end on a small data/tasks tree written by the test. */
class PrepareTasksCommandTest {
  @TempDir static Path root;
  static Path data;

  @BeforeAll
  static void rawData() throws Exception {
    data = root.resolve("data/tasks");
    Path sentiment = Files.createDirectories(data.resolve("sentiment"));
    for (String source : List.of("amazon", "imdb", "yelp")) {
      StringBuilder a = new StringBuilder("[");
      for (int i = 0; i < 10; i++)
        a.append("{\"text\":\"")
            .append(source)
            .append(" sentence ")
            .append(i)
            .append("\",\"class\":")
            .append(i % 2)
            .append("},");
      Files.writeString(
          sentiment.resolve(source + ".json"),
          a.append("{\"text\":\"\",\"class\":null}]").toString());
    }
    Path ham = Files.createDirectories(data.resolve("spam/easy-ham-1"));
    Path spam = Files.createDirectories(data.resolve("spam/spam-1"));
    for (int i = 0; i < 10; i++) {
      Files.writeString(
          ham.resolve(i + ".txt"),
          "From: a@example.com\nSubject: meeting " + i + "\n\nSee you at " + i + ".\n");
      Files.writeString(
          spam.resolve(i + ".txt"),
          "From: b@example.com\nSubject: offer "
              + i
              + "\nContent-Type: text/html\n\n<p>Buy "
              + i
              + "</p>\n");
    }
    Files.writeString(
        spam.resolve("broken.txt"),
        "Subject: x\nContent-Type: multipart/mixed; boundary=\"Q\"\n\nno parts\n");
    Files.createDirectories(data.resolve("brown-genres"));
    Path brown = Files.createDirectories(root.resolve("data/corpora/brown"));
    StringBuilder cats = new StringBuilder();
    for (int i = 10; i < 30; i++) {
      String genre = i % 2 == 0 ? "news" : "fiction";
      cats.append("c").append(i).append(' ').append(genre).append('\n');
      Files.writeString(
          brown.resolve("c" + i + ".txt"), "Document " + i + " is about " + genre + ".\n");
    }
    Files.writeString(data.resolve("brown-genres/cats.txt"), cats.toString());
    Path dict = Files.createDirectories(data.resolve("wordnet/dict"));
    String[] nouns = {
      "animal", "dog", "poodle", "cat", "stone", "rock", "car", "auto", "tree", "oak"
    };
    StringBuilder noun = new StringBuilder("  1 license header  \n");
    noun.append("00000100 03 n 01 animal 0 000 | a living organism\n");
    noun.append("00000200 05 n 01 dog 0 001 @ 00000100 n 0000 | a domesticated carnivore\n");
    noun.append("00000300 05 n 01 poodle 0 001 @ 00000200 n 0000 | a curly-coated breed\n");
    noun.append("00000400 05 n 01 cat 0 001 @ 00000100 n 0000 | a small feline\n");
    noun.append("00000500 27 n 02 stone 0 rock 0 000 | a lump of mineral matter\n");
    noun.append("00000600 06 n 02 car 0 auto 0 000 | a motor vehicle\n");
    noun.append("00000700 20 n 01 tree 0 000 | a tall woody plant\n");
    noun.append("00000800 20 n 01 oak 0 001 @ 00000700 n 0000 | a tree of the genus Quercus\n");
    assertEquals(10, nouns.length);
    Files.writeString(dict.resolve("data.noun"), noun.toString());
    for (String f : List.of("data.verb", "data.adj", "data.adv"))
      Files.writeString(dict.resolve(f), "  1 license header  \n");
  }

  private static int run(String... extra) {
    List<String> args = new ArrayList<>(List.of("--data", data.toString()));
    args.addAll(List.of(extra));
    return JobRunner.execute(
        "prepare-tasks", new PrepareTasksCommand(), args.toArray(String[]::new));
  }

  @Test
  void buildsEverySetSkipsCompleteOnesAndOverwritesOnRequest() throws Exception {
    Path out = data.resolve("prepared");
    String first = Console.out(() -> assertEquals(0, run()));
    // 15 sentences per label: round(15 * 2/3) = 10 train, round(15 / 6) = 3 validation, 2 test.
    assertTrue(
        first.matches("(?s).*sentiment\\s+20\\s+6\\s+4\\s+0\\s+negative, positive\\n.*"), first);
    assertTrue(first.matches("(?s).*spam\\s+16\\s+2\\s+2\\s+1\\s+ham, spam\\n.*"), first);
    assertTrue(
        first.matches("(?s).*brown-genres\\s+16\\s+2\\s+2\\s+0\\s+fiction, news\\n.*"), first);
    // No package was fetched for the prompt -> response sets: each is skipped with one line.
    assertTrue(first.contains("\njargon-definitions: skipped, no "), first);
    for (String name :
        List.of(
            "sentiment",
            "spam",
            "brown-genres",
            "wordnet-definition-choice-derived",
            "wordnet-synonym-similarity-derived",
            "wordnet-hypernym-entailment-derived")) {
      for (String f :
          List.of("train.jsonl", "validation.jsonl", "test.jsonl", "info.json", "_SUCCESS")) {
        assertTrue(Files.exists(out.resolve(name).resolve(f)), name + "/" + f);
      }
    }
    JsonNode spamInfo = new ObjectMapper().readTree(out.resolve("spam/info.json").toFile());
    assertEquals(
        1, spamInfo.path("quarantined").path("reasons").path("email_malformed_mime").asInt());
    assertEquals(8, spamInfo.path("counts").path("train").path("labels").path("spam").asInt());
    assertEquals(1, Files.readAllLines(out.resolve("spam/quarantine.jsonl")).size());

    // The finetune job's reader takes the files with the columns info.json names.
    JsonNode mc =
        new ObjectMapper()
            .readTree(out.resolve("wordnet-definition-choice-derived/info.json").toFile())
            .path("finetune");
    assertEquals("multiple_choice", mc.path("task").asText());
    TaskReader.Result read =
        new TaskReader()
            .setInputColumns(List.of("definition", "choices"))
            .setIdColumn("id")
            .read(
                out.resolve("wordnet-definition-choice-derived/train.jsonl").toString(),
                new Configuration());
    assertTrue(read.rejected().isEmpty());
    assertFalse(read.examples().isEmpty());
    for (TaskExample e : read.examples()) {
      assertEquals(5, e.inputs().size()); // definition + 4 choices
      assertTrue(List.of("0", "1", "2", "3").contains(e.label()), e.label());
    }
    TaskReader.Result pairs =
        new TaskReader()
            .setInputColumns(List.of("premise", "hypothesis"))
            .read(
                out.resolve("wordnet-hypernym-entailment-derived/train.jsonl").toString(),
                new Configuration());
    assertTrue(pairs.examples().stream().allMatch(e -> e.inputs().get(0).endsWith(" is here.")));

    // A second run skips complete sets and leaves their files alone.
    long before = Files.getLastModifiedTime(out.resolve("sentiment/train.jsonl")).toMillis();
    String second = Console.out(() -> assertEquals(0, run("--only", "sentiment,spam")));
    assertTrue(second.contains("(complete, skipped)"), second);
    assertFalse(second.contains("brown-genres"), second);
    assertEquals(
        before, Files.getLastModifiedTime(out.resolve("sentiment/train.jsonl")).toMillis());

    // --overwrite rebuilds, with the same seed to the same content.
    String train = Files.readString(out.resolve("sentiment/train.jsonl"));
    Files.writeString(out.resolve("sentiment/train.jsonl"), "tampered\n");
    String third = Console.out(() -> assertEquals(0, run("--only", "sentiment", "--overwrite")));
    assertFalse(third.contains("skipped"), third);
    assertEquals(train, Files.readString(out.resolve("sentiment/train.jsonl")));
    assertTrue(Files.list(data).noneMatch(p -> p.getFileName().toString().contains(".tmp")));
  }

  @Test
  void fileUrisForDataAndOutputAreTheirPaths() throws Exception {
    Path out = root.resolve("uri-out");
    String first =
        Console.out(
            () ->
                assertEquals(
                    0,
                    JobRunner.execute(
                        "prepare-tasks",
                        new PrepareTasksCommand(),
                        new String[] {
                          "--data",
                          data.toUri().toString(),
                          "--output",
                          out.toUri().toString(),
                          "--only",
                          "sentiment"
                        })));
    assertTrue(Files.exists(out.resolve("sentiment/_SUCCESS")), first);
    String again =
        Console.out(
            () ->
                assertEquals(
                    0,
                    JobRunner.execute(
                        "prepare-tasks",
                        new PrepareTasksCommand(),
                        new String[] {
                          "--data",
                          data.toUri().toString(),
                          "--output",
                          out.toUri().toString(),
                          "--only",
                          "sentiment"
                        })));
    assertTrue(again.contains("(complete, skipped)"), again);
    assertFalse(Files.exists(Path.of("file:")));
  }

  @Test
  void badUsageIsOneLineAndExitCodeTwo() {
    String err =
        Console.err(
            () -> assertEquals(2, run("--only", "nope", "--output", root.resolve("x").toString())));
    assertTrue(
        err.startsWith(
            "prepare-tasks: error: --only nope: unknown task set; known: sentiment, spam"),
        err);
    assertEquals(1, err.strip().lines().count(), err);
    String missing =
        Console.err(
            () ->
                assertEquals(
                    2,
                    JobRunner.execute(
                        "prepare-tasks",
                        new PrepareTasksCommand(),
                        new String[] {
                          "--data", root.resolve("none").toString(), "--only", "sentiment"
                        })));
    assertTrue(missing.contains("sentiment file not found"), missing);
  }
}
