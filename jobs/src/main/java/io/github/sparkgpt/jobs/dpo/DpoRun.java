package io.github.sparkgpt.jobs.dpo;

import io.github.sparkgpt.jobs.SparkSessions;
import io.github.sparkgpt.jobs.metrics.RunMetrics;
import io.github.sparkgpt.jobs.task.Quarantine;
import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.jobs.task.TaskRun;
import io.github.sparkgpt.jobs.task.TaskSplits;
import io.github.sparkgpt.jobs.train.EpochTrainer;
import io.github.sparkgpt.jobs.train.ParameterAveraging;
import io.github.sparkgpt.jobs.train.TunedLanguageModel;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.DpoBatch;
import io.github.sparkgpt.model.DpoModel;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The part of a dpo run that is its own: encoding the pairs, the reference model's log-probs (once,
 * on the executors, before training), preference training with Spark, the evaluation after every
 * epoch, then the language-model checkpoint and metrics.json ({@link DpoFinish}).
 */
public final class DpoRun {
  /** What the run starts from: the checkpoint (directory as given) and its tokenizer. */
  public record Start(Checkpoint checkpoint, String dir, BpeTokenizer tokenizer) {}

  /** The encoded splits and what was set aside. */
  public record Data(
      DpoEncoder encoder,
      DpoEncoder.Encoded train,
      DpoEncoder.Encoded validation,
      Quarantine quarantine,
      TaskSplits files) {}

  private final DpoSettings settings;
  private final String master;

  public DpoRun(DpoSettings settings, String master) {
    this.settings = settings;
    this.master = master;
  }

  /** Encodes each split at the model's context; counts go to the quarantine. */
  public static Data encode(DpoSettings settings, Start start, TaskSplits files) {
    DpoEncoder encoder =
        new DpoEncoder(
            start.tokenizer(),
            ResponseTemplate.of("dpo", settings.getTemplate()),
            start.checkpoint().config().getContextLength(),
            settings);
    Quarantine quarantine = new Quarantine();
    List<DpoEncoder.Encoded> out = new ArrayList<>();
    for (String split : List.of("train", "validation")) {
      long cutBefore = encoder.cutResponses();
      DpoEncoder.Encoded enc = encoder.encode(files.rows(split));
      quarantine.split(split, enc.size(), enc.rejected());
      out.add(enc);
      System.out.printf(
          Locale.ROOT,
          "dpo: %s: %d of %d responses were cut (finish reason length): no <|endoftext|> added%n",
          split,
          encoder.cutResponses() - cutBefore,
          2L * enc.size());
    }
    return new Data(encoder, out.get(0), out.get(1), quarantine, files);
  }

  /** Trains with Spark (stopped at the end) and finishes the run. */
  public void train(Start start, Data data, TaskRun run) throws IOException {
    SparkSession spark =
        SparkSessions.create("sparkgpt-dpo", master, ParameterAveraging.sparkConf());
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int w = settings.getWorkers() > 0 ? settings.getWorkers() : jsc.defaultParallelism();
      ComputationGraph reference = start.checkpoint().network();
      int b = settings.getEvalBatchSize();
      DpoEvaluator.Scores trainRef = DpoEvaluator.score(jsc, reference, data.train().examples(), b);
      DpoEvaluator.Scores valRef =
          DpoEvaluator.score(jsc, reference, data.validation().examples(), b);
      List<DpoBatch.Pair> pairs = pairs(data.train().examples(), trainRef);
      EpochTrainer trainer = new EpochTrainer("dpo", settings, w, System.out);
      ComputationGraph net = network(start.checkpoint(), trainer.totalSteps(pairs.size()));
      DpoEvaluator evaluator = new DpoEvaluator(settings, data.encoder(), reference);
      List<Map<String, Object>> epochs = new ArrayList<>();
      // epoch 0: the policy before any step, computed as every epoch (log ratios ~0, loss log 2)
      Map<String, Object> start0 =
          evaluator.evaluateTraining(jsc, net, data.validation().examples(), valRef);
      start0.put("epoch", 0);
      epochs.add(start0);
      EpochTrainer.Listener listener =
          (epoch, trainLoss) -> {
            Map<String, Object> row =
                evaluator.evaluateTraining(jsc, net, data.validation().examples(), valRef);
            row.put("train_loss", trainLoss);
            row.put("epoch", epoch);
            epochs.add(row);
            System.out.println("dpo: epoch " + epoch + " validation " + row);
          };
      int context = start.checkpoint().config().getContextLength();
      EpochTrainer.Result r =
          trainer.run(
              jsc,
              net,
              pairs.size(),
              "pairs of width 2 x " + context,
              epoch -> batches(pairs, context, epoch, net),
              listener);
      RunMetrics.Training training =
          new RunMetrics.Training(
              "dpo-" + settings.getLoss().toLowerCase(Locale.ROOT),
              null,
              null,
              null,
              w,
              r.steps(),
              r.firstLoss(),
              r.lastLoss(),
              r.seconds(),
              epochs);
      new DpoFinish(settings, start, data, run).finish(DpoModel.languageModel(net), training);
    } finally {
      spark.stop();
    }
  }

  static List<DpoBatch.Pair> pairs(List<DpoEncoder.Example> ex, DpoEvaluator.Scores ref) {
    List<DpoBatch.Pair> out = new ArrayList<>();
    for (int i = 0; i < ex.size(); i++) {
      DpoEncoder.Example e = ex.get(i);
      out.add(
          new DpoBatch.Pair(
              e.promptIds(), e.chosen(), e.rejected(), ref.chosen()[i], ref.rejected()[i]));
    }
    return out;
  }

  /** One epoch's batches: the pairs shuffled with a seed per epoch, cut into batch_size. */
  private List<DataSet> batches(
      List<DpoBatch.Pair> pairs, int context, int epoch, ComputationGraph net) {
    List<DpoBatch.Pair> order = new ArrayList<>(pairs);
    Collections.shuffle(order, new Random(settings.getSeed() + epoch));
    List<DataSet> out = new ArrayList<>();
    for (int from = 0; from < order.size(); from += settings.getBatchSize()) {
      List<DpoBatch.Pair> part =
          order.subList(from, Math.min(order.size(), from + settings.getBatchSize()));
      out.add(DpoBatch.pairs(part, context, net.params().dataType()));
    }
    return out;
  }

  /**
   * The preference-training network: the checkpoint's weights with dropout 0, since dropout would
   * draw other masks for the chosen and the rejected sequence (and none for the reference values),
   * making the compared log-ratios noisy even where policy = reference.
   */
  ComputationGraph network(Checkpoint start, long totalSteps) {
    GptConfig config = start.config().copy().setDropout(0.0);
    ComputationGraph lm =
        TunedLanguageModel.build(
            config,
            start.network().params(),
            start.network().params().dataType(),
            settings,
            settings.getGradientClip(),
            totalSteps);
    return DpoModel.forTraining(lm, DpoChecks.lossLayer(settings, config));
  }
}
