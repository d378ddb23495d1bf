package io.github.sparkgpt.jobs.fewshot;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.metrics.ClassificationMetrics;
import io.github.sparkgpt.jobs.metrics.RunMetrics;
import io.github.sparkgpt.jobs.task.Quarantine;
import io.github.sparkgpt.jobs.task.TaskLabels;
import io.github.sparkgpt.jobs.task.TaskRun;
import io.github.sparkgpt.jobs.task.TaskSplits;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.Inference;
import io.github.sparkgpt.pipeline.task.LabelMap;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskType;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The part of a few-shot run that is its own: one prompt per query (two for similarity) with the
 * sampled shots, every candidate scored by the language model, predictions, and the run's
 * metrics.json.
 */
public final class FewShotRun {
  private final FewShotSettings settings;
  private final Checkpoint cp;
  private final LabelMap labels;

  /** Per label, the words scored for it (the verbalizer); unused for multiple choice. */
  private final List<String> words;

  private final PromptBuilder builder;
  private final FewShotPrompts prompts;

  public FewShotRun(
      FewShotSettings settings,
      Checkpoint cp,
      BpeTokenizer tokenizer,
      PromptTemplate template,
      LabelMap labels) {
    this.settings = settings;
    this.cp = cp;
    this.labels = labels;
    this.words =
        labels.names().stream().map(n -> settings.getLabelWords().getOrDefault(n, n)).toList();
    int start = settings.isStartWithEndOfText() ? tokenizer.endOfTextId() : -1;
    this.builder =
        new PromptBuilder(
            tokenizer, settings.getExampleSeparator(), start, cp.config().getContextLength());
    this.prompts = new FewShotPrompts(settings.taskType(), template, labels, words, builder);
  }

  /**
   * Builds the prompts, scores them, writes predictions and rejected rows, and finishes the run.
   */
  public void run(
      List<TaskExample> queries,
      ShotSampler<TaskExample> sampler,
      Quarantine quarantine,
      TaskRun run,
      TaskSplits files,
      String checkpoint)
      throws IOException {
    long tooLong = prompts.build(queries, sampler, quarantine, files.file("eval"));
    run.writeRejected(quarantine);
    if (prompts.queries().isEmpty()) {
      throw new UsageException(
          files.file("eval")
              + ": no usable examples (see "
              + run.dir().resolve(TaskRun.REJECTED)
              + ")");
    }
    printPlan(quarantine);

    CandidateScorer scorer =
        new CandidateScorer(
            new NetworkLogProbs(new Inference(cp.network())), settings.getBatchSize());
    long t0 = System.nanoTime();
    double[][] sums = score(scorer, t0);
    double seconds = (System.nanoTime() - t0) / 1e9;
    ClassificationMetrics m = new ClassificationMetrics(labels.names());
    run.writeLines(TaskRun.PREDICTIONS, predictions(sums, m));

    RunMetrics.FewShot fewshot = fewShotMetrics(tooLong, scorer.sequences(), seconds);
    String target =
        run.finish(
            new RunMetrics(
                RunMetrics.SCHEMA,
                RunMetrics.FEWSHOT,
                settings.taskType().key(),
                "label",
                true,
                files.lineage(cp, checkpoint),
                quarantine.counts(),
                quarantine.rejected(),
                new RunMetrics.Headline("eval", "accuracy", m.accuracy()),
                Map.of("eval", m.evaluation()),
                null,
                fewshot,
                null,
                null));
    System.out.printf(
        Locale.ROOT,
        "fewshot: done in %.1f s (%.1f examples/s, %d sequences); %d labelled: accuracy %.4f, "
            + "macro-F1 %.4f; %s%n",
        seconds,
        prompts.queries().size() / seconds,
        scorer.sequences(),
        m.count(),
        m.accuracy(),
        m.macroF1(),
        target);
  }

  /** What is about to be scored, and what was set aside or cut to fit the context. */
  private void printPlan(Quarantine quarantine) {
    TaskType taskType = settings.taskType();
    System.out.printf(
        Locale.ROOT,
        "fewshot: %s, %d-shot, %d candidates %s; %d queries, %d prompts; %d rows rejected; "
            + "%d shots dropped and %d queries cut to fit the context of %d%n",
        taskType.key(),
        settings.getShots(),
        taskType == TaskType.MULTIPLE_CHOICE ? labels.size() : words.size(),
        taskType == TaskType.MULTIPLE_CHOICE ? "(answers)" : words.toString(),
        prompts.queries().size(),
        prompts.all().size(),
        quarantine.rejected(),
        builder.shotsDropped(),
        builder.truncated(),
        cp.config().getContextLength());
  }

  /** metrics.json's fewshot section: the settings that shaped the prompts, and the throughput. */
  private RunMetrics.FewShot fewShotMetrics(long tooLong, long sequences, double seconds) {
    Map<String, String> verbalizer = null;
    if (settings.taskType() != TaskType.MULTIPLE_CHOICE) {
      verbalizer = new LinkedHashMap<>();
      for (int c = 0; c < labels.size(); c++) verbalizer.put(labels.name(c), words.get(c));
    }
    return new RunMetrics.FewShot(
        settings.getShots(),
        settings.getSeed(),
        settings.getNormalize(),
        settings.effectiveTemplate(),
        verbalizer,
        tooLong,
        builder.shotsDropped(),
        builder.truncated(),
        sequences,
        seconds,
        prompts.queries().size() / seconds);
  }

  /** Every prompt's candidates in length-sorted batches, with progress at most every 10 s. */
  private double[][] score(CandidateScorer scorer, long t0) {
    long[] lastPrint = {t0};
    double queryCount = prompts.queries().size();
    return scorer.logLikelihoods(
        prompts.all(),
        (done, total) -> {
          long now = System.nanoTime();
          if (now - lastPrint[0] > 10_000_000_000L || done == total) {
            lastPrint[0] = now;
            double secs = (now - t0) / 1e9;
            System.out.printf(
                Locale.ROOT,
                "fewshot: scored %d/%d sequences, %.1f examples/s%n",
                done,
                total,
                queryCount * done / total / secs);
          }
        });
  }

  /**
   * predictions.jsonl rows {id, prediction, scores {label: score}, label}; labelled queries are
   * added to {@code m}.
   */
  private List<Map<String, Object>> predictions(double[][] sums, ClassificationMetrics m) {
    List<Map<String, Object>> predictions = new ArrayList<>();
    for (FewShotPrompts.Query q : prompts.queries()) {
      double[] scores = new double[q.candidates().length];
      for (int p = q.firstPrompt(); p < q.firstPrompt() + q.prompts(); p++) {
        double[] s =
            CandidateScorer.normalized(
                sums[p], prompts.all().get(p).candidates(), settings.normalizeMode());
        for (int c = 0; c < scores.length; c++) scores[c] += s[c] / q.prompts();
      }
      int predicted = CandidateScorer.argmax(scores);
      if (q.label() >= 0) m.add(q.label(), predicted);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", q.example().id());
      row.put("prediction", labels.name(predicted));
      Map<String, Double> byName = new LinkedHashMap<>();
      for (int c = 0; c < scores.length; c++) byName.put(labels.name(c), scores[c]);
      row.put("scores", byName);
      if (q.label() >= 0) row.put("label", labels.name(q.label()));
      predictions.add(row);
    }
    return predictions;
  }

  /**
   * The labels of a few-shot run: label_words' labels when given, else the training labels (or
   * answer positions).
   */
  public static TaskLabels labels(FewShotSettings s, TaskSplits files) {
    if (s.taskType() != TaskType.MULTIPLE_CHOICE
        && s.getLabelWords().isEmpty()
        && !files.has("train")) {
      throw new UsageException(
          "without --train the labels are unknown: give label_words (--label-words"
              + " 0=negative,1=positive)");
    }
    String reference = files.has("train") ? "train" : "eval";
    return TaskLabels.of(
        s.taskType(),
        false,
        s.getLabelWords().keySet(),
        files.rows(reference),
        files.file(reference));
  }
}
