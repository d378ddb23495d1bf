package io.github.sparkgpt.pipeline.task.sets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One labelled example of a prepared task set.
 *
 * @param key what the split hashes: rows with the same key always land in the same split
 *     (duplicates never leak between train and test), usually the normalised input text
 * @param label the label name, also the stratum of the split
 * @param fields the JSON object written for this row, in column order (it holds the label column
 *     too)
 */
public record TaskRow(String key, String label, Map<String, Object> fields) {
  public TaskRow {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(label, "label");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }
}
