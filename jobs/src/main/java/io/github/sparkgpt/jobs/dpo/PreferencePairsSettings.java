package io.github.sparkgpt.jobs.dpo;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.decode.GenerationSettings;
import io.github.sparkgpt.jobs.task.TaskColumns;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.task.TaskType;
import java.util.List;

/**
 * The preference-pairs command's parameters (bound from {@code conf/preference-pairs.conf}, where
 * each is explained).
 */
public final class PreferencePairsSettings implements TaskColumns {
  private String promptColumn = "prompt";
  private String idColumn = "";
  private String format = "auto";
  private int samples = 4;
  private String rewardLabel = "positive";
  private int maxNewTokens = 32;
  private double temperature = 1.0;
  private int topK = 0;
  private double topP = 1.0;
  private int batchSize = 32;
  private long seed = 1234;

  public static PreferencePairsSettings from(Config config) {
    return ConfigBinder.bind(new PreferencePairsSettings(), config, "").validate();
  }

  /** Refuses settings out of range; the first one is named. */
  public PreferencePairsSettings validate() {
    if (promptColumn.isBlank())
      throw new UsageException("preference-pairs: prompt_column is empty");
    if (samples < 2)
      throw new UsageException("preference-pairs: samples must be >= 2 (best and worst of them)");
    if (rewardLabel.isBlank()) throw new UsageException("preference-pairs: reward_label is empty");
    if (batchSize < 1) throw new UsageException("preference-pairs: batch_size must be >= 1");
    try {
      sampling(0).validate();
    } catch (IllegalArgumentException e) {
      throw new UsageException("preference-pairs: " + e.getMessage());
    }
    return this;
  }

  /** The sampling of the k-th completion of every prompt (its own seed: one seed repeats draws). */
  GenerationSettings sampling(int k) {
    return new GenerationSettings()
        .setTemperature(temperature)
        .setTopK(topK)
        .setTopP(topP)
        .setMaxNewTokens(maxNewTokens)
        .setBatchSize(batchSize)
        .setSeed(seed + k);
  }

  @Override
  public TaskType taskType() {
    return null;
  }

  @Override
  public List<String> getTextColumns() {
    return List.of(promptColumn);
  }

  /** None: prompts have no target. */
  @Override
  public String getLabelColumn() {
    return "";
  }

  public String getPromptColumn() {
    return promptColumn;
  }

  public PreferencePairsSettings setPromptColumn(String v) {
    promptColumn = v;
    return this;
  }

  @Override
  public String getIdColumn() {
    return idColumn;
  }

  public PreferencePairsSettings setIdColumn(String v) {
    idColumn = v;
    return this;
  }

  @Override
  public String getFormat() {
    return format;
  }

  public PreferencePairsSettings setFormat(String v) {
    format = v;
    return this;
  }

  public int getSamples() {
    return samples;
  }

  public PreferencePairsSettings setSamples(int v) {
    samples = v;
    return this;
  }

  public String getRewardLabel() {
    return rewardLabel;
  }

  public PreferencePairsSettings setRewardLabel(String v) {
    rewardLabel = v;
    return this;
  }

  public int getMaxNewTokens() {
    return maxNewTokens;
  }

  public PreferencePairsSettings setMaxNewTokens(int v) {
    maxNewTokens = v;
    return this;
  }

  public double getTemperature() {
    return temperature;
  }

  public PreferencePairsSettings setTemperature(double v) {
    temperature = v;
    return this;
  }

  public int getTopK() {
    return topK;
  }

  public PreferencePairsSettings setTopK(int v) {
    topK = v;
    return this;
  }

  public double getTopP() {
    return topP;
  }

  public PreferencePairsSettings setTopP(double v) {
    topP = v;
    return this;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public PreferencePairsSettings setBatchSize(int v) {
    batchSize = v;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  public PreferencePairsSettings setSeed(long v) {
    seed = v;
    return this;
  }
}
