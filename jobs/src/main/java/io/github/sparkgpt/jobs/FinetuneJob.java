package io.github.sparkgpt.jobs;

import io.github.sparkgpt.jobs.report.RunReport;
import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.finetune.FinetuneSettings;
import io.github.sparkgpt.jobs.finetune.TaskEncoder;
import io.github.sparkgpt.jobs.finetune.TaskEvaluator;
import io.github.sparkgpt.jobs.finetune.TaskTokens;
import io.github.sparkgpt.jobs.finetune.TaskTrainer;
import io.github.sparkgpt.jobs.finetune.WarmupLinearSchedule;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.Lineage;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.GptTaskLayer;
import io.github.sparkgpt.model.GptTaskModel;
import io.github.sparkgpt.model.TrainingState;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.LabelMap;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.task.TaskType;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import io.github.sparkgpt.jobs.pretrain.RoundAdam;
import org.nd4j.linalg.learning.config.Adam;
import io.github.sparkgpt.jobs.storage.ShownPaths;
import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.TaskRunStaging;
import io.github.sparkgpt.jobs.train.ParameterAveraging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * spark-submit entry point of GPT-1 supervised fine-tuning: a pretrained checkpoint and task files in, a run
 * directory {@code <output>/<run-id>/} out with labels.json, rejected.jsonl, metrics.json, predictions.jsonl (test),
 * the fine-tuned checkpoint under model/, config.conf and {@code _SUCCESS} (written last).
 */
@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 100,
    version = "sparkgpt finetune " + Versions.PROJECT,
    description = {
        "Fine-tunes a pretrained GPT on a labelled task (GPT-1: head on the extract token, auxiliary LM loss",
        "x lambda) with Spark (DL4J parameter averaging). The four GPT-1 tasks and their input transforms:",
        "  classification   text                               -> class",
        "  entailment       premise $ hypothesis               -> class",
        "  similarity       a $ b and b $ a, states summed     -> class, or a real-valued score with",
        "                                                         --similarity-target score (e.g. STS-B",
        "                                                         0..5; squared-error regression)",
        "  multiple_choice  context $ answer_k for each answer -> index of the right answer (softmax",
        "                                                         over the answers' scores)",
        "Evaluates on validation (and test): accuracy, macro-F1, per-class precision/recall and the confusion",
        "matrix for classes and answer indices; Pearson, Spearman and MSE for scores.",
        "Idempotent per run id: a complete run is skipped, a partial one is redone from scratch.",
        "",
        "Defaults: conf/finetune.conf. Exit codes: 0 success or already complete, 1 failure while running,",
        "2 bad usage or data.",
        ""},
    footer = {"", "Examples:",
        "  deploy/submit finetune --checkpoint runs/small/checkpoints/step-000500 --task classification \\",
        "      --train sst2/train.tsv --validation sst2/dev.tsv --text-columns sentence --output ft --run-id sst2",
        "  deploy/submit finetune ... --task entailment --text-columns premise,hypothesis --lambda 0",
        "  deploy/submit finetune ... --task similarity --text-columns sentence1,sentence2 \\",
        "      --label-column score --similarity-target score",
        "  deploy/submit finetune ... --task multiple_choice --text-columns context,answers",
        "      (answers: a JSON array; or one column each: --text-columns context,a0,a1,a2,a3)"})
public final class FinetuneJob implements Callable<Integer> {
  static final String JOB = "finetune";

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A pretrained checkpoint directory.")
  String checkpoint;

  @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training file (csv, tsv, jsonl, json).")
  String train;

  @Option(names = "--validation", required = true, paramLabel = "FILE", description = "Validation file.")
  String validation;

  @Option(names = "--test", paramLabel = "FILE", description = "Test file: predictions.jsonl (and metrics if labelled).")
  String test;

  @Option(names = "--similarity-target", paramLabel = "KIND",
      description = "Similarity labels: label (classes) or score (a real number; regression) (similarity_target).")
  String similarityTarget;

  @Option(names = "--from-scratch", arity = "0..1", description = "Do not use the checkpoint's weights, only its config and tokenizer.")
  Boolean fromScratch;

  @Option(names = "--lambda", paramLabel = "W", description = "Auxiliary LM loss weight, 0 = off (lm_weight).")
  Double lambda;

  @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set (epochs).")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "B", description = "Examples per worker per step (batch_size).")
  Integer batchSize;

  @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam peak learning rate (learning_rate).")
  Double learningRate;

  @Option(names = "--workers", paramLabel = "N", description = "Data-parallel workers; 0 = default parallelism (workers).")
  Integer workers;

  @Mixin
  TaskOptions taskOptions = new TaskOptions();

  @Mixin
  JobOptions options = new JobOptions();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return JobRunner.execute(JOB, new FinetuneJob(), args);
  }

  @Override
  public Integer call() throws IOException {
    try (Storage storage = new Storage()) {
      return call(storage);
    }
  }

  private Integer call(Storage storage) throws IOException {
    Config config = options.load(JOB, namedOptions());
    if (config == null) return JobRunner.OK; // --print-config
    FinetuneSettings settings = FinetuneSettings.from(config);
    TaskRunStaging staged = taskOptions.runDirectory(storage);
    return staged.runOnce(JOB, options.leasePolicy(), () -> runLeased(config, settings, staged.local(), staged));
  }

  private Integer runLeased(Config config, FinetuneSettings settings, Path run, TaskRunStaging staged) throws IOException {
    // Everything that can be refused is refused before Spark starts.
    TaskType taskType = settings.taskType();
    Checkpoint pretrained = ModelTools.loadLanguageModel(checkpoint);
    // A tokenizer without <|start|>, <|delim|>, <|extract|> gets them at ids V..; the model grows to match.
    TaskTokens.Result taskTokens = TaskTokens.ensure(ModelTools.tokenizer(pretrained, checkpoint));
    BpeTokenizer tokenizer = taskTokens.tokenizer();
    GptConfig model = pretrained.config().copy().setVocabSize(tokenizer.vocabSize());
    if (settings.getFreezeBlocks() > model.getLayers()) {
      throw new UsageException("freeze_blocks " + settings.getFreezeBlocks() + " exceeds the model's " + model.getLayers()
          + " layers: use 0.." + model.getLayers());
    }
    int maxLength = settings.getMaxLength() > 0 ? settings.getMaxLength() : model.getContextLength();
    if (maxLength > model.getContextLength()) {
      throw new UsageException("max_length " + maxLength + " exceeds the model's context " + model.getContextLength());
    }
    TaskReader reader = new TaskReader().setFormat(settings.getFormat()).setInputColumns(settings.getTextColumns())
        .setLabelColumn(settings.getLabelColumn()).setIdColumn(settings.getIdColumn())
        .setArrayCells(taskType == TaskType.MULTIPLE_CHOICE).validate();
    Configuration hadoop = new Configuration();
    TaskReader.Result trainRead = reader.read(train, hadoop);
    TaskReader.Result validationRead = reader.read(validation, hadoop);
    TaskReader.Result testRead = test == null ? null : reader.read(test, hadoop);
    Map<String, String> taskFiles = LineageFiles.taskFiles(hadoop, "train", train, "validation", validation, "test", test);

    // Targets: class names (multiple choice: answer indices 0..k-1), or real-valued scores outside any label map.
    boolean score = settings.isScore();
    int choices = 0;
    LabelMap labels = null;
    if (taskType == TaskType.MULTIPLE_CHOICE) {
      choices = commonAnswerCount(trainRead.examples());
      if (choices < 2) throw new UsageException(train + ": multiple choice needs examples with a context and at least 2 "
          + "answers in text_columns " + settings.getTextColumns());
      List<String> names = new ArrayList<>();
      for (int k = 0; k < choices; k++) names.add(Integer.toString(k));
      labels = new LabelMap(names);
    } else if (!score) {
      labels = LabelMap.fromLabels(trainRead.examples().stream().map(TaskExample::label).toList());
      if (labels.size() < 2) {
        throw new UsageException(train + ": needs at least 2 distinct labels in column '" + settings.getLabelColumn()
            + "', found " + labels.names());
      }
    }
    LabelMap classes = labels;
    UnaryOperator<TaskReader.Result> labelled = score ? TaskReader::applyScores : in -> TaskReader.applyLabels(in, classes);

    TaskRunFiles.startFresh(JOB, run);
    Files.writeString(run.resolve("config.conf"), JobConfig.render(JOB, config));
    Map<String, Object> labelsJson = new LinkedHashMap<>();
    labelsJson.put("task", taskType.key());
    labelsJson.put("target", score ? "score" : "label");
    if (!score) labelsJson.put("labels", labels.names());
    TaskRunFiles.writeJson(run.resolve("labels.json"), labelsJson);

    TaskEncoder encoder = new TaskEncoder(tokenizer, taskType, maxLength);
    int k = choices;
    Function<List<TaskExample>, TaskEncoder.Encoded> encode = score ? encoder::encodeScores
        : examples -> encoder.encode(examples, classes, k);
    Map<String, Object> metrics = new LinkedHashMap<>();
    List<Map<String, Object>> rejected = new ArrayList<>();
    TaskEncoder.Encoded trainSet = prepare("train", labelled.apply(trainRead), encode, rejected, metrics);
    TaskEncoder.Encoded validationSet = prepare("validation", labelled.apply(validationRead), encode, rejected, metrics);
    TaskEncoder.Encoded testSet = testRead == null ? null
        : prepare("test", unlabelledAllowed(testRead, labelled), encode, rejected, metrics);
    TaskRunFiles.writeJsonLines(run.resolve("rejected.jsonl"), rejected);
    metrics.put("rejected", rejected.size());
    metrics.put("truncated_sequences", encoder.truncatedSequences());
    metrics.put("tokenizer", taskTokens.toMap());
    if (trainSet.size() == 0) throw new UsageException(train + ": no usable training examples (see " + run.resolve("rejected.jsonl") + ")");
    System.out.printf(Locale.ROOT, "finetune: %s, %s; train %d, validation %d%s examples; %d rows rejected, "
            + "%d sequences truncated to %d tokens%n", taskType.key(),
        score ? "real-valued scores" : labels.size() + " labels " + labels.names(), trainSet.size(),
        validationSet.size(), testSet == null ? "" : ", test " + testSet.size(), rejected.size(),
        encoder.truncatedSequences(), maxLength);

    if (taskTokens.grown()) System.out.println("finetune: " + taskTokens.describe(settings.isFromScratch()));

    SparkSession spark = SparkSessions.create("sparkgpt-finetune", options.master, ParameterAveraging.sparkConf());
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int w = settings.getWorkers() > 0 ? settings.getWorkers() : jsc.defaultParallelism();
      TaskTrainer trainer = new TaskTrainer(settings, w, System.out);
      long total = trainer.totalSteps(trainSet.size());
      // RoundAdam: parameter-averaging workers restart their iteration count every round (see RoundAdam).
      Adam adam = new RoundAdam(new WarmupLinearSchedule(settings.getLearningRate(),
          WarmupLinearSchedule.warmupFor(settings.getWarmupFraction(), total), total));
      GptTaskLayer.Mode mode = switch (taskType) {
        case CLASSIFICATION, ENTAILMENT -> GptTaskLayer.Mode.CLASSIFY;
        case SIMILARITY -> score ? GptTaskLayer.Mode.REGRESS : GptTaskLayer.Mode.SUM;
        case MULTIPLE_CHOICE -> GptTaskLayer.Mode.CHOICE;
      };
      int outputs = score ? 1 : labels.size();
      ComputationGraph net = settings.isFromScratch()
          ? GptTaskModel.fromScratch(model, mode, outputs, settings.getLmWeight(), settings.getFreezeBlocks(), adam,
              settings.getSeed(), pretrained.network().params().dataType())
          : GptTaskModel.fromPretrained(taskTokens.grown()
              ? GptModel.withVocabulary(pretrained.network(), model.getVocabSize(), settings.getSeed())
              : pretrained.network(), mode, outputs, settings.getLmWeight(), settings.getFreezeBlocks(), adam,
              settings.getSeed());
      if (score) {
        // Start the regression head at the training mean: Adam moves the bias ~learning_rate per step, far too
        // slowly to travel to e.g. 2.5 on a 0..5 scale at fine-tuning rates.
        net.getLayer(GptTaskModel.OUTPUT).getParam(GptTaskLayer.HEAD_B).assign(mean(trainSet.targets()));
      }
      TaskEvaluator evaluator = new TaskEvaluator(labels, model.getContextLength(), settings.getEvalBatchSize());
      List<Map<String, Object>> epochs = new ArrayList<>();
      TaskTrainer.Result r = trainer.train(jsc, net, trainSet, model.getContextLength(), epoch -> {
        // on a copy: evaluating the training network itself closes its parameters for the next fit (DL4J M2)
        TaskEvaluator.Result e = evaluator.evaluate(net.clone(), validationSet);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.putAll(e.summary("validation"));
        epochs.add(row);
        System.out.printf(Locale.ROOT, "epoch %d: validation %s%n", epoch, e.describe());
      });

      Map<String, Object> training = new LinkedHashMap<>();
      training.put("pretrained", !settings.isFromScratch());
      training.put("checkpoint", checkpoint.toString());
      metrics.put("lineage", LineageFiles.taskRun(pretrained, checkpoint, taskFiles));
      training.put("mode", mode.name().toLowerCase(Locale.ROOT));
      training.put("lm_weight", settings.getLmWeight());
      training.put("head_dropout", settings.getHeadDropout());
      training.put("freeze_blocks", settings.getFreezeBlocks());
      training.put("workers", w);
      training.put("steps", r.steps());
      training.put("first_loss", r.firstLoss());
      training.put("last_loss", r.lastLoss());
      training.put("seconds", r.seconds());
      training.put("epochs", epochs);
      metrics.put("training", training);
      TaskEvaluator.Result val = evaluator.evaluate(net, validationSet);
      metrics.put("validation", val.toMap());
      if (testSet != null) {
        TaskEvaluator.Result t = evaluator.evaluate(net, testSet);
        if (t.count() > 0) metrics.put("test", t.toMap());
        TaskRunFiles.writeJsonLines(run.resolve("predictions.jsonl"), evaluator.predictions(testSet, t));
      }
      TrainingState state = new TrainingState().setStep(r.steps()).setEpoch(settings.getEpochs())
          .putMetric("train_loss", r.lastLoss()).putMetric("validation_" + val.headlineName(), val.headline());
      // the extended tokenizer goes with the grown model (unchanged: the checkpoint's own bytes, same sha256)
      byte[] tokenizerFile = taskTokens.grown() ? HfTokenizerJson.toBytes(tokenizer) : pretrained.tokenizer();
      Lineage lineage = new Lineage(settings.isFromScratch() ? "finetune (from scratch: config and tokenizer only)" : "finetune")
          .withParent(pretrained.digest(), checkpoint.toString());
      taskFiles.forEach(lineage::withInput);
      new Checkpoint(net, tokenizerFile, tokenizer.vocabSize(), state).withLineage(lineage).save(run.resolve("model"));
      TaskRunFiles.writeJson(run.resolve("metrics.json"), metrics);
      RunReport.tryWrite(new RunReport.Options().setTasks(List.of(run)), run.resolve(RunReport.FILE));
      new ShownPaths().add(run, staged.target()).rewrite(run.resolve(RunReport.FILE));
      TaskRunFiles.markComplete(run);
      staged.publish();
      System.out.printf(Locale.ROOT, "finetune: done in %.0f s, %d steps; validation %s; %s%n",
          r.seconds(), r.steps(), val.describe(), staged.target());
      return JobRunner.OK;
    } finally {
      spark.stop();
    }
  }

  /** Encodes one split, adding its rejections (reader, labels, encoder) to {@code rejected} and its counts to metrics. */
  private static TaskEncoder.Encoded prepare(String split, TaskReader.Result read,
                                             Function<List<TaskExample>, TaskEncoder.Encoded> encode,
                                             List<Map<String, Object>> rejected, Map<String, Object> metrics) {
    TaskEncoder.Encoded enc = encode.apply(read.examples());
    Map<String, Long> reasons = new LinkedHashMap<>();
    for (RejectedDocument d : Stream.concat(read.rejected().stream(), enc.rejected().stream()).toList()) {
      rejected.add(TaskRunFiles.rejectedRow(split, d));
      reasons.merge(d.reason(), 1L, Long::sum);
    }
    metrics.put(split + "_examples", enc.size());
    metrics.put(split + "_rejected", reasons);
    return enc;
  }

  /** Test rows may come without a label (prediction only); a bad label (or score) is still quarantined. */
  private static TaskReader.Result unlabelledAllowed(TaskReader.Result in, UnaryOperator<TaskReader.Result> labelled) {
    List<TaskExample> unlabelled = in.examples().stream().filter(e -> e.label() == null).toList();
    TaskReader.Result checked = labelled.apply(new TaskReader.Result(
        in.examples().stream().filter(e -> e.label() != null).toList(), in.rejected()));
    List<TaskExample> all = new ArrayList<>(checked.examples());
    all.addAll(unlabelled);
    return new TaskReader.Result(all, checked.rejected());
  }

  /** The number of answers most training examples have: the model's choice count (others: task_choice_count). */
  static int commonAnswerCount(List<TaskExample> examples) {
    Map<Integer, Integer> counts = new java.util.TreeMap<>();
    for (TaskExample e : examples) counts.merge(e.inputs().size() - 1, 1, Integer::sum);
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0);
  }

  private static double mean(double[] v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.length == 0 ? 0 : sum / v.length;
  }

  Map<String, Object> namedOptions() {
    Map<String, Object> m = new LinkedHashMap<>();
    taskOptions.putInto(m);
    m.put("similarity_target", similarityTarget);
    m.put("from_scratch", fromScratch);
    m.put("lm_weight", lambda);
    m.put("epochs", epochs);
    m.put("batch_size", batchSize);
    m.put("learning_rate", learningRate);
    m.put("workers", workers);
    return m;
  }
}
