package io.github.sparkgpt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.pipeline.sentiment.Vader;
import io.github.sparkgpt.pipeline.sentiment.VaderLexicon;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * The reward-vs-KL table of bench/dpo-sentiment: per variant, the mean reward (the classifier's
 * probability of the rewarded label) of the judged completions of the held-out prompts, KL to the
 * starting model, and the mean VADER compound score of the same texts (an independent judge, so a
 * gain that only fools the classifier shows up); with {@code --plot FILE} also reward and VADER
 * against KL as a PNG ({@link DpoSentimentPlot}).
 *
 * <p>Arguments: {@code [--plot FILE]}, the VADER lexicon, then one {@code
 * name:mode:pairsDir[:dpoRun]} per variant, where pairsDir is a preference-pairs output over the
 * held-out prompts; mode {@code all} judges every sample (the model as it samples), {@code best}
 * only the best of each prompt's samples (best-of-N).
 *
 * <p>KL per sequence, so that all variants share one axis: 0 for the starting model; best-of-N's is
 * the bound log N - (N - 1) / N (not measured); a dpo run's is its last measured {@code
 * kl_per_token} (on its validation prompts' samples) times the mean token count of the judged
 * completions, re-tokenized with the run's tokenizer (end of text not counted).
 */
public final class DpoSentimentTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One variant: its judged texts and the KL of the model that wrote them. */
  record Row(
      String name,
      int texts,
      double reward,
      double vader,
      double klPerToken,
      double tokensPerCompletion,
      double klPerSequence,
      boolean bound) {}

  public static void main(String[] args) throws Exception {
    int first = args.length > 1 && args[0].equals("--plot") ? 2 : 0;
    Vader vader = new Vader(VaderLexicon.read(args[first], new Configuration()));
    List<Row> rows = new ArrayList<>();
    for (int i = first + 1; i < args.length; i++) rows.add(row(vader, args[i]));
    print(rows, System.out);
    if (first == 2) DpoSentimentPlot.write(rows, Path.of(args[1]));
  }

  /** The row of one {@code name:mode:pairsDir[:dpoRun]} argument. */
  static Row row(Vader vader, String variant) throws Exception {
    String[] v = variant.split(":", 4);
    List<Double> reward = new ArrayList<>(), judge = new ArrayList<>();
    List<String> judged = new ArrayList<>();
    int samples = 0;
    for (String line : Files.readAllLines(Path.of(v[2], "pairs.jsonl"))) {
      JsonNode p = JSON.readTree(line);
      String prompt = p.path("prompt").asText();
      samples = p.path("samples").size();
      for (int k = 0; k < samples; k++) {
        String completion = p.path("samples").get(k).asText();
        boolean best = completion.equals(p.path("chosen").asText());
        if (v[1].equals("best") && !best) continue;
        reward.add(p.path("scores").get(k).asDouble());
        judge.add(vader.score(prompt + completion).compound());
        judged.add(completion);
        if (v[1].equals("best")) break;
      }
    }
    double klTok = Double.NaN, tokens = Double.NaN, klSeq = 0;
    boolean bound = false;
    if (v.length > 3) {
      JsonNode epochs = JSON.readTree(Path.of(v[3], "metrics.json").toFile()).path("training");
      klTok =
          epochs
              .path("epochs")
              .get(epochs.path("epochs").size() - 1)
              .path("kl_per_token")
              .asDouble();
      tokens = meanTokens(HfTokenizerJson.read(Path.of(v[3], "model", "tokenizer.json")), judged);
      klSeq = klTok * tokens;
    } else if (v[1].equals("best")) {
      klSeq = Math.log(samples) - (samples - 1) / (double) samples;
      bound = true;
    }
    return new Row(v[0], reward.size(), mean(reward), mean(judge), klTok, tokens, klSeq, bound);
  }

  static void print(List<Row> rows, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%-14s %6s %8s %9s %7s %14s %8s%n",
        "variant",
        "texts",
        "reward",
        "KL/tok",
        "tokens",
        "KL/seq",
        "VADER");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "%-14s %6d %8.4f %9s %7s %14s %8.4f%n",
          r.name(),
          r.texts(),
          r.reward(),
          Double.isNaN(r.klPerToken()) ? "-" : String.format(Locale.ROOT, "%.4f", r.klPerToken()),
          Double.isNaN(r.tokensPerCompletion())
              ? "-"
              : String.format(Locale.ROOT, "%.1f", r.tokensPerCompletion()),
          String.format(Locale.ROOT, r.bound() ? "<=%.3f bound" : "%.3f", r.klPerSequence()),
          r.vader());
    }
    out.println(
        "reward: mean P(rewarded label); VADER: mean compound of prompt + completion; KL/seq: nats"
            + " per completion to the starting model: dpo = measured KL/tok (its validation"
            + " samples) x tokens (mean per judged completion), best-of-N = the bound log N -"
            + " (N-1)/N");
  }

  private static double meanTokens(BpeTokenizer tok, List<String> texts) {
    return texts.stream().mapToInt(t -> tok.encode(t).length).average().orElse(Double.NaN);
  }

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
