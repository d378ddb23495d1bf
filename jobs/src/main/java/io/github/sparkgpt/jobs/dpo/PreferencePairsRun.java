package io.github.sparkgpt.jobs.dpo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.jobs.TaskRunFiles;
import io.github.sparkgpt.jobs.decode.SparkCompleter;
import io.github.sparkgpt.jobs.task.Completion;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.write.JsonFiles;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Preference pairs from a reward model: {@code samples} completions of every prompt, sampled on the
 * executors (KV cache, sample k seeded with seed + k), each scored as prompt + completion by the
 * reward classifier; chosen = the best, rejected = the worst, a prompt whose samples all score the
 * same is dropped (counted as a tie). Writes pairs.jsonl (prompt, chosen, rejected, their scores
 * and finish reasons, every sample with its score and finish reason), rejected.jsonl and
 * counts.json (in = pairs + ties + rejected) into the output, committed by rename with {@code
 * _SUCCESS}.
 */
public final class PreferencePairsRun {
  public static final String PAIRS = "pairs.jsonl";
  public static final String REJECTED = "rejected.jsonl";
  public static final String COUNTS = "counts.json";
  public static final String TIE = "tie";
  // the columns dpo reads by default to append <|endoftext|> only to responses that ended
  public static final String CHOSEN_FINISH_REASON = "chosen_finish_reason";
  public static final String REJECTED_FINISH_REASON = "rejected_finish_reason";
  private static final ObjectMapper JSONL = new ObjectMapper(); // one line per row

  /** Rows in = pairs written + ties dropped + rows rejected when read. */
  public record Counts(long in, long pairs, long ties, long rejected) {}

  private PreferencePairsRun() {}

  public static Counts run(
      JavaSparkContext jsc,
      PreferencePairsSettings s,
      ComputationGraph policy,
      BpeTokenizer tokenizer,
      RewardModel reward,
      TaskReader.Result prompts,
      OutputDirectory out) {
    List<String> texts = new ArrayList<>();
    for (TaskExample e : prompts.examples()) texts.add(e.inputs().get(0));
    List<List<Completion>> samples = sample(jsc, s, policy, tokenizer, texts);
    List<String> scored = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++)
      for (List<Completion> byK : samples) scored.add(texts.get(i) + byK.get(i).text());
    double[] all = reward.scores(scored, s.getBatchSize());
    List<String> lines = new ArrayList<>();
    long ties = 0;
    for (int i = 0; i < texts.size(); i++) {
      double[] sc = Arrays.copyOfRange(all, i * s.getSamples(), (i + 1) * s.getSamples());
      int[] pick = PairPicker.pick(sc);
      if (pick == null) {
        ties++;
        continue;
      }
      List<Completion> completions = new ArrayList<>();
      for (List<Completion> byK : samples) completions.add(byK.get(i));
      lines.add(json(row(prompts.examples().get(i).id(), texts.get(i), completions, sc, pick)));
    }
    List<String> rejected = new ArrayList<>();
    for (RejectedDocument d : prompts.rejected())
      rejected.add(json(TaskRunFiles.rejectedRow("prompts", d)));
    Counts c =
        new Counts(
            prompts.examples().size() + prompts.rejected().size(),
            lines.size(),
            ties,
            rejected.size());
    write(out, PAIRS, lines);
    write(out, REJECTED, rejected);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("rows_in", c.in());
    counts.put("pairs", c.pairs());
    counts.put("dropped", Map.of(TIE, c.ties()));
    counts.put("rejected", c.rejected());
    counts.put("samples", s.getSamples());
    counts.put("reward_label", s.getRewardLabel());
    JsonFiles.writeJson(out.fileSystem(), new Path(out.temporary(), COUNTS), counts);
    return c;
  }

  /**
   * One pairs.jsonl row: the pair, their scores and finish reasons ({@code stop}: it ended, so dpo
   * scores its end of text; {@code length}: cut), then every sample with its score and reason.
   */
  private static Map<String, Object> row(
      String id, String prompt, List<Completion> completions, double[] scores, int[] pick) {
    List<String> texts = new ArrayList<>(), reasons = new ArrayList<>();
    for (Completion c : completions) {
      texts.add(c.text());
      reasons.add(c.finish().label());
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("prompt", prompt);
    row.put("chosen", texts.get(pick[0]));
    row.put("rejected", texts.get(pick[1]));
    row.put("chosen_score", scores[pick[0]]);
    row.put("rejected_score", scores[pick[1]]);
    row.put(CHOSEN_FINISH_REASON, reasons.get(pick[0]));
    row.put(REJECTED_FINISH_REASON, reasons.get(pick[1]));
    row.put("samples", texts);
    row.put("scores", scores);
    row.put("finish_reasons", reasons);
    return row;
  }

  /** [k][prompt]: the k-th completion of every prompt, on the executors. */
  private static List<List<Completion>> sample(
      JavaSparkContext jsc,
      PreferencePairsSettings s,
      ComputationGraph policy,
      BpeTokenizer tokenizer,
      List<String> texts) {
    List<List<Completion>> samples = new ArrayList<>();
    for (int k = 0; k < s.getSamples(); k++)
      samples.add(
          new SparkCompleter(jsc, policy, tokenizer, s.sampling(k).validate()).completions(texts));
    return samples;
  }

  private static void write(OutputDirectory out, String name, List<String> lines) {
    String text = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    JsonFiles.writeText(out.fileSystem(), new Path(out.temporary(), name), text);
  }

  private static String json(Object row) {
    try {
      return JSONL.writeValueAsString(row);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
