package io.github.sparkgpt.jobs.sft;

import io.github.sparkgpt.jobs.SparkSessions;
import io.github.sparkgpt.jobs.decode.GenerationSettings;
import io.github.sparkgpt.jobs.decode.SparkCompleter;
import io.github.sparkgpt.jobs.metrics.RunMetrics;
import io.github.sparkgpt.jobs.task.Completer;
import io.github.sparkgpt.jobs.task.Quarantine;
import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.jobs.task.TaskRun;
import io.github.sparkgpt.jobs.task.TaskSplits;
import io.github.sparkgpt.jobs.train.EpochTrainer;
import io.github.sparkgpt.jobs.train.ParameterAveraging;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The part of an sft run that is its own: encoding the splits, training with Spark, answering the
 * validation and test prompts, the language-model checkpoint and metrics.json.
 */
public final class SftRun {
  /** What the run starts from: the checkpoint (directory as given) and its tokenizer. */
  public record Start(Checkpoint checkpoint, String dir, BpeTokenizer tokenizer, int maxLength) {}

  /** The encoded splits (test may be null) and what was set aside. */
  public record Data(
      SftEncoder encoder,
      SftEncoder.Encoded train,
      SftEncoder.Encoded validation,
      SftEncoder.Encoded test,
      Quarantine quarantine,
      TaskSplits files) {}

  private final SftSettings settings;
  private final String master;

  public SftRun(SftSettings settings, String master) {
    this.settings = settings;
    this.master = master;
  }

  /** The sequence length for the checkpoint's model (refused when beyond its context). */
  public static int maxLength(SftSettings settings, Checkpoint checkpoint) {
    return SftChecks.maxLength(settings, checkpoint.config());
  }

  /** Encodes each split; counts go to the quarantine (in = kept + rejected per split). */
  public static Data encode(SftSettings settings, Start start, TaskSplits files) {
    SftEncoder encoder =
        new SftEncoder(
            start.tokenizer(),
            ResponseTemplate.of("sft", settings.getTemplate()),
            start.maxLength());
    Quarantine quarantine = new Quarantine();
    List<SftEncoder.Encoded> out = new ArrayList<>();
    for (String split : List.of("train", "validation", "test")) {
      if (!files.has(split)) {
        out.add(null);
        continue;
      }
      SftEncoder.Encoded enc = encoder.encode(files.rows(split));
      quarantine.split(split, enc.size(), enc.rejected());
      out.add(enc);
    }
    return new Data(encoder, out.get(0), out.get(1), out.get(2), quarantine, files);
  }

  /** Trains with Spark (stopped at the end), with the response loss after every epoch. */
  public void train(Start start, Data data, TaskRun run) throws IOException {
    SftEvaluator evaluator =
        new SftEvaluator(data.encoder().template(), settings.getEvalBatchSize());
    SparkSession spark =
        SparkSessions.create("sparkgpt-sft", master, ParameterAveraging.sparkConf());
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int w = settings.getWorkers() > 0 ? settings.getWorkers() : jsc.defaultParallelism();
      SftTrainer trainer = new SftTrainer(settings, w, System.out);
      List<SftEncoder.Example> train = data.train().examples();
      ComputationGraph net =
          SftNetwork.build(settings, start.checkpoint(), trainer.totalSteps(train.size()));
      List<Map<String, Object>> epochs = new ArrayList<>();
      EpochTrainer.Result r =
          trainer.train(
              jsc,
              net,
              train,
              (epoch, trainLoss) -> {
                // on a copy: evaluating the training network closes its parameters (DL4J M2)
                double loss = evaluator.loss(net.clone(), data.validation().examples());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", epoch);
                row.put("train_loss", trainLoss);
                row.put("validation_loss", loss);
                epochs.add(row);
                System.out.printf(Locale.ROOT, "epoch %d: validation loss %.4f%n", epoch, loss);
              });
      RunMetrics.Training training =
          new RunMetrics.Training(
              "sft",
              null,
              null,
              null,
              w,
              r.steps(),
              r.firstLoss(),
              r.lastLoss(),
              r.seconds(),
              epochs);
      new SftFinish(settings, start, data, run)
          .finish(net, evaluator, completer(jsc, net, start), training);
    } finally {
      spark.stop();
    }
  }

  /**
   * The one place the run's answers come from: greedy, stopping at end of text, on the executors
   * with a KV cache (the weights broadcast once).
   */
  private Completer completer(JavaSparkContext jsc, ComputationGraph net, Start start) {
    GenerationSettings greedy =
        new GenerationSettings().setTemperature(0).setMaxNewTokens(settings.getMaxNewTokens());
    return new SparkCompleter(jsc, net, start.tokenizer(), greedy.validate());
  }
}
