package io.github.sparkgpt.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.model.GptConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report on hand-written artefacts: sections, exact numbers in cells, escaping, embedded PNGs.
 */
class RunReportTest {
  @TempDir static Path dir;
  static Path preprocess, pretrain, finetune, fewShot;

  @BeforeAll
  static void artefacts() throws Exception {
    preprocess = ReportFixtures.preprocess(dir.resolve("pre"));
    pretrain = ReportFixtures.pretrain(dir.resolve("pt"));
    finetune = dir.resolve("ft"); // a fine-tuning --output holding two runs
    ReportFixtures.finetune(finetune.resolve("pretrained"), true, 0.6875);
    ReportFixtures.finetune(finetune.resolve("scratch"), false, 0.5);
    fewShot = ReportFixtures.fewShot(dir.resolve("fs"), 4);
  }

  static Document render(RunReport.Options o) throws Exception {
    Path out =
        RunReport.write(o, dir.resolve("out").resolve("report-" + System.nanoTime() + ".html"));
    String html = Files.readString(out);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    return Jsoup.parse(html);
  }

  /** The cells of the table that follows the heading with this text. */
  static List<List<String>> table(Element section, String heading) {
    Element h =
        section.select("h3").stream()
            .filter(e -> e.text().equals(heading))
            .findFirst()
            .orElseThrow();
    Element table = h.nextElementSibling().selectFirst("table");
    return cells(table);
  }

  static List<List<String>> cells(Element table) {
    List<List<String>> rows = new ArrayList<>();
    for (Element tr : table.select("tbody tr")) rows.add(tr.select("td").eachText());
    return rows;
  }

  static String value(List<List<String>> kv, String key) {
    return kv.stream()
        .filter(r -> r.get(0).equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError(key))
        .get(1);
  }

  @Test
  void preprocessSectionHasExactNumbers() throws Exception {
    Document doc = render(new RunReport.Options().setPreprocess(preprocess));
    Element s = doc.getElementById("preprocess");
    assertNotNull(s);
    assertNull(doc.getElementById("pretrain"));
    assertNull(doc.getElementById("tasks"));
    assertEquals(
        List.of(
            List.of("read", "1,200", "1,200", "0", "1,234,567", "1,234,567", "0"),
            List.of("gopher_quality", "1,200", "1,150", "50", "1,234,567", "1,100,000", "-134,567"),
            List.of("minhash_dedup", "1,150", "1,143", "7", "1,100,000", "1,090,000", "-10,000")),
        table(s, "Documents and bytes per stage"));
    assertEquals(
        List.of(
            List.of("gopher_quality", "gopher_short_doc", "30"),
            List.of("gopher_quality", "gopher_below_alpha_threshold", "20"),
            List.of("minhash_dedup", "minhash_near_duplicate", "7")),
        table(s, "Drops per reason"));
    assertEquals(
        List.of(
            List.of("train", "1,100", "2,500,000", "2,499,977", "19,379", "23", "2", "3,900,000"),
            List.of("validation", "43", "99,000", "98,943", "767", "57", "1", "150,000")),
        table(s, "Tokens and sequences"));
    assertEquals(
        List.of(List.of("2", "3", "3"), List.of("5", "1", "4")),
        table(s, "Near-duplicate clusters"));
    // Numbers are right-aligned, text is not.
    Element firstRow = s.selectFirst("table tbody tr");
    assertFalse(firstRow.child(0).hasClass("n"));
    assertTrue(firstRow.child(1).hasClass("n"));
    assertTrue(s.text().contains("vocabulary 8,192 tokens"));
    assertEquals("Stage counters", s.selectFirst("details > summary").text());
  }

  @Test
  void linesRemovedPerRuleAndFlaggedDocumentsAreShown() throws Exception {
    assertNull(
        render(new RunReport.Options().setPreprocess(preprocess))
            .getElementById("preprocess")
            .selectFirst("h3:contains(Lines removed per rule)"),
        "no table when no rule removed lines");
    Path c4 = Files.createDirectories(dir.resolve("pre-c4"));
    Files.copy(preprocess.resolve("manifest.json"), c4.resolve("manifest.json"));
    Files.writeString(
        c4.resolve("stats.json"),
        Files.readString(preprocess.resolve("stats.json"))
            .replace(
                "\"counters\": {\"gopher_words_checked\": 98765}",
                "\"counters\": {\"c4_removed_line_no_terminal_punct\": 19426,"
                    + " \"c4_removed_bytes_no_terminal_punct\": 812345,"
                    + " \"c4_removed_bytes_citations\": 12, \"documents_flagged_removed_share\":"
                    + " 2}"));
    Element s = render(new RunReport.Options().setPreprocess(c4)).getElementById("preprocess");
    assertEquals(
        List.of(
            List.of("gopher_quality", "c4_no_terminal_punct", "19,426", "812,345"),
            List.of("gopher_quality", "c4_citations", "\u2014", "12")),
        table(s, "Lines removed per rule"));
    assertTrue(
        s.text().contains("(summary.txt and stats.json name them): gopher_quality: 2"), s.text());
  }

  @Test
  void pretrainSectionShowsSettingsFinalValuesAndEmbeddedPngs() throws Exception {
    Path run = Files.createDirectories(dir.resolve("pt-ckpt"));
    for (String f : List.of("metrics.jsonl", "config.conf"))
      Files.copy(pretrain.resolve(f), run.resolve(f));
    GptConfig cfg = ReportFixtures.checkpoint(run);
    Document doc = render(new RunReport.Options().setPretrain(run));
    Element s = doc.getElementById("pretrain");
    List<List<String>> kv = table(s, "Settings and results");
    assertEquals("tiny", value(kv, "model preset"));
    assertEquals(
        String.format(java.util.Locale.ROOT, "%,d", cfg.parameterCount()), value(kv, "parameters"));
    assertEquals("2 \u00d7 32, 2", value(kv, "layers \u00d7 d_model, heads"));
    assertEquals("8", value(kv, "batch size (sequences per worker per step)"));
    assertEquals("0.005", value(kv, "peak learning rate"));
    assertEquals("16", value(kv, "steps"));
    assertEquals("32,768", value(kv, "tokens seen"));
    assertEquals("4.6000", value(kv, "final train loss"));
    assertEquals("4.5000", value(kv, "final validation loss (step 16)"));
    assertEquals("90.02", value(kv, "final validation perplexity"));
    assertEquals("820", value(kv, "throughput (tokens/s)"));
    assertEquals("step-000016", value(kv, "newest checkpoint"));
    assertTrue(s.text().contains("no _SUCCESS"));

    Elements imgs = s.select(".plots img");
    assertEquals(2, imgs.size());
    for (Element img : imgs) {
      String src = img.attr("src");
      assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, 30));
      byte[] png = Base64.getDecoder().decode(src.substring("data:image/png;base64,".length()));
      assertEquals((byte) 0x89, png[0]);
      assertEquals("PNG", new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      assertEquals(800, image.getWidth());
      assertEquals(500, image.getHeight());
    }
    // Self-contained: nothing is fetched.
    assertTrue(doc.select("script, link, [src^=http], [href^=http]").isEmpty());
  }

  @Test
  void samplesAreGeneratedSeededAndEscaped() throws Exception {
    Path run = Files.createDirectories(dir.resolve("pt-samples"));
    Files.copy(pretrain.resolve("metrics.jsonl"), run.resolve("metrics.jsonl"));
    ReportFixtures.checkpoint(run);
    String evil = "<script>alert('x')</script> The river";
    RunReport.Options o =
        new RunReport.Options()
            .setPretrain(run)
            .setSamples(3)
            .setPrompts(List.of(evil, "It was\n  a"))
            .setMaxNewTokens(6)
            .setSeed(7);
    Path out = RunReport.write(o, dir.resolve("samples.html"));
    String html = Files.readString(out);
    assertFalse(html.contains("<script>"), "the prompt's markup is escaped");
    assertTrue(html.contains("&lt;script&gt;"));
    Document doc = Jsoup.parse(html);
    assertTrue(doc.select("script").isEmpty());
    Elements samples = doc.select("#samples .sample");
    assertEquals(3, samples.size());
    assertEquals(evil, samples.get(0).selectFirst(".prompt").text());
    assertEquals(
        "It was\n  a",
        samples.get(1).selectFirst(".prompt").wholeText(),
        "line breaks and spaces kept");
    assertEquals(evil, samples.get(2).selectFirst(".prompt").text());
    assertEquals("sample 1, seed 7", samples.get(0).selectFirst(".meta").text());
    assertEquals("sample 3, seed 9", samples.get(2).selectFirst(".meta").text());
    // Seeded: the same options give the same continuations.
    Document again =
        Jsoup.parse(Files.readString(RunReport.write(o, dir.resolve("samples2.html"))));
    assertEquals(
        doc.select("#samples .generated").eachText(),
        again.select("#samples .generated").eachText());
  }

  @Test
  void taskTableHasOneRowGroupPerRunAndCollapsibleDetails() throws Exception {
    Document doc = render(new RunReport.Options().setTasks(List.of(finetune, fewShot)));
    Element s = doc.getElementById("tasks");
    Element table = s.selectFirst("table");
    assertEquals(
        List.of(
            "run",
            "kind",
            "initialisation",
            "task",
            "split",
            "examples",
            "accuracy",
            "macro-F1",
            "pearson",
            "spearman",
            "steps"),
        table.select("thead th").eachText());
    assertEquals(
        List.of(
            List.of(
                "pretrained",
                "fine-tuned",
                "pretrained",
                "classification",
                "validation",
                "16",
                "0.6875",
                "0.7460",
                "\u2014",
                "\u2014",
                "30"),
            List.of("test", "10", "0.6000", "0.5833", "\u2014", "\u2014"),
            List.of(
                "scratch",
                "fine-tuned",
                "from scratch",
                "classification",
                "validation",
                "16",
                "0.5000",
                "0.7460",
                "\u2014",
                "\u2014",
                "30"),
            List.of("test", "10", "0.6000", "0.5833", "\u2014", "\u2014"),
            List.of(
                "fs",
                "few-shot, 4 shots",
                "pretrained",
                "similarity",
                "eval",
                "50",
                "0.5200",
                "0.5000",
                "0.8123",
                "0.7999",
                "\u2014")),
        cells(table));
    assertEquals(
        "zero-shot", TaskRunReader.taskRun(ReportFixtures.fewShot(dir.resolve("zs"), 0)).kind());
    assertEquals("2", table.selectFirst("tbody tr td").attr("rowspan"));

    // Per-class metrics and confusion matrices sit in <details>, one per run that has them (not the
    // few-shot run).
    Elements details = s.select("details");
    assertEquals(2, details.size());
    assertTrue(details.get(0).selectFirst("summary").text().startsWith("pretrained:"));
    Elements tables = details.get(0).select("table");
    assertEquals(4, tables.size()); // validation: per-class + confusion; test: the same
    assertEquals(
        List.of(
            List.of("neg", "0.8000", "0.5000", "0.6154", "8"),
            List.of("pos", "0.6364", "0.8750", "0.7368", "8")),
        cells(tables.get(0)));
    assertEquals(
        List.of("true \\ predicted", "neg", "pos"), tables.get(1).select("thead th").eachText());
    assertEquals(List.of(List.of("neg", "4", "4"), List.of("pos", "1", "7")), cells(tables.get(1)));
    assertEquals(List.of("4", "7"), tables.get(1).select("td.diag").eachText());
  }

  @Test
  void toleratesMetricsWithoutEvaluationsAndNaN() throws Exception {
    Path odd = Files.createDirectories(dir.resolve("odd"));
    Files.writeString(
        odd.resolve("metrics.json"),
        "{\"validation\": {\"accuracy\": NaN}, \"other\": {\"accuracy\": 1}}");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("metrics.json"), "{}");
    Element table =
        render(new RunReport.Options().setTasks(List.of(odd, empty)))
            .getElementById("tasks")
            .selectFirst("table");
    assertEquals(
        List.of(
            "run",
            "kind",
            "initialisation",
            "task",
            "split",
            "examples",
            "accuracy",
            "macro-F1",
            "steps"),
        table.select("thead th").eachText());
    assertEquals(
        List.of(
            List.of(
                "odd",
                "\u2014",
                "\u2014",
                "\u2014",
                "validation",
                "\u2014",
                "n/a",
                "\u2014",
                "\u2014"),
            List.of(
                "empty",
                "\u2014",
                "\u2014",
                "\u2014",
                "no metrics",
                "\u2014",
                "\u2014",
                "\u2014",
                "\u2014")),
        cells(table));
  }

  @Test
  void localDirectoryOfJobPaths() {
    assertEquals(Path.of("/a/b"), RunReport.localDirectory("/a/b").orElseThrow());
    assertEquals(Path.of("/a/b"), RunReport.localDirectory("file:/a/b").orElseThrow());
    assertEquals(Path.of("/a/b"), RunReport.localDirectory("file:///a/b").orElseThrow());
    assertEquals(Path.of("runs/x"), RunReport.localDirectory("runs/x").orElseThrow());
    assertTrue(RunReport.localDirectory("hdfs://nn:8020/runs/x").isEmpty());
    assertTrue(RunReport.localDirectory(null).isEmpty());
  }

  @Test
  void tryWriteReportsAFailureInOneLineInsteadOfThrowing() {
    assertFalse(
        RunReport.tryWrite(
            new RunReport.Options().setPreprocess(dir.resolve("nowhere")), dir.resolve("x.html")));
    assertFalse(Files.exists(dir.resolve("x.html")));
  }

  @Test
  void missingArtefactsAreNamed() {
    Path nowhere = dir.resolve("nowhere");
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> RunReport.collect(new RunReport.Options().setPreprocess(nowhere)));
    assertEquals(nowhere.resolve("stats.json") + " not found", e.getMessage());
    e =
        assertThrows(
            UsageException.class,
            () -> RunReport.collect(new RunReport.Options().setPretrain(nowhere)));
    assertEquals(nowhere.resolve("metrics.jsonl") + " not found", e.getMessage());
    e =
        assertThrows(
            UsageException.class,
            () -> RunReport.collect(new RunReport.Options().setTasks(List.of(nowhere))));
    assertTrue(
        e.getMessage().startsWith(nowhere.resolve("metrics.json") + " not found"), e.getMessage());
    // Samples need a checkpoint: the fixture run has none.
    e =
        assertThrows(
            UsageException.class,
            () -> RunReport.collect(new RunReport.Options().setPretrain(pretrain).setSamples(1)));
    assertTrue(e.getMessage().contains("no checkpoint"), e.getMessage());
  }
}
