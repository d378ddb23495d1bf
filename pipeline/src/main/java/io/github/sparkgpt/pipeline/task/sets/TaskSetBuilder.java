package io.github.sparkgpt.pipeline.task.sets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one labelled task set from raw data. Subclasses read their inputs and return rows; the
 * split parameters and the seed (which also drives any sampling) live here, so every set is split
 * the same way.
 */
public abstract class TaskSetBuilder {
  protected long seed = 1234;
  protected double trainFraction = 0.8;
  protected double validationFraction = 0.1;

  /** Directory name of the set under the output directory. */
  public abstract String name();

  /**
   * Read the inputs and build the rows; throws {@link IllegalArgumentException} naming a missing
   * input.
   */
  public abstract TaskSet build();

  public TaskSetBuilder setSeed(long v) {
    seed = v;
    return this;
  }

  public TaskSetBuilder setTrainFraction(double v) {
    trainFraction = v;
    return this;
  }

  public TaskSetBuilder setValidationFraction(double v) {
    validationFraction = v;
    return this;
  }

  public long seed() {
    return seed;
  }

  public TaskSplitter splitter() {
    return new TaskSplitter(trainFraction, validationFraction, seed);
  }

  /**
   * The info.json skeleton every builder fills: where the data came from, how the rows were
   * derived, the named parameters, and the finetune options that read the files ({@code task},
   * {@code text_columns}, {@code label_column}, {@code id_column}).
   */
  protected static Map<String, Object> info(
      String source,
      String derivation,
      String task,
      List<String> textColumns,
      Map<String, Object> parameters) {
    Map<String, Object> finetune = new LinkedHashMap<>();
    finetune.put("task", task);
    finetune.put("text_columns", textColumns);
    finetune.put("label_column", "label");
    finetune.put("id_column", "id");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", source);
    m.put("derivation", derivation);
    m.put("finetune", finetune);
    m.put("parameters", parameters);
    return m;
  }

  /** Ordered map from alternating keys and values, for readable info.json sections. */
  protected static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }
}
