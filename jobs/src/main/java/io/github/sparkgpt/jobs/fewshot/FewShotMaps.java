package io.github.sparkgpt.jobs.fewshot;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.github.sparkgpt.jobs.UsageException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fewshot job's map-valued keys, {@code templates} and {@code label_words}: their defaults and
 * how they are read (by {@link FewShotSettings#from}, not ConfigBinder: their keys are names).
 */
final class FewShotMaps {
  private FewShotMaps() {}

  /**
   * One prompt per task; the candidate scored goes where {label} (multiple choice: {answer})
   * stands.
   */
  static Map<String, String> defaultTemplates() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("classification", "{text}\nAnswer: {label}");
    t.put("entailment", "{premise}\nQuestion: {hypothesis} True or False?\nAnswer: {label}");
    t.put(
        "similarity",
        "{text_a}\nQuestion: Does this mean the same as \"{text_b}\"? Yes or No?\nAnswer: {label}");
    t.put("multiple_choice", "{context} {answer}");
    return t;
  }

  /** A map of strings; keys are taken literally (a label "1.5" is not a path). */
  static Map<String, String> strings(Config config, String key) {
    ConfigValue v = config.getValue(key);
    if (v.valueType() != ConfigValueType.OBJECT) {
      throw new UsageException(
          "fewshot: "
              + key
              + " must be a map, e.g. "
              + key
              + " { \"0\" = negative, \"1\" = positive }");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : ((ConfigObject) v).entrySet()) {
      Object w = e.getValue().unwrapped();
      if (!(w instanceof String) && !(w instanceof Number) && !(w instanceof Boolean)) {
        throw new UsageException(
            "fewshot: "
                + key
                + "."
                + e.getKey()
                + " must be a string, got "
                + e.getValue().render());
      }
      out.put(e.getKey(), w.toString());
    }
    return out;
  }
}
