package io.github.sparkgpt.jobs.sft;

import io.github.sparkgpt.jobs.metrics.AnswerMetrics;
import io.github.sparkgpt.jobs.task.Completer;
import io.github.sparkgpt.jobs.task.ResponseTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

/**
 * How well an sft model does on a split: the loss on response tokens (teacher forcing), and greedy
 * answers scored by exact match and token F1 against every accepted response.
 */
final class SftEvaluator {
  private final ResponseTemplate template;
  private final int batchSize;

  SftEvaluator(ResponseTemplate template, int batchSize) {
    this.template = template;
    this.batchSize = batchSize;
  }

  /** Generated answers of a split: means over rows, and one predictions.jsonl row each. */
  record Answers(long count, double exactMatch, double tokenF1, List<Map<String, Object>> rows) {}

  /**
   * Mean cross-entropy (nats/token) over the response tokens and ends of text; NaN for no examples.
   * Call it on a copy of a network still in training (DL4J M2, see Known issues).
   */
  double loss(ComputationGraph net, List<SftEncoder.Example> examples) {
    double sum = 0;
    long tokens = 0;
    for (int from = 0; from < examples.size(); from += batchSize) {
      List<SftEncoder.Example> part =
          examples.subList(from, Math.min(examples.size(), from + batchSize));
      DataSet ds = SftBatches.batch(part, SftBatches.widthOf(part), false);
      long counted =
          ds.getLabels().gte(0).castTo(ds.getLabels().dataType()).sumNumber().longValue();
      sum += net.score(ds) * counted; // the LM layer's score is the mean over counted positions
      tokens += counted;
    }
    return tokens == 0 ? Double.NaN : sum / tokens;
  }

  /** Completes every templated prompt with {@code completer} and scores it. */
  Answers answers(Completer completer, List<SftEncoder.Example> examples) {
    List<String> prompts = new ArrayList<>();
    for (SftEncoder.Example e : examples) prompts.add(template.render(e.prompt()));
    List<Map<String, Object>> rows = new ArrayList<>();
    double em = 0, f1 = 0;
    for (int from = 0; from < prompts.size(); from += batchSize) {
      int to = Math.min(prompts.size(), from + batchSize);
      List<String> generated = completer.complete(prompts.subList(from, to));
      for (int i = from; i < to; i++) {
        SftEncoder.Example e = examples.get(i);
        String g = generated.get(i - from);
        double m = AnswerMetrics.exactMatch(g, e.answers());
        double f = AnswerMetrics.tokenF1(g, e.answers());
        em += m;
        f1 += f;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", e.id());
        row.put("prompt", e.prompt());
        row.put("references", e.answers());
        row.put("generated", g);
        row.put("em", m);
        row.put("f1", f);
        rows.add(row);
      }
    }
    int n = examples.size();
    return new Answers(n, n == 0 ? Double.NaN : em / n, n == 0 ? Double.NaN : f1 / n, rows);
  }
}
