package io.github.sparkgpt.jobs.dpo;

import io.github.sparkgpt.jobs.metrics.RunMetrics;
import io.github.sparkgpt.jobs.task.Quarantine;
import io.github.sparkgpt.jobs.task.TaskRun;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.Lineage;
import io.github.sparkgpt.model.TrainingState;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The end of a dpo run: the trained language model under model/, metrics.json (the last epoch's
 * validation row is the final evaluation), then the run is published.
 */
final class DpoFinish {
  private final DpoSettings settings;
  private final DpoRun.Start start;
  private final DpoRun.Data data;
  private final TaskRun run;

  DpoFinish(DpoSettings settings, DpoRun.Start start, DpoRun.Data data, TaskRun run) {
    this.settings = settings;
    this.start = start;
    this.data = data;
    this.run = run;
  }

  void finish(ComputationGraph lm, RunMetrics.Training training) throws IOException {
    List<Map<String, Object>> epochs = training.epochs();
    Map<String, Object> last = epochs.get(epochs.size() - 1);
    double accuracy = (Double) last.get("preference_accuracy");
    saveCheckpoint(lm, training, accuracy);
    // the report's table shows a split's accuracy: here the validation preference accuracy
    RunMetrics.Evaluation val =
        new RunMetrics.Evaluation(
            (long) data.validation().size(), accuracy, null, null, null, null, null, null, null);
    Quarantine q = data.quarantine();
    String target =
        run.finish(
            new RunMetrics(
                RunMetrics.SCHEMA,
                RunMetrics.DPO,
                "preference",
                "chosen",
                true,
                data.files().lineage(start.checkpoint(), start.dir()),
                q.counts(),
                q.rejected(),
                new RunMetrics.Headline("validation", "preference_accuracy", accuracy),
                Map.of("validation", val),
                training,
                null,
                null,
                data.encoder().truncatedPrompts()));
    System.out.printf(
        Locale.ROOT,
        "dpo: done in %.0f s, %d steps; validation %s; %s%n",
        training.seconds(),
        training.steps(),
        last,
        target);
  }

  /** The trained language model under the run's model/, with its lineage. */
  private void saveCheckpoint(ComputationGraph lm, RunMetrics.Training training, double accuracy)
      throws IOException {
    TrainingState state =
        new TrainingState()
            .setStep(training.steps())
            .setEpoch(settings.getEpochs())
            .putMetric("train_loss", training.lastLoss())
            .putMetric("validation_preference_accuracy", accuracy);
    Checkpoint from = start.checkpoint();
    Lineage lineage =
        new Lineage("dpo (" + settings.getLoss() + ", beta " + settings.getBeta() + ")")
            .withParent(from.digest(), start.dir());
    data.files().sha256().forEach(lineage::withInput);
    new Checkpoint(lm, from.tokenizer(), from.tokenizerVocabSize(), state)
        .withLineage(lineage)
        .save(run.dir().resolve("model"));
  }
}
