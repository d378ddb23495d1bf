package io.github.sparkgpt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.pipeline.sentiment.Vader;
import io.github.sparkgpt.pipeline.sentiment.VaderLexicon;
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
 * gain that only fools the classifier shows up).
 *
 * <p>Arguments: the VADER lexicon, then one {@code name:mode:pairsDir[:dpoRun]} per variant, where
 * pairsDir is a preference-pairs output over the held-out prompts; mode {@code all} judges every
 * sample (the model as it samples), {@code best} only the best of each prompt's samples
 * (best-of-N). KL: the dpo run's last {@code kl_per_token}; 0 for the starting model; best-of-N's
 * sequence KL is at most log N - (N - 1) / N.
 */
public final class DpoSentimentTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    Vader vader = new Vader(VaderLexicon.read(args[0], new Configuration()));
    System.out.printf(
        Locale.ROOT,
        "%-14s %8s %8s %12s %10s %s%n",
        "variant",
        "texts",
        "reward",
        "KL",
        "VADER",
        "(mean compound of prompt + completion)");
    for (int i = 1; i < args.length; i++) {
      String[] v = args[i].split(":", 4);
      List<Double> reward = new ArrayList<>(), judge = new ArrayList<>();
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
          if (v[1].equals("best")) break;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%-14s %8d %8.4f %12s %10.4f%n",
          v[0],
          reward.size(),
          mean(reward),
          kl(v, samples),
          mean(judge));
    }
  }

  private static String kl(String[] v, int samples) throws Exception {
    if (v.length > 3) {
      JsonNode epochs = JSON.readTree(Path.of(v[3], "metrics.json").toFile()).path("training");
      JsonNode last = epochs.path("epochs").get(epochs.path("epochs").size() - 1);
      return String.format(Locale.ROOT, "%.4f/tok", last.path("kl_per_token").asDouble());
    }
    if (v[1].equals("best"))
      return String.format(
          Locale.ROOT, "<=%.3f/seq", Math.log(samples) - (samples - 1) / (double) samples);
    return "0";
  }

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
