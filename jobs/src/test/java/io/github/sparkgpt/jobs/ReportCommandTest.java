package io.github.sparkgpt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.jobs.report.ReportFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/submit report: exit codes, one-line errors naming the missing file, the file written
 * atomically.
 */
class ReportCommandTest {
  @TempDir Path dir;

  @Test
  void writesTheSectionsAskedFor() throws Exception {
    Path pre = ReportFixtures.preprocess(dir.resolve("pre"));
    Path pt = ReportFixtures.pretrain(dir.resolve("pt"));
    Path ft = ReportFixtures.finetune(dir.resolve("ft").resolve("run1"), true, 0.75);
    Path out = dir.resolve("reports").resolve("report.html");
    // No checkpoint in pt: samples default to none instead of failing.
    String stdout =
        Console.out(
            () ->
                assertEquals(
                    0,
                    ReportCommand.run(
                        "--preprocess",
                        pre.toString(),
                        "--pretrain",
                        pt.toString(),
                        "--finetune",
                        dir.resolve("ft").toString(),
                        "--output",
                        out.toString())));
    assertEquals("report: " + out.toAbsolutePath(), stdout.trim());
    Document doc = Jsoup.parse(Files.readString(out));
    assertEquals(
        List.of("preprocess", "pretrain", "tasks", "lineage"),
        doc.select("section").eachAttr("id"));
    assertEquals("0.7500", doc.select("#tasks table tbody tr").first().child(6).text());
    try (Stream<Path> files = Files.list(out.getParent())) {
      assertEquals(List.of(out), files.toList(), "no temp file is left behind");
    }
    assertTrue(Files.exists(ft.resolve("metrics.json")));
  }

  @Test
  void takesFileUrisForEveryPath() throws Exception {
    Path pre = ReportFixtures.preprocess(dir.resolve("pre"));
    Path pt = ReportFixtures.pretrain(dir.resolve("pt"));
    ReportFixtures.finetune(dir.resolve("ft").resolve("run1"), true, 0.75);
    Path out = dir.resolve("uri").resolve("report.html");
    assertEquals(
        0,
        ReportCommand.run(
            "--preprocess",
            pre.toUri().toString(),
            "--pretrain",
            pt.toUri().toString(),
            "--finetune",
            dir.resolve("ft").toUri().toString(),
            "--output",
            out.toUri().toString()));
    Document doc = Jsoup.parse(Files.readString(out));
    assertEquals(
        List.of("preprocess", "pretrain", "tasks", "lineage"),
        doc.select("section").eachAttr("id"));
    assertFalse(Files.exists(Path.of("file:")));
  }

  @Test
  void missingArtefactIsOneLineNamingTheFileAndExit2() throws Exception {
    Path pre = Files.createDirectories(dir.resolve("pre"));
    Files.writeString(pre.resolve("stats.json"), "{}");
    Path out = dir.resolve("r.html");
    String err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    ReportCommand.run("--preprocess", pre.toString(), "--output", out.toString())));
    assertEquals("report: error: " + pre.resolve("manifest.json") + " not found", err.trim());
    assertFalse(Files.exists(out));

    Path ft = Files.createDirectories(dir.resolve("ft"));
    err =
        Console.err(
            () ->
                assertEquals(
                    2, ReportCommand.run("--finetune", ft.toString(), "--output", out.toString())));
    assertTrue(
        err.trim().startsWith("report: error: " + ft.resolve("metrics.json") + " not found"), err);
    assertEquals(1, err.trim().lines().count());

    Files.writeString(ft.resolve("metrics.json"), "{not json");
    err =
        Console.err(
            () ->
                assertEquals(
                    2, ReportCommand.run("--finetune", ft.toString(), "--output", out.toString())));
    assertTrue(
        err.startsWith("report: error: " + ft.resolve("metrics.json") + ": not readable JSON"),
        err);
    assertEquals(1, err.trim().lines().count());
  }

  @Test
  void usageErrors() throws Exception {
    Path out = dir.resolve("r.html");
    String err = Console.err(() -> assertEquals(2, ReportCommand.run("--output", out.toString())));
    assertTrue(err.contains("nothing to report"), err);
    err = Console.err(() -> assertEquals(2, ReportCommand.run("--preprocess", "x")));
    assertTrue(err.contains("--output"), err);
    Path pt = ReportFixtures.pretrain(dir.resolve("pt"));
    err =
        Console.err(
            () ->
                assertEquals(
                    2,
                    ReportCommand.run(
                        "--pretrain",
                        pt.toString(),
                        "--samples",
                        "2",
                        "--output",
                        out.toString())));
    assertEquals(
        "report: error: "
            + pt.resolve("checkpoints")
            + ": no checkpoint to generate samples from (use --samples 0)",
        err.trim());
    String help = Console.out(() -> assertEquals(0, ReportCommand.run("--help")));
    assertTrue(
        help.contains("--finetune") && help.contains("--prompt") && help.contains("Exit codes"),
        help);
  }
}
