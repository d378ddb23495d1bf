package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * prepare-tasks --only on the prompt -> response sets, from package directories fetch-data makes.
 */
class PrepareGenerativeSetsTest {
  @TempDir Path data;

  private int run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--data";
    all[1] = data.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return JobRunner.execute("prepare-tasks", new PrepareTasksCommand(), all);
  }

  @Test
  void buildsTheNamedSetsWithTheirSectionsAndCaps() throws Exception {
    Path fortunes = Files.createDirectories(data.resolve("fortunes-min"));
    Files.writeString(
        fortunes.resolve("riddles"),
        "Q:\tAre we not men?\nA:\tWe are Vaxen.\n%\n"
            + "Q:\tHow do you save a drowning lawyer?\nA:\tThrow him a big heavy rock.\n%\n");
    Files.writeString(fortunes.resolve("source.txt"), "fortunes-min 1:1.99.1-7.3\n");
    Path lt = Files.createDirectories(data.resolve("languagetool-en"));
    Files.writeString(
        lt.resolve("grammar.xml"),
        "<rules><category id=\"C\"><rule id=\"OUR_OUT\"><short>Possible typo</short>"
            + "<example correction=\"our\">We evaluated <marker>out</marker> method.</example>"
            + "</rule></category></rules>");
    String out =
        Console.out(
            () ->
                assertEquals(
                    0,
                    run(
                        "--only",
                        "fortune-riddles,languagetool-correction-pairs",
                        "--max-response-words",
                        "4")));
    assertTrue(out.matches("(?s).*fortune-riddles\\s+1\\s+0\\s+0\\s+1\\s+\\n.*"), out);
    Path prepared = data.resolve("prepared");
    JsonNode riddles =
        new ObjectMapper().readTree(prepared.resolve("fortune-riddles/info.json").toFile());
    assertEquals("prompt", riddles.path("sft").path("prompt_column").asText());
    assertEquals(4, riddles.path("parameters").path("max_response_words").asInt());
    assertEquals(
        1, riddles.path("quarantined").path("reasons").path("riddle_response_too_long").asInt());
    assertTrue(riddles.path("source").asText().contains("fortunes-min 1:1.99.1-7.3"));
    JsonNode pairs =
        new ObjectMapper()
            .readTree(prepared.resolve("languagetool-correction-pairs/info.json").toFile());
    assertEquals("chosen", pairs.path("dpo").path("chosen_column").asText());
    List<String> rows =
        Files.readAllLines(prepared.resolve("languagetool-correction-pairs/train.jsonl"));
    assertEquals(
        List.of(
            "{\"id\":\"OUR_OUT-1\",\"prompt\":\"Write this sentence correctly (Possible typo):\","
                + "\"chosen\":\"We evaluated our method.\",\"rejected\":\"We evaluated out"
                + " method.\",\"rule\":\"OUR_OUT\"}"),
        rows);
  }

  @Test
  void aNamedSetWithoutItsPackageIsAUsageError() {
    String err = Console.err(() -> assertEquals(2, run("--only", "jargon-definitions")));
    assertTrue(err.contains("jargon-definitions: no fetched data at"), err);
    assertTrue(err.contains("dict-jargon"), err);
  }
}
