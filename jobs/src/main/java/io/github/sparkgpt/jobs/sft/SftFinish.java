package io.github.sparkgpt.jobs.sft;

import io.github.sparkgpt.jobs.metrics.RunMetrics;
import io.github.sparkgpt.jobs.task.Completer;
import io.github.sparkgpt.jobs.task.Quarantine;
import io.github.sparkgpt.jobs.task.TaskRun;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.Lineage;
import io.github.sparkgpt.model.TrainingState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The end of an sft run: answers on validation (and test) into predictions.jsonl, the trained
 * language model under model/, metrics.json, then the run is published.
 */
final class SftFinish {
  private final SftSettings settings;
  private final SftRun.Start start;
  private final SftRun.Data data;
  private final TaskRun run;

  SftFinish(SftSettings settings, SftRun.Start start, SftRun.Data data, TaskRun run) {
    this.settings = settings;
    this.start = start;
    this.data = data;
    this.run = run;
  }

  void finish(
      ComputationGraph net,
      SftEvaluator evaluator,
      Completer completer,
      RunMetrics.Training training)
      throws IOException {
    Map<String, RunMetrics.Evaluation> evaluations = new LinkedHashMap<>();
    List<Map<String, Object>> predictions = new ArrayList<>();
    evaluate("validation", data.validation(), net, evaluator, completer, evaluations, predictions);
    if (data.test() != null)
      evaluate("test", data.test(), net, evaluator, completer, evaluations, predictions);
    run.writeLines(TaskRun.PREDICTIONS, predictions);
    RunMetrics.Evaluation val = evaluations.get("validation");
    saveCheckpoint(net, training, val);
    Quarantine q = data.quarantine();
    String target =
        run.finish(
            new RunMetrics(
                RunMetrics.SCHEMA,
                RunMetrics.SFT,
                "generation",
                "response",
                !settings.isFromScratch(),
                data.files().lineage(start.checkpoint(), start.dir()),
                q.counts(),
                q.rejected(),
                new RunMetrics.Headline("validation", "exact_match", val.exactMatch()),
                evaluations,
                training,
                null,
                null,
                data.encoder().truncatedPrompts()));
    System.out.printf(
        Locale.ROOT,
        "sft: done in %.0f s, %d steps; validation exact match %.4f, token F1 %.4f; %s%n",
        training.seconds(),
        training.steps(),
        val.exactMatch(),
        val.tokenF1(),
        target);
  }

  /** One split's answers and loss: its evaluation, and its rows of predictions.jsonl. */
  private static void evaluate(
      String split,
      SftEncoder.Encoded encoded,
      ComputationGraph net,
      SftEvaluator evaluator,
      Completer completer,
      Map<String, RunMetrics.Evaluation> evaluations,
      List<Map<String, Object>> predictions) {
    double loss = evaluator.loss(net, encoded.examples());
    SftEvaluator.Answers a = evaluator.answers(completer, encoded.examples());
    evaluations.put(
        split, RunMetrics.Evaluation.ofAnswers(a.count(), a.exactMatch(), a.tokenF1(), loss));
    for (Map<String, Object> row : a.rows()) {
      Map<String, Object> withSplit = new LinkedHashMap<>();
      withSplit.put("split", split);
      withSplit.putAll(row);
      predictions.add(withSplit);
    }
    System.out.printf(
        Locale.ROOT,
        "sft: %s: %d examples, exact match %.4f, token F1 %.4f, response loss %.4f%n",
        split,
        a.count(),
        a.exactMatch(),
        a.tokenF1(),
        loss);
  }

  /** The trained language model under the run's model/, with its lineage. */
  private void saveCheckpoint(
      ComputationGraph net, RunMetrics.Training training, RunMetrics.Evaluation val)
      throws IOException {
    TrainingState state =
        new TrainingState()
            .setStep(training.steps())
            .setEpoch(settings.getEpochs())
            .putMetric("train_loss", training.lastLoss())
            .putMetric("validation_exact_match", val.exactMatch());
    Checkpoint from = start.checkpoint();
    Lineage lineage =
        new Lineage(
                settings.isFromScratch() ? "sft (from scratch: config and tokenizer only)" : "sft")
            .withParent(from.digest(), start.dir());
    data.files().sha256().forEach(lineage::withInput);
    new Checkpoint(net, from.tokenizer(), from.tokenizerVocabSize(), state)
        .withLineage(lineage)
        .save(run.dir().resolve("model"));
  }
}
