package io.github.sparkgpt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.sentiment.Vader;
import io.github.sparkgpt.pipeline.sentiment.VaderLexicon;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/dpo-sentiment's table and plot on small preference-pairs outputs: every variant's KL on one
 * per-sequence axis (dpo: per-token KL x mean completion tokens; best-of-N: its bound).
 */
class DpoSentimentTableTest {
  @TempDir Path dir;

  private Path pairs(String name, String... lines) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.writeString(d.resolve("pairs.jsonl"), String.join("\n", lines) + "\n");
    return d;
  }

  private static String pair(String prompt, String a, double sa, String b, double sb) {
    String best = sa >= sb ? a : b, worst = sa >= sb ? b : a;
    return String.format(
        java.util.Locale.ROOT,
        "{\"prompt\":\"%s\",\"chosen\":\"%s\",\"rejected\":\"%s\",\"samples\":[\"%s\",\"%s\"],"
            + "\"scores\":[%s,%s]}",
        prompt,
        best,
        worst,
        a,
        b,
        sa,
        sb);
  }

  @Test
  void putsEveryVariantOnAPerSequenceKlAxisAndDrawsThePlot() throws Exception {
    Vader vader =
        new Vader(VaderLexicon.parse(new StringReader("good\t1.9\nbad\t-2.5\n"), "fixture"));
    Path start =
        pairs(
            "start",
            pair("it was", " good", 0.8, " bad", 0.2),
            pair("the food", " bad bad", 0.1, " good and bad", 0.5));
    Path eval =
        pairs(
            "eval",
            pair("it was", " good good", 0.9, " good", 0.7),
            pair("the food", " good and good", 0.6, " bad", 0.3));
    Path run = Files.createDirectories(dir.resolve("run").resolve("model"));
    BpeTokenizer tok =
        new BpeTrainer()
            .setVocabSize(270)
            .trainOnCounts(Map.of(" good", 5L, " bad", 5L, " and", 5L));
    HfTokenizerJson.write(tok, run.resolve("tokenizer.json"));
    Files.writeString(
        run.resolveSibling("metrics.json"),
        "{\"training\":{\"epochs\":[{\"epoch\":0,\"kl_per_token\":0.0},"
            + "{\"epoch\":1,\"kl_per_token\":0.02}]}}");

    DpoSentimentTable.Row s = DpoSentimentTable.row(vader, "start:all:" + start);
    assertEquals(4, s.texts());
    assertEquals(0.4, s.reward(), 1e-12);
    assertEquals(0, s.klPerSequence());
    DpoSentimentTable.Row best = DpoSentimentTable.row(vader, "best-of-2:best:" + start);
    assertEquals(2, best.texts());
    assertEquals(0.65, best.reward(), 1e-12);
    assertEquals(Math.log(2) - 0.5, best.klPerSequence(), 1e-12);
    assertTrue(best.bound());
    DpoSentimentTable.Row dpo =
        DpoSentimentTable.row(vader, "dpo:all:" + eval + ":" + run.getParent());
    double tokens = 0;
    for (String c : List.of(" good good", " good", " good and good", " bad"))
      tokens += tok.encode(c).length / 4.0;
    assertEquals(tokens, dpo.tokensPerCompletion(), 1e-12);
    assertEquals(0.02 * tokens, dpo.klPerSequence(), 1e-12);
    assertFalse(dpo.bound());
    assertTrue(dpo.vader() > s.vader(), "more 'good' in the dpo samples");

    ByteArrayOutputStream text = new ByteArrayOutputStream();
    DpoSentimentTable.print(List.of(s, best, dpo), new PrintStream(text, true, "UTF-8"));
    String table = text.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("<=0.193 bound"), table);

    Path png = dir.resolve("reward-kl.png");
    DpoSentimentPlot.write(List.of(s, best, dpo), png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(1280, img.getWidth());
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "renamed");
    }
  }
}
