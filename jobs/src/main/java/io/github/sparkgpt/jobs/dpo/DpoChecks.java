package io.github.sparkgpt.jobs.dpo;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.jobs.train.EpochSettings;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptDpoLayer;
import java.util.List;
import java.util.Locale;

/** What the dpo job refuses before Spark starts. */
final class DpoChecks {
  private DpoChecks() {}

  /** Every setting on its own range; the first one out of range is refused. */
  static void check(DpoSettings s) {
    List<String> cols = s.getTextColumns();
    require(cols.stream().noneMatch(String::isBlank), "a column option is empty: " + cols);
    require(
        cols.stream().distinct().count() == 3, "prompt, chosen and rejected columns must differ");
    List<String> reasons =
        List.of(s.getChosenFinishReasonColumn(), s.getRejectedFinishReasonColumn());
    for (String r : reasons)
      require(
          r.isEmpty() || (!r.isBlank() && !cols.contains(r)),
          "a finish-reason column must be \"\" (none) or a column of its own, got '" + r + "'");
    require(
        reasons.get(0).isEmpty() || !reasons.get(0).equals(reasons.get(1)),
        "chosen and rejected finish-reason columns must differ");
    ResponseTemplate.of("dpo", s.getTemplate());
    lossLayer(s, GptConfig.tiny()); // refuses an unknown loss, beta <= 0, smoothing out of range
    require(s.getKlPrompts() >= 0, "kl_prompts must be >= 0 (0 = no KL estimate)");
    require(s.getKlMaxNewTokens() >= 1, "kl_max_new_tokens must be >= 1");
    require(s.getGradientClip() >= 0, "gradient_clip must be >= 0 (0 = off)");
    String training = EpochSettings.problem(s);
    require(training == null, training);
  }

  /** The preference loss of these settings for a model of {@code config}. */
  static GptDpoLayer lossLayer(DpoSettings s, GptConfig config) {
    GptDpoLayer.Loss loss;
    try {
      loss = GptDpoLayer.Loss.valueOf(s.getLoss().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("dpo: loss must be sigmoid or ipo, got '" + s.getLoss() + "'");
    }
    try {
      return new GptDpoLayer(config, loss, s.getBeta(), s.getLabelSmoothing());
    } catch (IllegalArgumentException e) {
      throw new UsageException("dpo: " + e.getMessage());
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new UsageException("dpo: " + message);
  }
}
