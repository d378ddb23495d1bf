package io.github.sparkgpt.pipeline.task.sets;

import io.github.sparkgpt.pipeline.RejectedDocument;
import java.util.List;
import java.util.Map;

/**
 * A built task set before it is split: its rows, the inputs that could not be used (quarantined
 * with a reason, written to {@code quarantine.jsonl} and counted), the label names in their
 * canonical order (none for a prompt -> response set, whose rows carry the empty label), and what
 * {@code info.json} should say about where it came from.
 *
 * @param info source, derivation, parameters and the finetune options that read it (see {@link
 *     TaskSetBuilder})
 */
public record TaskSet(
    String name,
    List<TaskRow> rows,
    List<String> labels,
    List<RejectedDocument> quarantined,
    Map<String, Object> info) {
  public TaskSet {
    rows = List.copyOf(rows);
    labels = List.copyOf(labels);
    quarantined = List.copyOf(quarantined);
    info = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(info));
    for (TaskRow r : rows) {
      if (labels.isEmpty() ? !r.label().isEmpty() : !labels.contains(r.label())) {
        throw new IllegalStateException(
            name + ": row " + r.key() + " has label '" + r.label() + "' outside " + labels);
      }
    }
  }
}
