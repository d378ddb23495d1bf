package io.github.sparkgpt.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.jobs.layout.PretrainLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * loss.png and perplexity.png from metrics.jsonl, as files (the run directory) and as bytes (the
 * report).
 */
class MetricsPlotsTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

  @TempDir Path dir;

  private static byte[] magic(byte[] b) {
    return new byte[] {b[0], b[1], b[2], b[3]};
  }

  @Test
  void writesBothPlotsOrNothing() throws Exception {
    assertFalse(MetricsPlots.write(dir), "no metrics.jsonl yet");
    Files.writeString(
        dir.resolve(PretrainLayout.METRICS),
        """
        {"step":0,"tokens_seen":0,"train_loss":null,"val_loss":5.0,"val_perplexity":148.4}
        {"step":4,"tokens_seen":512,"train_loss":4.5,"val_loss":null,"val_perplexity":null}
        """);
    assertTrue(MetricsPlots.write(dir));
    assertArrayEquals(PNG_MAGIC, magic(Files.readAllBytes(dir.resolve(MetricsPlots.LOSS))));
    assertArrayEquals(PNG_MAGIC, magic(Files.readAllBytes(dir.resolve(MetricsPlots.PERPLEXITY))));
    MetricsPlots.Plots plots =
        MetricsPlots.render(dir.resolve(PretrainLayout.METRICS)).orElseThrow();
    assertNotNull(plots.loss());
    assertArrayEquals(PNG_MAGIC, magic(plots.perplexity()));
  }

  @Test
  void noPerplexityPlotWithoutValidation() throws Exception {
    Files.writeString(
        dir.resolve(PretrainLayout.METRICS),
        "{\"step\":2,\"tokens_seen\":64,\"train_loss\":4.0}\n");
    MetricsPlots.Plots plots =
        MetricsPlots.render(dir.resolve(PretrainLayout.METRICS)).orElseThrow();
    assertArrayEquals(PNG_MAGIC, magic(plots.loss()));
    assertNull(plots.perplexity());
    assertTrue(MetricsPlots.write(dir));
    assertFalse(Files.exists(dir.resolve(MetricsPlots.PERPLEXITY)));
    assertEquals(
        0, Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".tmp")).count());
  }
}
