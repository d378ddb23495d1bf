package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Our pre-tokenizer + merge loop on GPT-2's real ranks must give exactly JTokkit's GPT-2
 * (r50k_base) ids.
 */
class Gpt2ReferenceTest {
  private static final Encoding JTOKKIT =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE);

  @Test
  void recoversGpt2MergeList() {
    BpeTokenizer gpt2 = Gpt2Fixture.gpt2();
    assertEquals(50257, gpt2.vocabSize());
    assertEquals(50000, gpt2.numMerges()); // merges.txt of GPT-2 has 50,000 lines
    assertEquals(50256, gpt2.specialTokenId("<|endoftext|>"));
    // first line of GPT-2's merges.txt is "Ġ t"
    assertEquals(
        "Ġ t",
        HfTokenizerJson.tokenString(gpt2, gpt2.merge(0)[0])
            + " "
            + HfTokenizerJson.tokenString(gpt2, gpt2.merge(0)[1]));
  }

  @Test
  void knownIds() {
    assertArrayEquals(new int[] {15496, 995}, Gpt2Fixture.gpt2().encode("Hello world"));
  }

  @Test
  void sameIdsAsJtokkitOnParagraphs() {
    BpeTokenizer gpt2 = Gpt2Fixture.gpt2();
    for (String p : TextSamples.PARAGRAPHS) {
      assertArrayEquals(JTOKKIT.encodeOrdinary(p).toArray(), gpt2.encode(p), () -> "text: " + p);
      assertArrayEquals(
          JTOKKIT.encodeOrdinary(p).toArray(), gpt2.encode(p), () -> "cached, text: " + p);
    }
  }

  @Test
  void sameIdsAsJtokkitOnRandomText() {
    BpeTokenizer gpt2 = Gpt2Fixture.gpt2();
    Random rnd = new Random(42);
    for (int i = 0; i < 3000; i++) {
      String s = TextSamples.randomText(rnd, i % 10 == 0 ? 400 : 40);
      assertArrayEquals(JTOKKIT.encodeOrdinary(s).toArray(), gpt2.encode(s), () -> "text: " + s);
    }
  }

  @Test
  void longPiecesUseTheHeapMergeWithTheSameResult() {
    BpeTokenizer gpt2 = Gpt2Fixture.gpt2();
    Random rnd = new Random(7);
    for (int i = 0; i < 50; i++) {
      StringBuilder sb = new StringBuilder(" ");
      int n = 130 + rnd.nextInt(2000);
      for (int k = 0; k < n; k++)
        sb.append("abcdefghijklmnopqrstuvwxyz".charAt(rnd.nextInt(i % 3 == 0 ? 2 : 26)));
      String s = sb.toString();
      assertArrayEquals(JTOKKIT.encodeOrdinary(s).toArray(), gpt2.encode(s), () -> "text: " + s);
    }
  }
}
