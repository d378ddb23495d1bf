package io.github.sparkgpt.jobs.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.sparkgpt.jobs.metrics.RunMetrics.Evaluation;
import io.github.sparkgpt.jobs.metrics.RunMetrics.FewShot;
import io.github.sparkgpt.jobs.metrics.RunMetrics.Lineage;
import io.github.sparkgpt.jobs.metrics.RunMetrics.SplitCounts;
import io.github.sparkgpt.jobs.metrics.RunMetrics.Training;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a metrics.json written before {@link RunMetrics} (no "schema" key): finetune wrote {@code
 * <split>_examples}, {@code <split>_rejected}, a "training" object and evaluations under
 * "validation"/"test"; fewshot wrote its settings at the top level (with "shots") and its
 * evaluation under "eval". Evaluations kept their keys.
 */
final class LegacyMetrics {
  private static final List<String> SPLITS = List.of("train", "validation", "test", "eval");

  private LegacyMetrics() {}

  static RunMetrics adapt(JsonNode m, JsonNode labelsJson) throws JsonProcessingException {
    boolean fewshot = m.has("shots");
    JsonNode training = m.path("training");
    Map<String, SplitCounts> splits = new LinkedHashMap<>();
    Map<String, Evaluation> evaluations = new LinkedHashMap<>();
    for (String s : SPLITS) {
      if (m.path(s + "_examples").isNumber())
        splits.put(s, counts(m.path(s + "_examples").asLong(), m.path(s + "_rejected")));
      if (m.path(s).isObject())
        evaluations.put(s, RunMetricsJson.JSON.treeToValue(m.path(s), Evaluation.class));
    }
    String task =
        m.path("task").isTextual()
            ? m.path("task").asText()
            : labelsJson != null && labelsJson.path("task").isTextual()
                ? labelsJson.path("task").asText()
                : null;
    Boolean pretrained =
        fewshot
            ? Boolean.TRUE
            : training.path("pretrained").isBoolean()
                ? training.path("pretrained").asBoolean()
                : null;
    Lineage lineage =
        m.path("lineage").isObject()
            ? RunMetricsJson.JSON.treeToValue(m.path("lineage"), Lineage.class)
            : null;
    return new RunMetrics(
        0,
        fewshot ? RunMetrics.FEWSHOT : RunMetrics.FINETUNE,
        task,
        null,
        pretrained,
        lineage,
        splits,
        m.path("rejected").isNumber() ? m.path("rejected").asLong() : null,
        null,
        evaluations,
        training.isObject() ? RunMetricsJson.JSON.treeToValue(training, Training.class) : null,
        fewshot ? RunMetricsJson.JSON.treeToValue(m, FewShot.class) : null,
        null,
        m.path("truncated_sequences").isNumber() ? m.path("truncated_sequences").asLong() : null);
  }

  private static SplitCounts counts(long kept, JsonNode reasons) {
    Map<String, Long> r = new LinkedHashMap<>();
    reasons.fields().forEachRemaining(e -> r.put(e.getKey(), e.getValue().asLong()));
    return new SplitCounts(kept + r.values().stream().mapToLong(Long::longValue).sum(), kept, r);
  }
}
