package io.github.sparkgpt.pipeline.task.sets.generative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.pipeline.task.sets.TaskRow;
import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import io.github.sparkgpt.pipeline.task.sets.TaskSetWriter;
import io.github.sparkgpt.pipeline.task.sets.TaskSplitter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrections and preference pairs from hand-written LanguageTool rule files. */
class LanguageToolSetsTest {
  @TempDir Path dir;
  Path rules;

  @BeforeEach
  void ruleFiles() throws Exception {
    rules = Files.createDirectories(dir.resolve("languagetool-en"));
    Files.writeString(
        rules.resolve("grammar.xml"),
        "\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<!DOCTYPE rules [\n"
            + "  <!ENTITY apostrophe \"['’]\">\n"
            + "]>\n"
            + "<rules lang=\"en\">\n"
            + "<category id=\"GRAMMAR\" name=\"Grammar\">\n"
            + "<rulegroup id=\"OUR_OUT\" name=\"out (our)\">\n"
            + "  <rule><pattern><token>out</token></pattern>\n"
            + "    <message>Did you mean <suggestion>our</suggestion>?</message>\n"
            + "    <short>Possible typo</short>\n"
            + "    <example correction=\"our\">We evaluated <marker>out</marker>"
            + " method.</example>\n"
            + "    <example>We went out.</example>\n"
            + "  </rule>\n"
            + "  <rule><pattern><token regexp=\"yes\">&apostrophe;</token></pattern>\n"
            + "    <example correction=\"our|your\">Before we test <marker>out</marker>\n"
            + "      new method...</example>\n"
            + "  </rule>\n"
            + "</rulegroup>\n"
            + "<rule id=\"SEEMING_SEEMS\" name=\"seeming\">\n"
            + "  <example correction=\"seems\">It is <marker>seeming</marker> so.</example>\n"
            + "  <example type=\"incorrect\">It is <marker>seeming</marker> odd.</example>\n"
            + "  <example correction=\"\">A <marker>b</marker> c.</example>\n"
            + "  <example correction=\"Same\">The <marker>Same</marker> thing.</example>\n"
            + "</rule>\n"
            + "</category>\n"
            + "</rules>\n");
    Files.writeString(
        rules.resolve("style.xml"),
        "<?xml version=\"1.0\"?>\n<rules lang=\"en\"><category id=\"STYLE\">\n"
            + "<rule id=\"TWO_MARKERS\"><example correction=\"x\"><marker>a</marker> and"
            + " <marker>b</marker>.</example></rule>\n</category></rules>\n");
    Files.writeString(rules.resolve("source.txt"), "org.languagetool:language-en 6.8\n");
  }

  private static List<String> reasons(TaskSet s) {
    return s.quarantined().stream().map(q -> q.id() + " " + q.reason()).toList();
  }

  @Test
  void correctionsReplaceTheMarkerByEachCorrectionAndKeyByRuleGroup() {
    TaskSet s = CorrectionTask.sentences(rules).build();
    List<Map<String, Object>> rows = s.rows().stream().map(TaskRow::fields).toList();
    assertEquals(
        List.of(
            Map.of(
                "id", "OUR_OUT-1",
                "prompt", "Correct this sentence: We evaluated out method.",
                "response", "We evaluated our method.",
                "rule", "OUR_OUT"),
            Map.of(
                "id", "OUR_OUT-2",
                "prompt", "Correct this sentence: Before we test out new method...",
                "response",
                    List.of(
                        "Before we test our new method...", "Before we test your new method..."),
                "rule", "OUR_OUT"),
            Map.of(
                "id", "SEEMING_SEEMS-1",
                "prompt", "Correct this sentence: It is seeming so.",
                "response", "It is seems so.",
                "rule", "SEEMING_SEEMS"),
            Map.of(
                "id", "SEEMING_SEEMS-4",
                "prompt", "Correct this sentence: The Same thing.",
                "response", "The Same thing.",
                "rule", "SEEMING_SEEMS")),
        rows);
    assertEquals(
        List.of("OUR_OUT", "OUR_OUT", "SEEMING_SEEMS", "SEEMING_SEEMS"),
        s.rows().stream().map(TaskRow::key).toList());
    assertEquals(
        List.of(
            "SEEMING_SEEMS-2 lt_no_correction",
            "SEEMING_SEEMS-3 lt_no_correction",
            "TWO_MARKERS-1 lt_marker_count_2"),
        reasons(s));
    assertEquals(7, s.info().get("inputs"));
  }

  @Test
  void pairsRejectTheSentenceAsWrittenAndQuarantineNoOpCorrections() {
    TaskSet s = CorrectionTask.pairs(rules).build();
    Map<String, Object> first = s.rows().get(0).fields();
    assertEquals(
        List.of("id", "prompt", "chosen", "rejected", "rule"), List.copyOf(first.keySet()));
    assertEquals("Write this sentence correctly (Possible typo):", first.get("prompt"));
    assertEquals("We evaluated our method.", first.get("chosen"));
    assertEquals("We evaluated out method.", first.get("rejected"));
    assertEquals("Write this sentence correctly:", s.rows().get(1).fields().get("prompt"));
    assertEquals("Before we test our new method...", s.rows().get(1).fields().get("chosen"));
    assertEquals(3, s.rows().size());
    assertTrue(
        reasons(s).contains("SEEMING_SEEMS-4 lt_chosen_equals_rejected"), reasons(s).toString());
    assertEquals(
        Map.of(
            "prompt_column", "prompt",
            "chosen_column", "chosen",
            "rejected_column", "rejected",
            "id_column", "id"),
        s.info().get("dpo"));
    assertFalse(s.info().containsKey("sft"));
  }

  /** Many rules, so that all three splits get some: no rule's examples straddle two splits. */
  @Test
  void splitsByRuleIdAndRerunsByteIdentically() throws Exception {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<rules><category id=\"C\">\n");
    for (int r = 0; r < 40; r++) {
      xml.append("<rule id=\"R").append(r).append("\">");
      for (int e = 0; e < 1 + r % 3; e++)
        xml.append("<example correction=\"fixed\">Sentence ")
            .append(e)
            .append(" of rule ")
            .append(r)
            .append(" is <marker>broken</marker>.</example>");
      xml.append("</rule>\n");
    }
    Files.writeString(rules.resolve("grammar.xml"), xml.append("</category></rules>\n").toString());
    Files.delete(rules.resolve("style.xml"));
    CorrectionTask builder = CorrectionTask.sentences(rules);
    TaskSet set = builder.build();
    assertEquals(79, set.rows().size()); // 14 rules with one example, 13 with two, 13 with three
    Configuration conf = new Configuration();
    String out = dir.resolve("prepared").toString();
    TaskSetWriter.Summary s = TaskSetWriter.write(set, builder.splitter(), out, false, conf);
    assertEquals(79, s.splitCounts().values().stream().mapToInt(Integer::intValue).sum());
    Map<String, String> splitOfRule = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    Path setDir = Path.of(out, CorrectionTask.NAME);
    for (String split : TaskSplitter.SPLITS) {
      List<String> lines = Files.readAllLines(setDir.resolve(split + ".jsonl"));
      assertFalse(lines.isEmpty(), split);
      for (String line : lines) {
        String rule = json.readTree(line).get("rule").asText();
        String before = splitOfRule.putIfAbsent(rule, split);
        assertTrue(
            before == null || before.equals(split), rule + " in " + before + " and " + split);
      }
    }
    JsonNode info = json.readTree(setDir.resolve("info.json").toFile());
    assertEquals("response", info.path("sft").path("response_column").asText());
    assertEquals(0, info.path("labels").size());
    assertEquals(
        "org.languagetool:language-en 6.8",
        info.path("source").asText().split(" \\(")[0].substring(14));
    byte[] train = Files.readAllBytes(setDir.resolve("train.jsonl"));
    byte[] infoBytes = Files.readAllBytes(setDir.resolve("info.json"));
    TaskSetWriter.write(
        CorrectionTask.sentences(rules).build(), builder.splitter(), out, true, conf);
    assertArrayEquals(train, Files.readAllBytes(setDir.resolve("train.jsonl")));
    assertArrayEquals(infoBytes, Files.readAllBytes(setDir.resolve("info.json")));
  }
}
