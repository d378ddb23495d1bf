package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTokenizerJsonTest {
  @TempDir Path dir;

  private static void assertSameTokenizer(BpeTokenizer expected, BpeTokenizer actual) {
    assertEquals(expected.vocabSize(), actual.vocabSize());
    assertEquals(expected.numMerges(), actual.numMerges());
    assertEquals(expected.specialTokens(), actual.specialTokens());
    for (String p : TextSamples.PARAGRAPHS)
      assertArrayEquals(expected.encode(p), actual.encode(p), p);
    assertEquals(HfTokenizerJson.sha256(expected), HfTokenizerJson.sha256(actual));
  }

  @Test
  void saveLoadGivesIdenticalEncodings() {
    BpeTokenizer t = BpeTokenizerTest.trained();
    Path file = dir.resolve("tokenizer.json");
    HfTokenizerJson.write(t, file);
    assertSameTokenizer(t, HfTokenizerJson.read(file));
  }

  @Test
  void specialTokensAddedToATokenizerWithoutThemRoundTripThroughTokenizerJson() throws Exception {
    // a tokenizer trained with only <|endoftext|>, as a user's preprocess config (or a foreign
    // checkpoint) may have
    BpeTokenizer base =
        new BpeTrainer()
            .setVocabSize(400)
            .setSpecialTokens(List.of("<|endoftext|>"))
            .trainOnCounts(java.util.Map.of("hello", 5L, " world", 4L, " again", 3L));
    int v = base.vocabSize();
    assertEquals(List.of(v - 1), List.copyOf(base.specialTokens().values()));
    BpeTokenizer ext =
        HfTokenizerJson.fromJson(
            new String(
                HfTokenizerJson.toBytes(
                    base.withAddedSpecialTokens("<|start|>", "<|delim|>", "<|extract|>")),
                StandardCharsets.UTF_8),
            "ext");
    assertEquals(v + 3, ext.vocabSize());
    assertEquals(
        List.of("<|endoftext|>", "<|start|>", "<|delim|>", "<|extract|>"),
        List.copyOf(ext.specialTokens().keySet()));
    assertEquals(List.of(v - 1, v, v + 1, v + 2), List.copyOf(ext.specialTokens().values()));
    for (String p : TextSamples.PARAGRAPHS) assertArrayEquals(base.encode(p), ext.encode(p), p);
    assertArrayEquals(
        base.encode("a <|start|> b"),
        ext.encode("a <|start|> b")); // never injected from plain text
    int[] hello = base.encode("hello"), world = base.encode(" world");
    int[] expected = new int[hello.length + world.length + 3];
    expected[0] = v;
    System.arraycopy(hello, 0, expected, 1, hello.length);
    expected[1 + hello.length] = v + 1;
    System.arraycopy(world, 0, expected, 2 + hello.length, world.length);
    expected[expected.length - 1] = v + 2;
    assertArrayEquals(
        expected, ext.encodeWithSpecialTokens("<|start|>hello<|delim|> world<|extract|>"));
    // the HF file lists them as added tokens and in the vocab under their own text
    JsonNode root = new ObjectMapper().readTree(HfTokenizerJson.toBytes(ext));
    assertEquals(4, root.path("added_tokens").size());
    assertEquals("<|extract|>", root.path("added_tokens").get(3).path("content").asText());
    assertEquals(v + 2, root.path("model").path("vocab").path("<|extract|>").asInt());
    assertEquals(
        HfTokenizerJson.sha256(ext),
        HfTokenizerJson.sha256(
            HfTokenizerJson.fromJson(HfTokenizerJson.toJson(ext, false), "again")));
  }

  @Test
  void gpt2RoundTripsThroughTokenizerJsonAndGpt2Files() throws Exception {
    BpeTokenizer gpt2 = Gpt2Fixture.gpt2();
    Path file = dir.resolve("tokenizer.json");
    HfTokenizerJson.write(gpt2, file);
    assertSameTokenizer(gpt2, HfTokenizerJson.read(file));

    JsonNode root = new ObjectMapper().readTree(file.toFile());
    assertEquals("BPE", root.at("/model/type").asText());
    assertEquals("ByteLevel", root.at("/pre_tokenizer/type").asText());
    assertEquals("ByteLevel", root.at("/decoder/type").asText());
    assertEquals(262, root.at("/model/vocab/Ġthe").asInt());
    assertEquals(50256, root.at("/model/vocab/<|endoftext|>").asInt());
    assertEquals("<|endoftext|>", root.at("/added_tokens/0/content").asText());
    assertTrue(root.at("/added_tokens/0/special").asBoolean());

    HfTokenizerJson.writeGpt2Files(gpt2, dir);
    List<String> merges = Files.readAllLines(dir.resolve("merges.txt"), StandardCharsets.UTF_8);
    // the opening lines of GPT-2's merges.txt
    assertEquals(
        List.of("#version: 0.2", "Ġ t", "Ġ a", "h e", "i n", "r e", "o n", "Ġt he"),
        merges.subList(0, 8));
    assertEquals(50001, merges.size());
    BpeTokenizer fromFiles =
        HfTokenizerJson.readGpt2Files(
            dir.resolve("vocab.json"), dir.resolve("merges.txt"), List.of("<|endoftext|>"));
    assertSameTokenizer(gpt2, fromFiles);
  }

  @Test
  void readsHandWrittenGpt2StyleFileWithBothMergeSpellings() {
    StringBuilder vocab = new StringBuilder();
    for (int b = 0; b < 256; b++) {
      String s = String.valueOf(ByteLevel.charOf(b));
      vocab
          .append('"')
          .append(s.equals("\"") ? "\\\"" : s.equals("\\") ? "\\\\" : s)
          .append("\":")
          .append(b)
          .append(',');
    }
    vocab.append("\"Ġt\":256,\"he\":257,\"Ġthe\":258,\"<|endoftext|>\":259");
    String json =
        "{\"version\":\"1.0\",\"added_tokens\":[{\"id\":259,\"content\":\"<|endoftext|>\",\"special\":true}],"
            + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true},"
            + "\"post_processor\":null,\"decoder\":{\"type\":\"ByteLevel\"},"
            + "\"model\":{\"type\":\"BPE\",\"dropout\":null,\"unk_token\":null,\"vocab\":{"
            + vocab
            + "},"
            + "\"merges\":[\"Ġ t\",[\"h\",\"e\"],\"Ġt he\"]}}";
    BpeTokenizer t = HfTokenizerJson.fromJson(json, "test");
    assertEquals(260, t.vocabSize());
    assertEquals(3, t.numMerges());
    assertArrayEquals(
        new int[] {258, 258, 't'}, t.encode(" the thet")); // " the" | " thet" = " the" + "t"
    assertEquals(259, t.specialTokenId("<|endoftext|>"));
    assertEquals(" the<|endoftext|>", t.decode(new int[] {258, 259}));
  }

  @Test
  void rejectsOptionsThatChangeEncoding() {
    String base =
        "{\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":%s},"
            + "\"model\":{\"type\":\"BPE\",\"vocab\":{},\"merges\":[]}}";
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HfTokenizerJson.fromJson(String.format(base, "true"), "x.json"));
    assertTrue(e.getMessage().contains("add_prefix_space"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                HfTokenizerJson.fromJson(
                    "{\"normalizer\":{\"type\":\"NFC\"},\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false},"
                        + "\"model\":{\"type\":\"BPE\",\"vocab\":{},\"merges\":[]}}",
                    "x.json"));
    assertTrue(e.getMessage().contains("normalizer"), e.getMessage());
  }

  @Test
  void shaIsOfTheCanonicalFormNotTheFileLayout() {
    BpeTokenizer t = BpeTokenizerTest.trained();
    String pretty = HfTokenizerJson.toJson(t, true);
    String compact = HfTokenizerJson.toJson(t, false);
    assertTrue(pretty.length() > compact.length());
    assertEquals(
        HfTokenizerJson.sha256(t),
        HfTokenizerJson.sha256(HfTokenizerJson.fromJson(pretty, "pretty")));
    assertEquals(64, HfTokenizerJson.sha256(t).length());
  }
}
