package io.github.sparkgpt.jobs.pretrain;

import static com.typesafe.config.ConfigFactory.empty;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.write.Manifest;
import java.util.Set;

/**
 * The pretrain job's parameters (bound from {@code conf/pretrain.conf}, key {@code batch_size} ->
 * setBatchSize).
 */
public final class PretrainSettings {
  /** The GptConfig preset when {@code model.preset} is not set. */
  public static final String DEFAULT_PRESET = "small";

  private int batchSize = 16;
  private int averagingFrequency = 5;
  private int workers = 0;
  private int epochs = 1;
  private long maxSteps = 0;
  private double learningRate = 6e-4;
  private long warmupSteps = 100;
  private double minLrRatio = 0.1;
  private double weightDecay = 0.01;
  private double gradientClip = 1.0;
  private long seed = 1234;
  private long validationInterval = 50;
  private int validationSequences = 64;
  private long checkpointInterval = 200;
  private int keepCheckpoints = 3;
  private boolean trainingStats = false;
  private ModelSection model;

  /** Binds every key of the job's section; unknown keys and bad values fail with the key's name. */
  public static PretrainSettings from(Config config) {
    PretrainSettings s = ConfigBinder.bind(new PretrainSettings(), config, "", "model");
    s.model = new ModelSection(config.hasPath("model") ? config.getConfig("model") : empty());
    // bind the model section now so a typo fails before Spark starts
    s.modelConfig(null);
    return s.validate();
  }

  /**
   * Keys accepted beyond conf/pretrain.conf's leaves: the model overrides, GptConfig's setters
   * under {@code model}.
   */
  public static Set<String> optionalKeys() {
    return ModelSection.keys();
  }

  public PretrainSettings validate() {
    require(batchSize >= 1, "batch_size must be >= 1");
    require(averagingFrequency >= 1, "averaging_frequency must be >= 1");
    require(workers >= 0, "workers must be >= 0 (0 = default parallelism)");
    require(epochs >= 1 || maxSteps > 0, "set epochs >= 1 or max_steps > 0");
    require(maxSteps >= 0, "max_steps must be >= 0");
    require(learningRate > 0, "learning_rate must be > 0");
    require(warmupSteps >= 0, "warmup_steps must be >= 0");
    require(minLrRatio >= 0 && minLrRatio <= 1, "min_lr_ratio must be in [0, 1]");
    require(
        weightDecay >= 0 && weightDecay < 1,
        "weight_decay must be in [0, 1) (0 = off; GPT-1: 0.01)");
    require(gradientClip >= 0, "gradient_clip must be >= 0 (0 = off; GPT-2/3: 1.0)");
    require(validationInterval >= 1, "validation_interval must be >= 1");
    require(validationSequences >= 0, "validation_sequences must be >= 0 (0 = no validation)");
    require(checkpointInterval >= 1, "checkpoint_interval must be >= 1");
    require(keepCheckpoints >= 1, "keep_checkpoints must be >= 1");
    return this;
  }

  /**
   * The model for this data: the preset with its overrides, vocabulary from the tokenizer, context
   * from the data unless set smaller. {@code manifest == null} only checks the keys.
   */
  public GptConfig modelConfig(Manifest manifest) {
    return model.resolve(manifest);
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new UsageException("pretrain: " + message);
  }

  public int getBatchSize() {
    return batchSize;
  }

  public PretrainSettings setBatchSize(int v) {
    batchSize = v;
    return this;
  }

  public int getAveragingFrequency() {
    return averagingFrequency;
  }

  public PretrainSettings setAveragingFrequency(int v) {
    averagingFrequency = v;
    return this;
  }

  public int getWorkers() {
    return workers;
  }

  public PretrainSettings setWorkers(int v) {
    workers = v;
    return this;
  }

  public int getEpochs() {
    return epochs;
  }

  public PretrainSettings setEpochs(int v) {
    epochs = v;
    return this;
  }

  public long getMaxSteps() {
    return maxSteps;
  }

  public PretrainSettings setMaxSteps(long v) {
    maxSteps = v;
    return this;
  }

  public double getLearningRate() {
    return learningRate;
  }

  public PretrainSettings setLearningRate(double v) {
    learningRate = v;
    return this;
  }

  public long getWarmupSteps() {
    return warmupSteps;
  }

  public PretrainSettings setWarmupSteps(long v) {
    warmupSteps = v;
    return this;
  }

  public double getMinLrRatio() {
    return minLrRatio;
  }

  public PretrainSettings setMinLrRatio(double v) {
    minLrRatio = v;
    return this;
  }

  public double getWeightDecay() {
    return weightDecay;
  }

  public PretrainSettings setWeightDecay(double v) {
    weightDecay = v;
    return this;
  }

  public double getGradientClip() {
    return gradientClip;
  }

  public PretrainSettings setGradientClip(double v) {
    gradientClip = v;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  public PretrainSettings setSeed(long v) {
    seed = v;
    return this;
  }

  public long getValidationInterval() {
    return validationInterval;
  }

  public PretrainSettings setValidationInterval(long v) {
    validationInterval = v;
    return this;
  }

  public int getValidationSequences() {
    return validationSequences;
  }

  public PretrainSettings setValidationSequences(int v) {
    validationSequences = v;
    return this;
  }

  public long getCheckpointInterval() {
    return checkpointInterval;
  }

  public PretrainSettings setCheckpointInterval(long v) {
    checkpointInterval = v;
    return this;
  }

  public boolean isTrainingStats() {
    return trainingStats;
  }

  public PretrainSettings setTrainingStats(boolean v) {
    trainingStats = v;
    return this;
  }

  public int getKeepCheckpoints() {
    return keepCheckpoints;
  }

  public PretrainSettings setKeepCheckpoints(int v) {
    keepCheckpoints = v;
    return this;
  }
}
