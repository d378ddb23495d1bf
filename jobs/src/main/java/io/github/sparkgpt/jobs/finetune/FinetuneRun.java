package io.github.sparkgpt.jobs.finetune;

import io.github.sparkgpt.jobs.SparkSessions;
import io.github.sparkgpt.jobs.metrics.RunMetrics;
import io.github.sparkgpt.jobs.task.Quarantine;
import io.github.sparkgpt.jobs.task.TaskLabels;
import io.github.sparkgpt.jobs.task.TaskRun;
import io.github.sparkgpt.jobs.task.TaskSplits;
import io.github.sparkgpt.jobs.train.EpochTrainer;
import io.github.sparkgpt.jobs.train.ParameterAveraging;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.Lineage;
import io.github.sparkgpt.model.TaskHead;
import io.github.sparkgpt.model.TrainingState;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.LabelMap;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The part of a fine-tuning run that is its own: encoding the labelled splits for the task head,
 * training with Spark, the final evaluations, test predictions, the fine-tuned checkpoint and its
 * metrics.json.
 */
public final class FinetuneRun {
  /**
   * What the run starts from: the checkpoint, its tokenizer with the task tokens, and the task
   * model's config.
   */
  public record Start(
      Checkpoint pretrained,
      TaskTokens.Result taskTokens,
      BpeTokenizer tokenizer,
      GptConfig model,
      int maxLength) {}

  /** The encoded splits (test may be null), the run's targets and what was set aside. */
  public record Data(
      TaskLabels labels,
      TaskEncoder encoder,
      TaskEncoder.Encoded train,
      TaskEncoder.Encoded validation,
      TaskEncoder.Encoded test,
      Quarantine quarantine,
      TaskSplits files) {}

  private final FinetuneSettings settings;
  private final String checkpoint;
  private final String master;

  public FinetuneRun(FinetuneSettings settings, String checkpoint, String master) {
    this.settings = settings;
    this.checkpoint = checkpoint;
    this.master = master;
  }

  /** Labels and encodes each split; test rows may come without a label (predicted only). */
  public static Data encode(
      FinetuneSettings settings, Start start, TaskSplits files, TaskLabels labels) {
    TaskEncoder encoder =
        new TaskEncoder(start.tokenizer(), settings.taskType(), start.maxLength());
    Function<List<TaskExample>, TaskEncoder.Encoded> encode =
        labels.isScore()
            ? encoder::encodeScores
            : examples -> encoder.encode(examples, labels.labels(), labels.choices());
    Quarantine quarantine = new Quarantine();
    TaskEncoder.Encoded trainSet =
        split("train", labels.labelled(files.rows("train")), encode, quarantine);
    TaskEncoder.Encoded validationSet =
        split("validation", labels.labelled(files.rows("validation")), encode, quarantine);
    TaskEncoder.Encoded testSet =
        !files.has("test")
            ? null
            : split("test", labels.labelledOrNot(files.rows("test")), encode, quarantine);
    return new Data(labels, encoder, trainSet, validationSet, testSet, quarantine, files);
  }

  private static TaskEncoder.Encoded split(
      String split,
      TaskReader.Result read,
      Function<List<TaskExample>, TaskEncoder.Encoded> encode,
      Quarantine quarantine) {
    TaskEncoder.Encoded enc = encode.apply(read.examples());
    List<RejectedDocument> rejected = new ArrayList<>(read.rejected());
    rejected.addAll(enc.rejected());
    quarantine.split(split, enc.size(), rejected);
    return enc;
  }

  /** Trains with Spark (stopped at the end), validating after every epoch, then finishes. */
  public void train(Start start, Data data, TaskRun run) throws IOException {
    boolean score = data.labels().isScore();
    LabelMap labels = data.labels().labels();
    GptConfig model = start.model();
    TaskEncoder.Encoded trainSet = data.train();
    SparkSession spark =
        SparkSessions.create("sparkgpt-finetune", master, ParameterAveraging.sparkConf());
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int w = settings.getWorkers() > 0 ? settings.getWorkers() : jsc.defaultParallelism();
      TaskTrainer trainer = new TaskTrainer(settings, w, System.out);
      long total = trainer.totalSteps(trainSet.size());
      TaskHead head = TaskHead.of(settings.taskType().key(), score, score ? 0 : labels.size());
      ComputationGraph net =
          TaskNetwork.build(settings, start, head, total, score ? trainSet.targets() : null);
      TaskEvaluator evaluator =
          new TaskEvaluator(labels, model.getContextLength(), settings.getEvalBatchSize());
      List<Map<String, Object>> epochs = new ArrayList<>();
      EpochTrainer.Result r =
          trainer.train(
              jsc,
              net,
              trainSet,
              model.getContextLength(),
              epoch -> epochs.add(validationRow(evaluator, net, data.validation(), epoch)));
      RunMetrics.Training training =
          new RunMetrics.Training(
              head.mode().name().toLowerCase(Locale.ROOT),
              settings.getLmWeight(),
              settings.getHeadDropout(),
              settings.getFreezeBlocks(),
              w,
              r.steps(),
              r.firstLoss(),
              r.lastLoss(),
              r.seconds(),
              epochs);
      finish(start, data, run, net, evaluator, training);
    } finally {
      spark.stop();
    }
  }

  /** An epoch's row of metrics.json's training epochs: validation after it (also printed). */
  private static Map<String, Object> validationRow(
      TaskEvaluator evaluator, ComputationGraph net, TaskEncoder.Encoded validation, int epoch) {
    // on a copy: evaluating the training network itself closes its parameters for the next fit
    // (DL4J M2)
    TaskEvaluator.Result e = evaluator.evaluate(net.clone(), validation);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("epoch", epoch);
    row.putAll(e.summary("validation"));
    System.out.printf(Locale.ROOT, "epoch %d: validation %s%n", epoch, e.describe());
    return row;
  }

  /**
   * Final evaluations, test predictions, the fine-tuned checkpoint, metrics.json and the end of the
   * run.
   */
  private void finish(
      Start start,
      Data data,
      TaskRun run,
      ComputationGraph net,
      TaskEvaluator evaluator,
      RunMetrics.Training training)
      throws IOException {
    Map<String, RunMetrics.Evaluation> evaluations = new LinkedHashMap<>();
    TaskEvaluator.Result val = evaluator.evaluate(net, data.validation());
    evaluations.put("validation", val.evaluation());
    if (data.test() != null) {
      TaskEvaluator.Result t = evaluator.evaluate(net, data.test());
      if (t.count() > 0) evaluations.put("test", t.evaluation());
      run.writeLines(TaskRun.PREDICTIONS, evaluator.predictions(data.test(), t));
    }
    saveCheckpoint(start, data, run, net, training, val);
    Quarantine q = data.quarantine();
    String target =
        run.finish(
            new RunMetrics(
                RunMetrics.SCHEMA,
                RunMetrics.FINETUNE,
                settings.taskType().key(),
                data.labels().isScore() ? "score" : "label",
                !settings.isFromScratch(),
                data.files().lineage(start.pretrained(), checkpoint),
                q.counts(),
                q.rejected(),
                new RunMetrics.Headline("validation", val.headlineName(), val.headline()),
                evaluations,
                training,
                null,
                start.taskTokens().toMap(),
                data.encoder().truncatedSequences()));
    System.out.printf(
        Locale.ROOT,
        "finetune: done in %.0f s, %d steps; validation %s; %s%n",
        training.seconds(),
        training.steps(),
        val.describe(),
        target);
  }

  /**
   * The fine-tuned checkpoint under the run's model/: its training state, tokenizer and lineage
   * (the pretrained parent and the task files).
   */
  private void saveCheckpoint(
      Start start,
      Data data,
      TaskRun run,
      ComputationGraph net,
      RunMetrics.Training training,
      TaskEvaluator.Result val)
      throws IOException {
    TrainingState state =
        new TrainingState()
            .setStep(training.steps())
            .setEpoch(settings.getEpochs())
            .putMetric("train_loss", training.lastLoss())
            .putMetric("validation_" + val.headlineName(), val.headline());
    BpeTokenizer tokenizer = start.tokenizer();
    // the extended tokenizer goes with the grown model (unchanged: the checkpoint's own bytes, same
    // sha256)
    byte[] tokenizerFile =
        start.taskTokens().grown()
            ? HfTokenizerJson.toBytes(tokenizer)
            : start.pretrained().tokenizer();
    Lineage lineage =
        new Lineage(
                settings.isFromScratch()
                    ? "finetune (from scratch: config and tokenizer only)"
                    : "finetune")
            .withParent(start.pretrained().digest(), checkpoint.toString());
    data.files().sha256().forEach(lineage::withInput);
    new Checkpoint(net, tokenizerFile, tokenizer.vocabSize(), state)
        .withLineage(lineage)
        .save(run.dir().resolve("model"));
  }
}
