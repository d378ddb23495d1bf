package io.github.sparkgpt.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The terminal summary: the headline numbers of the fixtures' artefacts, exactly. */
class ReportSummaryTest {
  @TempDir Path dir;

  @Test
  void printsDocumentsTokensPerplexityAndOneLinePerTaskRun() throws Exception {
    Path pre = ReportFixtures.preprocess(dir.resolve("pre"));
    Path pt = ReportFixtures.pretrain(dir.resolve("pt"));
    Path scratch = ReportFixtures.finetune(dir.resolve("ft").resolve("scratch"), false, 0.5);
    Path pretrained = ReportFixtures.finetune(dir.resolve("ft").resolve("pretrained"), true, 0.75);
    ReportModel m =
        RunReport.collect(
            new RunReport.Options()
                .setPreprocess(pre)
                .setPretrain(pt)
                .setTasks(List.of(pretrained, scratch))
                .validate());
    List<String> lines = ReportSummary.render(m).lines().toList();

    assertEquals(
        List.of(
            "documents: 1,200 read, 1,143 kept, 57 dropped (gopher_short_doc 30,"
                + " gopher_below_alpha_threshold 20, minhash_near_duplicate 7)",
            "tokens: train      2,499,977 in 19,379 sequences",
            "tokens: validation 98,943 in 767 sequences",
            "pretraining: tiny, ? parameters, 16 steps, 32,768 tokens; final train loss 4.600,"
                + " validation loss 4.500, perplexity 90.0",
            "tasks (accuracy / macro-F1; Pearson for scores):",
            "  pretrained     fine-tuned                  validation 0.750 / 0.746  test 0.600 /"
                + " 0.583",
            "  scratch        fine-tuned, from scratch    validation 0.500 / 0.746  test 0.600 /"
                + " 0.583"),
        lines);
  }
}
