package io.github.sparkgpt.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The reward-vs-KL plot of bench/dpo-sentiment, drawn with XChart as the report's plots are: two
 * panels side by side, mean reward and mean VADER compound (y) against KL to the starting model per
 * sequence (x), one marker per variant; best-of-N sits at its KL bound (see {@link
 * DpoSentimentTable}). Written to a temp file and renamed.
 */
final class DpoSentimentPlot {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 480;

  static {
    if (System.getProperty("java.awt.headless") == null)
      System.setProperty("java.awt.headless", "true");
  }

  private DpoSentimentPlot() {}

  static void write(List<DpoSentimentTable.Row> rows, Path target) throws IOException {
    BufferedImage reward =
        panel(rows, "Reward vs KL", "mean reward (P(positive))", r -> r.reward());
    BufferedImage vader = panel(rows, "VADER vs KL", "mean VADER compound", r -> r.vader());
    BufferedImage both = new BufferedImage(2 * WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    g.drawImage(reward, 0, 0, null);
    g.drawImage(vader, WIDTH, 0, null);
    g.dispose();
    Path parent = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
    try {
      if (!ImageIO.write(both, "png", tmp.toFile())) throw new IOException("no PNG writer");
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static BufferedImage panel(
      List<DpoSentimentTable.Row> rows,
      String title,
      String yTitle,
      ToDoubleFunction<DpoSentimentTable.Row> y) {
    XYChart c =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("KL to the start (nats per sequence; best-of-N: bound)")
            .yAxisTitle(yTitle)
            .build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setLegendVisible(true);
    for (DpoSentimentTable.Row r : rows) {
      String name = r.bound() ? r.name() + " (KL bound)" : r.name();
      XYSeries s =
          c.addSeries(name, new double[] {r.klPerSequence()}, new double[] {y.applyAsDouble(r)});
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    return BitmapEncoder.getBufferedImage(c);
  }
}
