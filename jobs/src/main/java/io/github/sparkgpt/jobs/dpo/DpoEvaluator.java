package io.github.sparkgpt.jobs.dpo;

import io.github.sparkgpt.jobs.decode.GenerationSettings;
import io.github.sparkgpt.jobs.decode.SparkCompleter;
import io.github.sparkgpt.jobs.decode.SparkLogProbs;
import io.github.sparkgpt.jobs.task.Completion;
import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.model.DpoModel;
import io.github.sparkgpt.model.FinishReason;
import io.github.sparkgpt.model.GptModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * How far the policy moved and in which direction: on the validation pairs, the implicit rewards
 * {@code beta (log pi - log ref)} of both responses (preference accuracy, mean margin, mean log
 * ratios, the loss), and KL(policy || reference) per token on completions the policy samples for
 * validation prompts. All scoring and sampling runs on the executors.
 */
final class DpoEvaluator {
  /** Log-probabilities of each pair's chosen and rejected response under one model. */
  record Scores(double[] chosen, double[] rejected) {}

  private final DpoSettings settings;
  private final DpoEncoder encoder;
  private final ComputationGraph reference;

  DpoEvaluator(DpoSettings settings, DpoEncoder encoder, ComputationGraph reference) {
    this.settings = settings;
    this.encoder = encoder;
    this.reference = reference;
  }

  /** Both responses of every pair scored by {@code lm} (one pass over the executors). */
  static Scores score(
      JavaSparkContext jsc, ComputationGraph lm, List<DpoEncoder.Example> ex, int b) {
    int n = ex.size();
    int[][] prompts = new int[2 * n][], responses = new int[2 * n][];
    for (int i = 0; i < n; i++) {
      prompts[i] = prompts[n + i] = ex.get(i).promptIds();
      responses[i] = ex.get(i).chosen();
      responses[n + i] = ex.get(i).rejected();
    }
    double[] lp = SparkLogProbs.of(jsc, lm, prompts, responses, b);
    double[] c = new double[n], r = new double[n];
    System.arraycopy(lp, 0, c, 0, n);
    System.arraycopy(lp, n, r, 0, n);
    return new Scores(c, r);
  }

  /**
   * The validation row of the policy a preference-training network holds: epoch 0 (before any step,
   * so it checks that the policy and the reference values are computed alike) and every epoch.
   */
  Map<String, Object> evaluateTraining(
      JavaSparkContext jsc, ComputationGraph dpo, List<DpoEncoder.Example> val, Scores ref) {
    // on a copy: evaluating the training network closes its parameters (DL4J M2)
    return evaluate(jsc, DpoModel.languageModel(dpo.clone()), val, ref);
  }

  /** The validation row of one evaluation (keys as in metrics.json). */
  Map<String, Object> evaluate(
      JavaSparkContext jsc, ComputationGraph policy, List<DpoEncoder.Example> val, Scores ref) {
    Scores pi = score(jsc, policy, val, settings.getEvalBatchSize());
    double beta = settings.getBeta(), eps = settings.getLabelSmoothing();
    boolean ipo = settings.getLoss().equalsIgnoreCase("ipo");
    double right = 0, prefers = 0, margin = 0, chosen = 0, rejected = 0, loss = 0;
    int n = val.size();
    for (int i = 0; i < n; i++) {
      double c = pi.chosen()[i] - ref.chosen()[i], r = pi.rejected()[i] - ref.rejected()[i];
      double z = c - r;
      // a tie is no preference either way: half, so policy = reference reads 0.5, not 0
      right += z > 0 ? 1 : z == 0 ? 0.5 : 0;
      prefers +=
          pi.chosen()[i] > pi.rejected()[i] ? 1 : pi.chosen()[i] == pi.rejected()[i] ? 0.5 : 0;
      margin += beta * z;
      chosen += c;
      rejected += r;
      loss +=
          ipo
              ? Math.pow(z - 1 / (2 * beta), 2)
              : (1 - eps) * softplus(-beta * z) + eps * softplus(beta * z);
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("validation_loss", loss / n);
    row.put("preference_accuracy", right / n);
    // the policy's own preference, whatever the reference's (at epoch 0: the reference's)
    row.put("policy_prefers_chosen", prefers / n);
    row.put("reward_margin", margin / n);
    row.put("chosen_log_ratio", chosen / n);
    row.put("rejected_log_ratio", rejected / n);
    if (settings.getKlPrompts() > 0) row.put("kl_per_token", klPerToken(jsc, policy, val));
    return row;
  }

  /**
   * Mean over sampled tokens of {@code log pi - log ref}: an unbiased estimate of KL(policy ||
   * reference) when the completions are the policy's own samples (temperature 1, no truncation).
   */
  double klPerToken(JavaSparkContext jsc, ComputationGraph policy, List<DpoEncoder.Example> val) {
    List<String> prompts = new ArrayList<>();
    for (DpoEncoder.Example e : val.subList(0, Math.min(val.size(), settings.getKlPrompts())))
      prompts.add(encoder.template().render(e.prompt()));
    GenerationSettings sampling =
        new GenerationSettings()
            .setTemperature(1)
            .setTopK(0)
            .setTopP(1)
            .setSeed(settings.getSeed())
            .setMaxNewTokens(settings.getKlMaxNewTokens());
    List<Completion> done =
        new SparkCompleter(jsc, policy, encoder.tokenizer(), sampling.validate())
            .completions(prompts);
    int context = GptModel.configOf(policy).getContextLength();
    List<int[]> p = new ArrayList<>(), r = new ArrayList<>();
    long tokens = 0;
    for (int i = 0; i < prompts.size(); i++) {
      // a completion that ended sampled its <|endoftext|> too; a cut one did not
      Completion c = done.get(i);
      int[] resp = encoder.response(c.text(), c.finish() == FinishReason.STOP);
      int[] prompt =
          ResponseTemplate.fitPrompt(
              encoder.tokenizer().encode(prompts.get(i)), resp.length, context);
      if (prompt == null || resp.length == 0) continue;
      p.add(prompt);
      r.add(resp);
      tokens += resp.length;
    }
    int[][] ps = p.toArray(new int[0][]), rs = r.toArray(new int[0][]);
    int b = settings.getEvalBatchSize();
    double[] lpPolicy = SparkLogProbs.of(jsc, policy, ps, rs, b);
    double[] lpRef = SparkLogProbs.of(jsc, reference, ps, rs, b);
    double sum = 0;
    for (int i = 0; i < ps.length; i++) sum += lpPolicy[i] - lpRef[i];
    return tokens == 0 ? 0 : sum / tokens;
  }

  private static double softplus(double x) {
    return x > 30 ? x : Math.log1p(Math.exp(x));
  }
}
