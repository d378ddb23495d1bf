package io.github.sparkgpt.pipeline.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.RejectedDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskReaderTest {
  private final Configuration conf = new Configuration();

  @Test
  void csvWithQuotesAndATsvPairTask(@TempDir Path dir) throws Exception {
    Path csv =
        Files.writeString(
            dir.resolve("t.csv"),
            "sentence,label\n\"Good, really \"\"good\"\"\",pos\n" + "\"two\nlines\",neg\n,pos\n");
    TaskReader.Result r =
        new TaskReader().setInputColumns(List.of("sentence")).read(csv.toString(), conf);
    assertEquals(2, r.examples().size());
    assertEquals("Good, really \"good\"", r.examples().get(0).inputs().get(0));
    assertEquals("two\nlines", r.examples().get(1).inputs().get(0));
    assertEquals("neg", r.examples().get(1).label());
    assertEquals(
        List.of("task_missing_field"),
        r.rejected().stream().map(RejectedDocument::reason).toList());

    Path tsv =
        Files.writeString(
            dir.resolve("p.tsv"),
            "premise\thypothesis\tgold\nA man sleeps.\tA person rests.\tentailment\n");
    TaskReader.Result pairs =
        new TaskReader()
            .setInputColumns(List.of("premise", "hypothesis"))
            .setLabelColumn("gold")
            .read(tsv.toString(), conf);
    assertEquals(List.of("A man sleeps.", "A person rests."), pairs.examples().get(0).inputs());
    assertEquals("entailment", pairs.examples().get(0).label());
  }

  @Test
  void optionalColumnsAreKeptByNameWhenPresentAndNeverRejectARow(@TempDir Path dir)
      throws Exception {
    String jsonl = "{\"p\":\"a\",\"why\":\"length\"}\n{\"p\":\"b\"}\n{\"p\":\"c\",\"why\":\" \"}\n";
    List<TaskExample> r = optionalWhy(Files.writeString(dir.resolve("pairs.jsonl"), jsonl));
    assertEquals(3, r.size());
    assertEquals(Map.of("why", "length"), r.get(0).optional());
    assertEquals(Map.of(), r.get(1).optional()); // absent
    assertEquals(Map.of(), r.get(2).optional()); // blank
    List<TaskExample> c =
        optionalWhy(Files.writeString(dir.resolve("p.csv"), "p,why\na,stop\nb,\n"));
    assertEquals(Map.of("why", "stop"), c.get(0).optional());
    assertEquals(Map.of(), c.get(1).optional());
  }

  private List<TaskExample> optionalWhy(Path file) {
    TaskReader reader =
        new TaskReader().setInputColumns(List.of("p")).setOptionalColumns(List.of("why"));
    return reader.read(file.toString(), conf).examples();
  }

  @Test
  void jsonlWithAnswerArraysAndMalformedLines(@TempDir Path dir) throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("mc.jsonl"),
            "{\"id\":\"q1\",\"question\":\"A dog is"
                + " a\",\"choices\":[\"plant\",\"animal\",\"rock\"],\"answer\":1}\n"
                + "{broken\n"
                + "{\"id\":\"q3\",\"question\":\"x\",\"choices\":[],\"answer\":0}\n");
    TaskReader.Result r =
        new TaskReader()
            .setInputColumns(List.of("question", "choices"))
            .setLabelColumn("answer")
            .setIdColumn("id")
            .read(f.toString(), conf);
    assertEquals(1, r.examples().size());
    TaskExample e = r.examples().get(0);
    assertTrue(e.id().endsWith("#id=q1"), e.id());
    assertEquals(List.of("A dog is a", "plant", "animal", "rock"), e.inputs());
    assertEquals("1", e.label());
    assertEquals(
        List.of("task_malformed_row", "task_missing_field"),
        r.rejected().stream().map(RejectedDocument::reason).toList());
    assertTrue(r.rejected().get(0).id().endsWith("#L2"));
  }

  @Test
  void multipleChoiceAnswersAsOneColumnEachOrAsAJsonArrayCell(@TempDir Path dir) throws Exception {
    Path each =
        Files.writeString(
            dir.resolve("mc.csv"),
            "ctx,a0,a1,a2,gold\nA dog is a,plant,animal,rock,1\n" + "Snow is,hot,cold,,1\n");
    TaskReader.Result r =
        new TaskReader()
            .setInputColumns(List.of("ctx", "a0", "a1", "a2"))
            .setLabelColumn("gold")
            .read(each.toString(), conf);
    assertEquals(List.of("A dog is a", "plant", "animal", "rock"), r.examples().get(0).inputs());
    assertEquals("1", r.examples().get(0).label());
    assertEquals(
        List.of("task_missing_field"),
        r.rejected().stream().map(RejectedDocument::reason).toList());

    Path cells =
        Files.writeString(
            dir.resolve("mc.tsv"),
            "context\tanswers\tlabel\n"
                + "A dog is a\t[\"plant\", \"animal\", \"rock\"]\t1\n"
                + "[Music] plays\t[\"loud\",\"quiet\"]\t0\n"
                + "x\t[]\t0\n");
    TaskReader mc =
        new TaskReader().setInputColumns(List.of("context", "answers")).setArrayCells(true);
    TaskReader.Result a = mc.read(cells.toString(), conf);
    assertEquals(List.of("A dog is a", "plant", "animal", "rock"), a.examples().get(0).inputs());
    assertEquals(
        List.of("[Music] plays", "loud", "quiet"),
        a.examples().get(1).inputs()); // not JSON: kept as text
    assertEquals(
        List.of("task_missing_field"),
        a.rejected().stream().map(RejectedDocument::reason).toList());
    // off by default: a bracketed cell is ordinary text
    TaskReader.Result plain =
        new TaskReader()
            .setInputColumns(List.of("context", "answers"))
            .read(cells.toString(), conf);
    assertEquals(2, plain.examples().get(0).inputs().size());
  }

  @Test
  void scoresMustBeFiniteNumbers() {
    TaskReader.Result in =
        new TaskReader.Result(
            List.of(
                new TaskExample("a", List.of("x", "y"), "3.8"),
                new TaskExample("b", List.of("x", "y"), "high"),
                new TaskExample("c", List.of("x", "y"), "NaN"),
                new TaskExample("d", List.of("x", "y"), null),
                new TaskExample("e", List.of("x", "y"), " 0 ")),
            List.of());
    TaskReader.Result out = TaskReader.applyScores(in);
    assertEquals(List.of("a", "e"), out.examples().stream().map(TaskExample::id).toList());
    assertEquals(
        List.of("task_bad_score", "task_bad_score", "task_missing_label"),
        out.rejected().stream().map(RejectedDocument::reason).toList());
    assertEquals(3.8, TaskReader.parseScore("3.8"));
    assertEquals(null, TaskReader.parseScore("Infinity"));
  }

  @Test
  void jsonArrayAsPublishedBySentimentAndUnknownLabels(@TempDir Path dir) throws Exception {
    // The npm `sentiment` fixtures: a JSON array whose last element has a null class.
    Path f =
        Files.writeString(
            dir.resolve("s.json"),
            "[{\"text\":\"Great phone.\",\"class\":1},{\"text\":\"Broke in a week.\",\"class\":0},"
                + "{\"text\":\"Meh.\",\"class\":7},{\"text\":\"\",\"class\":null}]");
    TaskReader.Result r = new TaskReader().setLabelColumn("class").read(f.toString(), conf);
    assertEquals(3, r.examples().size());
    assertEquals(1, r.rejected().size(), "the empty trailing element");
    LabelMap labels = new LabelMap(List.of("0", "1"));
    TaskReader.Result labelled = TaskReader.applyLabels(r, labels);
    assertEquals(2, labelled.examples().size());
    assertEquals("task_unknown_label", labelled.rejected().get(1).reason());
  }

  @Test
  void labelMapOrdersNumbersNumerically() {
    LabelMap m = LabelMap.fromLabels(List.of("10", "2", "1", "2"));
    assertEquals(List.of("1", "2", "10"), m.names());
    assertEquals(2, m.indexOf("10"));
    assertEquals(-1, m.indexOf("3"));
    assertEquals(
        List.of("neg", "pos"),
        LabelMap.fromLabels(java.util.Arrays.asList("pos", null, "neg")).names());
  }

  @Test
  void missingFileAndBadFormatFailClearly(@TempDir Path dir) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TaskReader().read(dir.resolve("nope.csv").toString(), conf));
    assertTrue(e.getMessage().contains("nope.csv"));
    assertThrows(
        IllegalArgumentException.class, () -> new TaskReader().setFormat("xml").validate());
  }
}
