package io.github.sparkgpt.jobs.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsPlotsTest {
  @TempDir Path dir;

  @Test
  void drawsLossAndPerplexityFromMetrics() throws Exception {
    Files.write(dir.resolve(RunDirectory.METRICS), List.of(
        "{\"step\":0,\"tokens_seen\":0,\"train_loss\":null,\"val_loss\":5.8,\"val_perplexity\":330.3}",
        "{\"step\":2,\"tokens_seen\":512,\"train_loss\":5.7,\"val_loss\":null,\"val_perplexity\":null}",
        "{\"step\":4,\"tokens_seen\":1024,\"train_loss\":5.4,\"val_loss\":5.3,\"val_perplexity\":200.3}",
        "{\"step\":6,\"tokens_seen\":1536,\"train_loss\":5.1,\"val_loss\":null,\"val_perplexity\":null}",
        "{\"step\":8,\"tokens_seen\":2048,\"train_loss\":4.9,\"val_loss\":4.7,\"val_perplexity\":109.9}"));
    assertTrue(MetricsPlots.write(dir));
    for (String name : List.of(MetricsPlots.LOSS, MetricsPlots.PERPLEXITY)) {
      BufferedImage img = ImageIO.read(dir.resolve(name).toFile());
      assertNotNull(img, name + " is a PNG");
      assertEquals(800, img.getWidth());
      assertEquals(500, img.getHeight());
      assertTrue(distinctColours(img) > 10, name + " has content");
    }
    try (var s = Files.list(dir)) {
      assertEquals(3, s.count(), "no temp files left");
    }
  }

  @Test
  void nothingToDrawWithoutMetrics() throws Exception {
    assertFalse(MetricsPlots.write(dir));
    Files.writeString(dir.resolve(RunDirectory.METRICS), "");
    assertFalse(MetricsPlots.write(dir));
    assertFalse(Files.exists(dir.resolve(MetricsPlots.LOSS)));
  }

  private static long distinctColours(BufferedImage img) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) colours.add(img.getRGB(x, y));
    }
    return colours.size();
  }
}
