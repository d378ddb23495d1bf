package io.github.sparkgpt.pipeline.task.sets.generative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.sets.TaskRow;
import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dictd sets on hand-written dictionaries in dictd's format; the index offsets and lengths are
 * the UTF-8 byte positions of each entry in the data, in dictd's base64 digits.
 */
class DictdTasksTest {
  @TempDir Path dir;

  static void dictionary(Path dir, String name, String index, String data) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name + ".index"), index);
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve(name + ".dict.dz")))) {
      out.write(data.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<Map<String, Object>> fields(TaskSet s) {
    return s.rows().stream().map(TaskRow::fields).toList();
  }

  private static List<String> reasons(TaskSet s) {
    return s.quarantined().stream().map(q -> q.id() + " " + q.reason()).toList();
  }

  @Test
  void decodesDictdBase64MostSignificantDigitFirst() {
    assertEquals(993, DictdFile.decode("Ph")); // "(tm)\tPh\tFS" in Debian's jargon.index
    assertEquals(338, DictdFile.decode("FS"));
    assertEquals(0, DictdFile.decode("A"));
    assertEquals(63, DictdFile.decode("/"));
    assertEquals(62 * 64 + 1, DictdFile.decode("+B"));
  }

  @Test
  void anUnlabelledSetTakesOnlyUnlabelledRows() {
    TaskRow labelled = new TaskRow("k", "positive", Map.of("id", "k"));
    assertThrows(
        IllegalStateException.class,
        () -> new TaskSet("x", List.of(labelled), List.of(), List.of(), Map.of()));
    TaskRow unlabelled = new TaskRow("k", "", Map.of("id", "k"));
    assertEquals(
        1, new TaskSet("x", List.of(unlabelled), List.of(), List.of(), Map.of()).rows().size());
  }

  @Test
  void jargonDefinitionsDropEchoPronunciationEtymologyAndBraces() throws Exception {
    Path d = dir.resolve("dict-jargon");
    dictionary(
        d,
        "jargon",
        "00-database-short\tA\tx\namper\tx\tBx\nbozotic\tCi\tBo\nfrob\tEK\tBo\n"
            + "broken\tA\nbeyond\tFy\tB\nbad digit\tA\t*\n",
        "00-database-short\n"
            + "     The Jargon File (fixture)\n"
            + "amper\n"
            + " n.\n\n"
            + "    Common abbreviation for the name of the ampersand (‘&’). See {ASCII}\n"
            + "    for other synonyms.\n\n"
            + "bozotic\n"
            + " /boh·zoh'tik/, adj.\n\n"
            + "    [from the name of a TV clown] Resembling a bozo; that is, clownish.\n\n"
            + "frob\n"
            + " vt.\n\n"
            + "    1. To fiddle with, e.g. Knobs on a {\n"
            + "    panel}. Then more.\n\n"
            + "    2. To tweak something.\n\n");
    Files.writeString(d.resolve("source.txt"), "dict-jargon 4.4.7-3.1\n");
    TaskSet s = new DictionaryTask(DictionaryTask.Dictionary.JARGON, d).build();
    assertEquals("jargon-definitions", s.name());
    assertEquals(
        List.of(
            Map.of(
                "id",
                "jargon-2",
                "prompt",
                "What does \"amper\" mean?",
                "response",
                "Common abbreviation for the name of the ampersand (‘&’)."),
            Map.of(
                "id",
                "jargon-3",
                "prompt",
                "What does \"bozotic\" mean?",
                "response",
                "Resembling a bozo; that is, clownish."),
            Map.of(
                "id",
                "jargon-4",
                "prompt",
                "What does \"frob\" mean?",
                "response",
                List.of("To fiddle with, e.g. Knobs on a panel.", "To tweak something."))),
        fields(s));
    assertEquals(
        List.of("id", "prompt", "response"), List.copyOf(s.rows().get(0).fields().keySet()));
    assertEquals("", s.rows().get(0).label());
    assertEquals(
        List.of(
            "jargon-5 dict_bad_index_line",
            "jargon-6 dict_index_outside_data",
            "jargon-7 dict_bad_index_number"),
        reasons(s));
    assertEquals(
        6, s.info().get("inputs")); // 3 kept + 3 quarantined; the 00-database line is not an entry
    assertTrue(s.info().get("source").toString().contains("dict-jargon 4.4.7-3.1"));
    assertEquals(
        Map.of("prompt_column", "prompt", "response_column", "response", "id_column", "id"),
        s.info().get("sft"));
    assertTrue(s.info().get("derivation").toString().contains("1 dictd 00-database entries"));
  }

  @Test
  void devilDefinitionsDropTheCapitalisedHeadAndQuarantineLongOnes() throws Exception {
    Path d = dir.resolve("dict-devil");
    dictionary(
        d,
        "devil",
        "00databaseshort\tA\t4\nair\t4\tBj\npiracy\tCb\tBH\n",
        "00-database-short\n     The Devil's Dictionary (fixture)\n"
            + "AIR, n.  A nutritious substance supplied by a bountiful Providence for\n"
            + "the fattening of the poor.\n\n"
            + "PIRACY, n.  Commerce without its folly-swaddles, just as God made it.\n\n");
    TaskSet s =
        new DictionaryTask(DictionaryTask.Dictionary.DEVIL, d).setMaxResponseWords(12).build();
    assertEquals(
        List.of(
            Map.of(
                "id",
                "devil-3",
                "prompt",
                "What does \"piracy\" mean?",
                "response",
                "Commerce without its folly-swaddles, just as God made it.")),
        fields(s));
    RejectedDocument q = s.quarantined().get(0);
    assertEquals("devil-2 dict_response_too_long", q.id() + " " + q.reason());
    assertTrue(q.text().contains("A nutritious substance"), q.text());
    assertEquals(12, ((Map<?, ?>) s.info().get("parameters")).get("max_response_words"));
  }

  @Test
  void foldocSensesBecomeAListAndAliasesShareTheEntryKey() throws Exception {
    Path d = dir.resolve("dict-foldoc");
    dictionary(
        d,
        "foldoc",
        "ampere\tA\tCN\n#\tCN\tBi\nhash\tCN\tBi\n",
        "Ampere\n\n   <unit, electronics> (Amp, A) The unit of electrical current\n"
            + "   flow.  One Amp is the current through one {ohm}.\n\n   (2004-01-18)\n\n"
            + "hash\n#\n\n   1. <character> {hash character}.\n\n"
            + "   2. <programming> {hash coding}.\n\n   (1995-03-06)\n\n");
    TaskSet s = new DictionaryTask(DictionaryTask.Dictionary.FOLDOC, d).build();
    List<Map<String, Object>> rows = fields(s);
    assertEquals("What does \"Ampere\" mean?", rows.get(0).get("prompt"));
    assertEquals("(Amp, A) The unit of electrical current flow.", rows.get(0).get("response"));
    assertEquals("What does \"#\" mean?", rows.get(1).get("prompt"));
    assertEquals(List.of("hash character.", "hash coding."), rows.get(1).get("response"));
    assertEquals("What does \"hash\" mean?", rows.get(2).get("prompt"));
    assertEquals(s.rows().get(1).key(), s.rows().get(2).key());
    assertTrue(s.quarantined().isEmpty());
  }

  @Test
  void veraAcronymsSplitExpansionFromTopics() throws Exception {
    Path d = dir.resolve("dict-vera");
    dictionary(
        d,
        "vera",
        "aamof\tA\t+\nasmo\t+\tBa\nasmx\t+\tBa\n",
        "AAMOF\n       As A Matter Of Fact (slang, Usenet, IRC)\n       \n"
            + "ASMO\n       Advanced Storage Magneto Optical [disk] (Hitachi, Maxell,\n"
            + "Matsushita)\n       \n");
    TaskSet s = new AcronymTask(d).build();
    assertEquals(
        List.of(
            Map.of(
                "id",
                "vera-1",
                "prompt",
                "What does AAMOF stand for?",
                "response",
                "As A Matter Of Fact",
                "topics",
                "(slang, Usenet, IRC)"),
            Map.of(
                "id",
                "vera-2",
                "prompt",
                "What does ASMO stand for?",
                "response",
                "Advanced Storage Magneto Optical [disk]",
                "topics",
                "(Hitachi, Maxell, Matsushita)")),
        fields(s));
    assertEquals(List.of("vera-3 vera_headword_mismatch"), reasons(s));
  }
}
