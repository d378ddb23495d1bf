package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class BpeTokenizerTest {
  /**
   * A small tokenizer trained on the sample paragraphs, so merges exist for every script in them.
   */
  static BpeTokenizer trained() {
    Map<String, Long> counts = new HashMap<>();
    Random rnd = new Random(5);
    List<String> texts = new ArrayList<>(Arrays.asList(TextSamples.PARAGRAPHS));
    for (int i = 0; i < 300; i++) texts.add(TextSamples.randomText(rnd, 60));
    for (String t : texts)
      for (String p : Gpt2PreTokenizer.split(t)) counts.merge(p, 1L, Long::sum);
    return new BpeTrainer().setVocabSize(1500).setMinFrequency(2).trainOnCounts(counts);
  }

  private static final BpeTokenizer TRAINED = trained();

  @Test
  void roundTripsRandomStrings() {
    Random rnd = new Random(123);
    for (BpeTokenizer t : List.of(TRAINED, Gpt2Fixture.gpt2())) {
      for (int i = 0; i < 3000; i++) {
        String s = TextSamples.randomText(rnd, i % 50 == 0 ? 2000 : 50);
        assertEquals(s, t.decode(t.encode(s)));
      }
    }
  }

  @Test
  void roundTripsMixedScriptsAndWhitespace() {
    List<String> cases = new ArrayList<>(Arrays.asList(TextSamples.PARAGRAPHS));
    cases.addAll(
        List.of(
            "\t",
            "\r\n",
            "  \n  \n",
            "a ",
            " a",
            "a\u3000\u3000b",
            "\u200d",
            "e\u0301\u0301\u0301",
            "👨‍👩‍👧‍👦👨‍👩‍👧‍👦",
            "مرحبا بالعالم",
            "שָׁלוֹם",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "\u0000\u0001\u007f",
            "x".repeat(5000)));
    for (BpeTokenizer t : List.of(TRAINED, Gpt2Fixture.gpt2())) {
      for (String s : cases) assertEquals(s, t.decode(t.encode(s)), s);
    }
  }

  @Test
  void roundTripsRandomBytes() {
    Random rnd = new Random(99);
    for (int i = 0; i < 3000; i++) {
      byte[] b = new byte[rnd.nextInt(i % 100 == 0 ? 3000 : 40)];
      rnd.nextBytes(b);
      if (i % 3 == 0) for (int k = 0; k < b.length; k++) b[k] &= 0x7F; // mostly valid
      assertArrayEquals(b, TRAINED.decodeBytes(TRAINED.encodeBytes(b)));
    }
    byte[] valid = "héllo wörld 😀".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(TRAINED.encode("héllo wörld 😀"), TRAINED.encodeBytes(valid));
    byte[] broken = {
      'a',
      (byte) 0xE2,
      (byte) 0x82,
      'b',
      (byte) 0xC0,
      (byte) 0xAF,
      (byte) 0xED,
      (byte) 0xA0,
      (byte) 0x80
    };
    assertArrayEquals(broken, TRAINED.decodeBytes(TRAINED.encodeBytes(broken)));
  }

  @Test
  void loneSurrogatesBecomeReplacementCharacters() {
    BpeTokenizer t = Gpt2Fixture.gpt2();
    assertEquals("a\uFFFDb \uFFFD", t.decode(t.encode("a\uD800b \uDFFF")));
    assertArrayEquals(t.encode("a\uFFFDb"), t.encode("a\uD83Db"));
  }

  @Test
  void specialTokenTextInOrdinaryTextIsNotSpecial() {
    BpeTokenizer t = Gpt2Fixture.gpt2();
    int eot = t.specialTokenId("<|endoftext|>");
    int[] ids = t.encode("a<|endoftext|>b");
    assertTrue(Arrays.stream(ids).noneMatch(t::isSpecial));
    assertEquals("a<|endoftext|>b", t.decode(ids));
    // explicit API for trusted text
    int[] withSpecial = t.encodeWithSpecialTokens("a<|endoftext|>b<|endoftext|>");
    assertArrayEquals(new int[] {t.encode("a")[0], eot, t.encode("b")[0], eot}, withSpecial);
    assertEquals("a<|endoftext|>b<|endoftext|>", t.decode(withSpecial));
  }

  @Test
  void addedSpecialTokensKeepExistingIds() {
    BpeTokenizer base = Gpt2Fixture.gpt2();
    BpeTokenizer ft =
        base.withAddedSpecialTokens("<|start|>", "<|delim|>", "<|endoftext|>", "<|extract|>");
    assertEquals(50260, ft.vocabSize());
    assertEquals(50257, base.vocabSize()); // the original is unchanged
    assertEquals(50256, ft.specialTokenId("<|endoftext|>"));
    assertEquals(
        List.of(50257, 50258, 50259),
        List.of(
            ft.specialTokenId("<|start|>"),
            ft.specialTokenId("<|delim|>"),
            ft.specialTokenId("<|extract|>")));
    for (String p : TextSamples.PARAGRAPHS) assertArrayEquals(base.encode(p), ft.encode(p));
    assertArrayEquals(
        new int[] {50257, 15496, 50258, 995, 50259},
        ft.encodeWithSpecialTokens("<|start|>Hello<|delim|> world<|extract|>"));
    assertFalse(base.hasSpecialToken("<|start|>"));
    assertThrows(IllegalArgumentException.class, () -> base.specialTokenId("<|start|>"));
    assertNotEquals(HfTokenizerJson.sha256(base), HfTokenizerJson.sha256(ft));
  }

  @Test
  void javaSerializationKeepsEncodings() throws Exception {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
      out.writeObject(TRAINED);
    }
    BpeTokenizer copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
      copy = (BpeTokenizer) in.readObject();
    }
    for (String p : TextSamples.PARAGRAPHS) assertArrayEquals(TRAINED.encode(p), copy.encode(p));
    assertEquals(HfTokenizerJson.sha256(TRAINED), HfTokenizerJson.sha256(copy));
  }

  @Test
  void sharedCacheIsThreadSafe() throws Exception {
    BpeTokenizer t = TRAINED.withAddedSpecialTokens("<|x|>"); // fresh, empty cache
    List<String> texts = new ArrayList<>();
    Random rnd = new Random(8);
    for (int i = 0; i < 400; i++) texts.add(TextSamples.randomText(rnd, 80));
    List<int[]> expected = new ArrayList<>();
    for (String s : texts) expected.add(TRAINED.encode(s));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int th = 0; th < 4; th++) {
        results.add(
            pool.submit(
                () -> {
                  for (int rep = 0; rep < 5; rep++) {
                    for (int i = 0; i < texts.size(); i++)
                      if (!Arrays.equals(expected.get(i), t.encode(texts.get(i)))) return false;
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : results) assertTrue(f.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectsBadInput() {
    assertThrows(
        IllegalArgumentException.class, () -> TRAINED.decode(new int[] {TRAINED.vocabSize()}));
    assertThrows(IllegalArgumentException.class, () -> TRAINED.decode(new int[] {-1}));
    // a merge whose result bytes are not the concatenation of its parts
    byte[][] bytes = new byte[257][];
    for (int b = 0; b < 256; b++) bytes[b] = new byte[] {(byte) b};
    bytes[256] = new byte[] {'a', 'c'};
    assertThrows(
        IllegalArgumentException.class,
        () -> new BpeTokenizer(bytes, List.<int[]>of(new int[] {'a', 'b', 256}), Map.of()));
  }
}
