package io.github.sparkgpt.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.FileDigests;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.Lineage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's chain from raw input to the last model, each link checked by content hash. */
class LineageChainTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static int seed;

  /**
   * A checkpoint with the fixture's tokenizer, weights of its own (the digest is a content hash)
   * and lineage.
   */
  private static Path checkpoint(Path dir, Lineage lineage) throws Exception {
    Path tmp = dir.resolveSibling(dir.getFileName() + "-fixture");
    GptConfig cfg = ReportFixtures.checkpoint(tmp);
    Checkpoint fixture = Checkpoint.load(tmp.resolve("checkpoints").resolve("step-000016"));
    new Checkpoint(
            GptModel.create(cfg, 1e-3, ++seed),
            fixture.tokenizer(),
            fixture.tokenizerVocabSize(),
            null)
        .withLineage(lineage)
        .save(dir);
    return dir;
  }

  @Test
  void chainFromRawInputToTheFineTunedModelWithEachLinkChecked(@TempDir Path tmp) throws Exception {
    Path pre = ReportFixtures.preprocess(tmp.resolve("pre"));
    String manifest = FileDigests.sha256(pre.resolve("manifest.json"));
    Path pt = ReportFixtures.pretrain(tmp.resolve("pt"));
    Path step8 =
        checkpoint(
            pt.resolve("checkpoints").resolve("step-000008"),
            new Lineage("pretrain").withData(manifest, "pre"));
    String digest8 = Checkpoint.digest(step8);
    Path step16 =
        checkpoint(
            pt.resolve("checkpoints").resolve("step-000016"),
            new Lineage("pretrain")
                .withData(manifest, "pre")
                .withParent(digest8, step8.toString()));
    String digest16 = Checkpoint.digest(step16);
    Path ft = ReportFixtures.finetune(tmp.resolve("ft").resolve("run1"), true, 0.75);
    ObjectNode metrics = (ObjectNode) JSON.readTree(ft.resolve("metrics.json").toFile());
    metrics
        .putObject("lineage")
        .put("checkpoint_sha256", digest16)
        .putObject("task_files_sha256")
        .put("train", "ab".repeat(32));
    Files.writeString(ft.resolve("metrics.json"), JSON.writeValueAsString(metrics));
    checkpoint(
        ft.resolve("model"), new Lineage("finetune").withParent(digest16, step16.toString()));

    List<LineageChain.Row> rows = LineageChain.of(pre, pt, List.of(ft));
    assertEquals(
        List.of(
            "raw input",
            "preprocess output",
            "checkpoint step-000008",
            "checkpoint step-000016",
            "finetune run1"),
        rows.stream().map(LineageChain.Row::artefact).toList());
    assertEquals(manifest, rows.get(1).sha256());
    assertEquals("files match checkpoint.json; data = preprocess output", rows.get(2).check());
    assertEquals(
        "files match checkpoint.json; data = preprocess output; parent = step-000008",
        rows.get(3).check());
    assertEquals(
        "checkpoint " + digest16.substring(0, 12) + "; train abababababab", rows.get(4).cameFrom());
    assertEquals("files match checkpoint.json; checkpoint = step-000016", rows.get(4).check());
    assertEquals(Checkpoint.digest(ft.resolve("model")), rows.get(4).sha256());

    // a changed checkpoint, another data set, a run from elsewhere: each is named
    Files.writeString(
        step16.resolve("config.json"), Files.readString(step16.resolve("config.json")) + "\n");
    Files.writeString(
        pre.resolve("manifest.json"), Files.readString(pre.resolve("manifest.json")) + "\n");
    rows = LineageChain.of(pre, pt, List.of(ft));
    assertTrue(
        rows.get(3)
            .check()
            .startsWith("CHANGED: " + step16.resolve("config.json") + " does not match"),
        rows.get(3).check());
    assertTrue(
        rows.get(2).check().endsWith("data is NOT this preprocess output"), rows.get(2).check());
    assertTrue(
        rows.get(4).check().endsWith("checkpoint is NOT from this pretraining run"),
        rows.get(4).check());

    // and the report draws it
    Path out = tmp.resolve("report.html");
    RunReport.write(
        new RunReport.Options().setPreprocess(pre).setPretrain(pt).setTasks(List.of(ft)), out);
    Document doc = Jsoup.parse(Files.readString(out));
    assertEquals(5, doc.select("#lineage table tbody tr").size());
    assertEquals(digest8, doc.select("#lineage table tbody tr").get(2).child(1).attr("title"));
  }

  @Test
  void runsWithoutLineageSayWhatIsNotRecorded(@TempDir Path tmp) throws Exception {
    Path ft = ReportFixtures.finetune(tmp.resolve("ft"), true, 0.5);
    List<LineageChain.Row> rows = LineageChain.of(null, null, List.of(ft));
    assertEquals(1, rows.size());
    assertEquals("checkpoint not recorded", rows.get(0).cameFrom());
  }
}
