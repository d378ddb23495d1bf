package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer.json we write loads in Hugging Face's own (Rust) tokenizers and encodes to the same
 * ids.
 */
class HfCompatibilityTest {
  @TempDir Path dir;

  private static long[] longs(int[] ids) {
    return Arrays.stream(ids).asLongStream().toArray();
  }

  private void assertHfAgrees(BpeTokenizer ours, String name) throws Exception {
    Path file = dir.resolve(name);
    HfTokenizerJson.write(ours, file);
    try (HuggingFaceTokenizer hf =
        HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "false"))) {
      Random rnd = new Random(17);
      for (int i = 0; i < 300 + TextSamples.PARAGRAPHS.length; i++) {
        String s =
            i < TextSamples.PARAGRAPHS.length
                ? TextSamples.PARAGRAPHS[i]
                : TextSamples.randomText(rnd, 60);
        // HF matches added tokens inside text, like our explicit encodeWithSpecialTokens
        int[] expected = ours.encodeWithSpecialTokens(s);
        assertArrayEquals(longs(expected), hf.encode(s, false, false).getIds(), s);
        assertEquals(s, hf.decode(longs(expected), false), s);
      }
    }
  }

  @Test
  void trainedTokenizerLoadsInHuggingFace() throws Exception {
    assertHfAgrees(BpeTokenizerTest.trained(), "trained.json");
  }

  @Test
  void gpt2LoadsInHuggingFace() throws Exception {
    assertHfAgrees(Gpt2Fixture.gpt2(), "gpt2.json");
  }
}
