package io.github.sparkgpt.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkgpt.jobs.report.ReportFixtures;
import io.github.sparkgpt.jobs.report.ReportModel.TaskRun;
import io.github.sparkgpt.jobs.report.TaskRunReader;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * metrics.json round-trips through the records, and a file written before the schema reads as the
 * same run.
 */
class RunMetricsJsonTest {
  @TempDir Path dir;

  private static RunMetrics read(Path run) throws Exception {
    return RunMetricsJson.read(run.resolve("metrics.json"), run.resolve("labels.json"));
  }

  @Test
  void aFinetuneRunWrittenBeforeTheSchemaReadsAsTheSameRun() throws Exception {
    RunMetrics now = read(ReportFixtures.finetune(dir.resolve("new"), false, 0.6875));
    RunMetrics old = read(ReportFixtures.legacyFinetune(dir.resolve("old"), false, 0.6875));
    assertEquals(RunMetrics.SCHEMA, now.schema());
    assertEquals(now.kind(), old.kind());
    assertEquals("classification", old.task());
    assertEquals(now.pretrained(), old.pretrained());
    assertEquals(now.splits(), old.splits());
    assertEquals(now.evaluations(), old.evaluations());
    assertEquals(now.training().steps(), old.training().steps());
    assertEquals(now.training().seconds(), old.training().seconds());
    assertEquals(now.rejected(), old.rejected());
  }

  @Test
  void aFewShotRunWrittenBeforeTheSchemaReadsAsTheSameRun() throws Exception {
    RunMetrics now = read(ReportFixtures.fewShot(dir.resolve("new"), 4));
    RunMetrics old = read(ReportFixtures.legacyFewShot(dir.resolve("old"), 4));
    assertEquals(RunMetrics.FEWSHOT, old.kind());
    assertEquals(now.task(), old.task());
    assertEquals(Boolean.TRUE, old.pretrained());
    assertEquals(now.splits(), old.splits());
    assertEquals(now.evaluations(), old.evaluations());
    assertEquals(now.fewshot(), old.fewshot());
  }

  @Test
  void theReportShowsRunsOfBothLayoutsAlike() throws Exception {
    for (boolean fewshot : new boolean[] {false, true}) {
      TaskRun now =
          TaskRunReader.taskRun(
              fewshot
                  ? ReportFixtures.fewShot(dir.resolve("n" + fewshot), 0)
                  : ReportFixtures.finetune(dir.resolve("n" + fewshot), true, 0.75));
      TaskRun old =
          TaskRunReader.taskRun(
              fewshot
                  ? ReportFixtures.legacyFewShot(dir.resolve("o" + fewshot), 0)
                  : ReportFixtures.legacyFinetune(dir.resolve("o" + fewshot), true, 0.75));
      assertEquals(
          Arrays.asList(
              now.kind(),
              now.pretrained(),
              now.task(),
              now.steps(),
              now.seconds(),
              now.evaluations()),
          Arrays.asList(
              old.kind(),
              old.pretrained(),
              old.task(),
              old.steps(),
              old.seconds(),
              old.evaluations()));
    }
  }
}
