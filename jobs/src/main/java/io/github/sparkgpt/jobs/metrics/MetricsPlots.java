package io.github.sparkgpt.jobs.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.jobs.layout.PretrainLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a run's {@code metrics.jsonl} as {@code loss.png} (train and validation loss) and {@code
 * perplexity.png} (validation perplexity), both against the step; the x-axis label gives the tokens
 * per step, the title the tokens seen. Each PNG is written to a temp file and renamed, so a reader
 * never sees half an image.
 */
public final class MetricsPlots {
  public static final String LOSS = "loss.png";
  public static final String PERPLEXITY = "perplexity.png";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WIDTH = 800;
  private static final int HEIGHT = 500;

  static {
    // Charts are drawn off-screen; on a cluster driver there is no display.
    if (System.getProperty("java.awt.headless") == null)
      System.setProperty("java.awt.headless", "true");
  }

  private MetricsPlots() {}

  /** Series read from metrics.jsonl: x = step, y = the metric, only where the metric is present. */
  record Series(List<Double> steps, List<Double> values) {
    static Series empty() {
      return new Series(new ArrayList<>(), new ArrayList<>());
    }

    void add(double x, double y) {
      steps.add(x);
      values.add(y);
    }
  }

  /**
   * The two plots as PNG bytes; {@code perplexity} is null when no step has a validation
   * perplexity.
   */
  public record Plots(byte[] loss, byte[] perplexity) {}

  /**
   * Writes both plots into {@code runDir}; returns false (writing nothing) when there are no
   * metrics yet.
   */
  public static boolean write(Path runDir) throws IOException {
    Optional<Plots> plots = render(runDir.resolve(PretrainLayout.METRICS));
    if (plots.isEmpty()) return false;
    save(plots.get().loss(), runDir.resolve(LOSS));
    if (plots.get().perplexity() != null)
      save(plots.get().perplexity(), runDir.resolve(PERPLEXITY));
    return true;
  }

  /** Draws a metrics.jsonl file; empty when it is missing or has no loss yet. */
  public static Optional<Plots> render(Path metrics) throws IOException {
    if (!Files.exists(metrics)) return Optional.empty();
    Series train = Series.empty(), val = Series.empty(), ppl = Series.empty();
    long lastStep = 0, lastTokens = 0;
    for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      JsonNode n = JSON.readTree(line);
      double step = n.path("step").asDouble();
      if (n.path("train_loss").isNumber()) train.add(step, n.path("train_loss").asDouble());
      if (n.path("val_loss").isNumber()) val.add(step, n.path("val_loss").asDouble());
      if (n.path("val_perplexity").isNumber()) ppl.add(step, n.path("val_perplexity").asDouble());
      lastStep = n.path("step").asLong();
      lastTokens = n.path("tokens_seen").asLong();
    }
    if (train.steps().isEmpty() && val.steps().isEmpty()) return Optional.empty();
    String xTitle =
        lastStep > 0
            ? String.format(Locale.ROOT, "step (%,d tokens per step)", lastTokens / lastStep)
            : "step";
    String seen = String.format(Locale.ROOT, "%,d tokens seen at step %,d", lastTokens, lastStep);

    XYChart loss = chart("Loss (nats per token), " + seen, xTitle, "cross-entropy loss");
    add(loss, "train loss", train, false);
    add(loss, "validation loss", val, true);

    XYChart perplexity = chart("Validation perplexity, " + seen, xTitle, "perplexity");
    add(perplexity, "validation perplexity", ppl, true);
    return Optional.of(
        new Plots(png(loss), perplexity.getSeriesMap().isEmpty() ? null : png(perplexity)));
  }

  /**
   * A task run's per-epoch losses (each key ending in "loss" of metrics.json's training epochs) as
   * a PNG; empty when no epoch has one.
   */
  public static Optional<byte[]> epochLosses(List<Map<String, Object>> epochs) {
    return epochChart(
        epochs,
        key -> key.endsWith("loss"),
        "Loss per epoch (nats per token)",
        "cross-entropy loss");
  }

  /** The keys of a preference run's epochs plotted by {@link #epochPreference}. */
  public static final List<String> PREFERENCE_KEYS =
      List.of("preference_accuracy", "policy_prefers_chosen", "reward_margin", "kl_per_token");

  /**
   * A preference (dpo) run's validation per epoch: preference accuracy, the policy's own
   * preference, reward margin and KL per token; empty when no epoch has them.
   */
  public static Optional<byte[]> epochPreference(List<Map<String, Object>> epochs) {
    return epochChart(
        epochs, PREFERENCE_KEYS::contains, "Preference per epoch (validation)", "value");
  }

  private static Optional<byte[]> epochChart(
      List<Map<String, Object>> epochs,
      java.util.function.Predicate<String> plotted,
      String title,
      String yTitle) {
    Map<String, Series> series = new TreeMap<>();
    for (Map<String, Object> row : epochs == null ? List.<Map<String, Object>>of() : epochs) {
      if (!(row.get("epoch") instanceof Number epoch)) continue;
      row.forEach(
          (key, v) -> {
            if (plotted.test(key) && v instanceof Number n && Double.isFinite(n.doubleValue()))
              series
                  .computeIfAbsent(key, k -> Series.empty())
                  .add(epoch.doubleValue(), n.doubleValue());
          });
    }
    if (series.isEmpty()) return Optional.empty();
    XYChart c = chart(title, "epoch", yTitle);
    series.forEach((name, s) -> add(c, name.replace('_', ' '), s, true));
    try {
      return Optional.of(png(c));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static XYChart chart(String title, String x, String y) {
    XYChart c =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(x)
            .yAxisTitle(y)
            .build();
    c.getStyler().setLegendVisible(true);
    c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    c.getStyler().setXAxisDecimalPattern("#,###");
    return c;
  }

  private static void add(XYChart chart, String name, Series s, boolean markers) {
    if (s.steps().isEmpty()) return;
    XYSeries series = chart.addSeries(name, s.steps(), s.values());
    series.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
  }

  private static byte[] png(XYChart chart) throws IOException {
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }

  private static void save(byte[] png, Path target) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.write(tmp, png);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
