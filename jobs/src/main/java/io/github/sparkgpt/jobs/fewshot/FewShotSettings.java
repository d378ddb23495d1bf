package io.github.sparkgpt.jobs.fewshot;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.task.TaskColumns;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.task.TaskType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fewshot job's parameters, bound from {@code conf/fewshot.conf}. {@code templates} (one per
 * task) and {@code label_words} (label name to the word(s) scored) are maps, read here rather than
 * by ConfigBinder.
 */
public final class FewShotSettings implements TaskColumns {
  public enum Normalize {
    SUM,
    MEAN
  }

  private String task = "classification";
  private List<String> textColumns = List.of("text");
  private String labelColumn = "label";
  private String idColumn = "";
  private String format = "auto";
  private int shots = 0;
  private long seed = 1234;
  private boolean resampleShots = false;
  private String template = "";
  private String exampleSeparator = "\n\n";
  private boolean startWithEndOfText = true;
  private String normalize = "sum";
  private int batchSize = 16;
  private Map<String, String> templates = FewShotMaps.defaultTemplates();
  private Map<String, String> labelWords = new LinkedHashMap<>();

  public static FewShotSettings from(Config config) {
    FewShotSettings s =
        ConfigBinder.bind(new FewShotSettings(), config, "", "templates", "label_words");
    if (config.hasPath("templates")) s.templates = FewShotMaps.strings(config, "templates");
    if (config.hasPath("label_words")) s.labelWords = FewShotMaps.strings(config, "label_words");
    return s.validate();
  }

  public FewShotSettings validate() {
    taskType();
    normalizeMode();
    require(!textColumns.isEmpty(), "text_columns is empty: name the input column(s)");
    require(shots >= 0, "shots must be >= 0 (0 = zero-shot)");
    require(batchSize >= 1, "batch_size must be >= 1");
    require(
        !effectiveTemplate().isEmpty(),
        "no template for task " + task + ": set template or templates." + task);
    for (Map.Entry<String, String> e : labelWords.entrySet()) {
      require(
          !e.getValue().isBlank(),
          "label_words." + e.getKey() + " is empty: give the word(s) to score");
    }
    return this;
  }

  public TaskType taskType() {
    try {
      return TaskType.parse(task);
    } catch (IllegalArgumentException e) {
      throw new UsageException("fewshot: task: " + e.getMessage());
    }
  }

  public Normalize normalizeMode() {
    return switch (normalize) {
      case "sum" -> Normalize.SUM;
      case "mean" -> Normalize.MEAN;
      default ->
          throw new UsageException("fewshot: normalize '" + normalize + "': use sum or mean");
    };
  }

  /** {@code template} if set, otherwise {@code templates.<task>}. */
  public String effectiveTemplate() {
    if (!template.isEmpty()) return template;
    return templates.getOrDefault(taskType().key(), "");
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new UsageException("fewshot: " + message);
  }

  public String getTask() {
    return task;
  }

  public FewShotSettings setTask(String v) {
    task = v;
    return this;
  }

  public List<String> getTextColumns() {
    return textColumns;
  }

  public FewShotSettings setTextColumns(List<String> v) {
    textColumns = List.copyOf(v);
    return this;
  }

  public String getLabelColumn() {
    return labelColumn;
  }

  public FewShotSettings setLabelColumn(String v) {
    labelColumn = v;
    return this;
  }

  public String getIdColumn() {
    return idColumn;
  }

  public FewShotSettings setIdColumn(String v) {
    idColumn = v;
    return this;
  }

  public String getFormat() {
    return format;
  }

  public FewShotSettings setFormat(String v) {
    format = v;
    return this;
  }

  public int getShots() {
    return shots;
  }

  public FewShotSettings setShots(int v) {
    shots = v;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  public FewShotSettings setSeed(long v) {
    seed = v;
    return this;
  }

  public boolean isResampleShots() {
    return resampleShots;
  }

  public FewShotSettings setResampleShots(boolean v) {
    resampleShots = v;
    return this;
  }

  public String getTemplate() {
    return template;
  }

  public FewShotSettings setTemplate(String v) {
    template = v;
    return this;
  }

  public String getExampleSeparator() {
    return exampleSeparator;
  }

  public FewShotSettings setExampleSeparator(String v) {
    exampleSeparator = v;
    return this;
  }

  public boolean isStartWithEndOfText() {
    return startWithEndOfText;
  }

  public FewShotSettings setStartWithEndOfText(boolean v) {
    startWithEndOfText = v;
    return this;
  }

  public String getNormalize() {
    return normalize;
  }

  public FewShotSettings setNormalize(String v) {
    normalize = v;
    return this;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public FewShotSettings setBatchSize(int v) {
    batchSize = v;
    return this;
  }

  public Map<String, String> getTemplates() {
    return templates;
  }

  public Map<String, String> getLabelWords() {
    return labelWords;
  }

  public FewShotSettings setLabelWords(Map<String, String> v) {
    labelWords = new LinkedHashMap<>(v);
    return this;
  }
}
