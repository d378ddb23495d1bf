package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.SparkTestSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {
  private static int[] m(char l, char r, int res) {
    return new int[] {l, r, res};
  }

  private static List<int[]> merges(BpeTokenizer t) {
    List<int[]> out = new ArrayList<>();
    for (int r = 0; r < t.numMerges(); r++) out.add(t.merge(r));
    return out;
  }

  private static void assertMerges(List<int[]> expected, List<int[]> actual) {
    assertEquals(expected.size(), actual.size(), "number of merges");
    for (int i = 0; i < expected.size(); i++)
      assertArrayEquals(expected.get(i), actual.get(i), "merge " + i);
  }

  @Test
  void mostFrequentPairFirstWithDeterministicTieBreak() {
    // u g: 10+5+5=20, u n: 12+4=16, p u: 17, h u: 15 ...
    Map<String, Long> counts = Map.of("hug", 10L, "pug", 5L, "pun", 12L, "bun", 4L, "hugs", 5L);
    BpeTokenizer t = new BpeTrainer().setVocabSize(1000).setMinFrequency(1).trainOnCounts(counts);
    int ug = 256, un = 257, hug = 258;
    List<int[]> expected =
        List.of(
            m('u', 'g', ug), // 20
            m('u', 'n', un), // 16
            new int[] {'h', ug, hug}, // 15
            new int[] {'p', un, 259}, // 12
            new int[] {'p', ug, 260}, // 5, tie with (hug, s): smaller left id wins
            new int[] {hug, 's', 261}, // 5
            new int[] {'b', un, 262}); // 4, then every word is one token
    assertMerges(expected, merges(t));
    assertEquals(256 + 7 + 4, t.vocabSize());
    assertArrayEquals(new int[] {261}, t.encode("hugs"));
    assertEquals(263, t.specialTokenId("<|endoftext|>"));
    assertEquals(266, t.specialTokenId("<|extract|>"));

    // min_frequency stops before the pair seen 4 times
    BpeTokenizer t5 = new BpeTrainer().setVocabSize(1000).setMinFrequency(5).trainOnCounts(counts);
    assertEquals(6, t5.numMerges());
  }

  @Test
  void tiesGoToTheSmallerPair() {
    BpeTokenizer t =
        new BpeTrainer()
            .setVocabSize(1000)
            .setMinFrequency(1)
            .trainOnCounts(Map.of("ba", 3L, "ab", 3L, "cd", 3L));
    assertMerges(List.of(m('a', 'b', 256), m('b', 'a', 257), m('c', 'd', 258)), merges(t));
  }

  @Test
  void overlappingPairsAreCountedOnce() {
    // "aaaa": (a,a) occurs 3 times, merged left to right into "aa aa", then (aa,aa)
    BpeTokenizer t =
        new BpeTrainer().setVocabSize(1000).setMinFrequency(1).trainOnCounts(Map.of("aaaa", 1L));
    assertMerges(List.of(m('a', 'a', 256), new int[] {256, 256, 257}), merges(t));
    assertArrayEquals(new int[] {257}, t.encode("aaaa"));
    assertArrayEquals(new int[] {257, 'a'}, t.encode("aaaaa"));
  }

  @Test
  void vocabSizeIsRespected() {
    Map<String, Long> counts = new HashMap<>();
    Random rnd = new Random(3);
    for (int i = 0; i < 2000; i++)
      counts.merge(
          " " + TextSamples.randomText(rnd, 8).replace(" ", ""), 1L + rnd.nextInt(5), Long::sum);
    BpeTokenizer t = new BpeTrainer().setVocabSize(400).setReservedTokens(2).trainOnCounts(counts);
    assertEquals(400, t.vocabSize());
    assertEquals(400 - 256 - 4 - 2, t.numMerges());
    assertEquals(399, t.specialTokenId("<|reserved_1|>"));
  }

  @Test
  void bindsFromConfig() {
    com.typesafe.config.Config c =
        com.typesafe.config.ConfigFactory.parseString(
            "vocab_size = 300\n"
                + "min_frequency = 1\nmin_pre_token_frequency = 1\nmax_pre_tokens = 1000\n"
                + "special_tokens = [\"<|endoftext|>\"]\nreserved_tokens = 3");
    BpeTrainer trainer =
        io.github.sparkgpt.pipeline.ConfigBinder.bind(new BpeTrainer(), c, "tokenizer");
    BpeTokenizer t = trainer.trainOnCounts(Map.of("abcabc", 5L));
    assertEquals(
        Map.of(
            "<|endoftext|>",
            256 + t.numMerges(),
            "<|reserved_0|>",
            257 + t.numMerges(),
            "<|reserved_1|>",
            258 + t.numMerges(),
            "<|reserved_2|>",
            259 + t.numMerges()),
        t.specialTokens());
    assertEquals(
        java.util.Set.of(
            "vocab_size",
            "min_frequency",
            "min_pre_token_frequency",
            "max_pre_tokens",
            "special_tokens",
            "reserved_tokens"),
        io.github.sparkgpt.pipeline.ConfigBinder.knownKeys(BpeTrainer.class));
  }

  @Test
  void rejectsAVocabularyWithoutRoomForMerges() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new BpeTrainer().setVocabSize(260).validate());
    assertTrue(e.getMessage().contains("vocab_size 260"), e.getMessage());
  }

  @Test
  void sparkTrainingIsIndependentOfPartitioning() {
    List<String> docs = new ArrayList<>();
    Random rnd = new Random(11);
    String[] words = {
      "the", "cat", "sat", "on", "mat", "there", "that", "then", "hat", "at", "a", "and", "sand"
    };
    for (int d = 0; d < 200; d++) {
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < 30; w++)
        sb.append(words[rnd.nextInt(words.length)]).append(rnd.nextInt(8) == 0 ? ". " : " ");
      docs.add(sb.toString());
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    BpeTrainer trainer = new BpeTrainer().setVocabSize(300).setMinFrequency(1);
    BpeTokenizer four = trainer.train(sc.parallelize(docs, 4));
    BpeTokenizer one = trainer.train(sc.parallelize(docs, 1));
    assertTrue(four.numMerges() > 10);
    assertMerges(merges(one), merges(four));
    assertEquals(HfTokenizerJson.sha256(one), HfTokenizerJson.sha256(four));

    // and the same as counting on the driver
    Map<String, Long> counts = new HashMap<>();
    for (String doc : docs)
      for (String p : Gpt2PreTokenizer.split(doc)) counts.merge(p, 1L, Long::sum);
    assertMerges(merges(trainer.trainOnCounts(counts)), merges(four));
    assertEquals(
        List.of(" the", " cat"),
        List.of(
            new String(four.tokenBytes(four.encode(" the")[0])),
            new String(four.tokenBytes(four.encode(" cat")[0]))));
  }

  @Test
  void capAndMinPreTokenFrequencyPruneOnTheExecutors() {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    JavaRDD<String> docs = sc.parallelize(List.of("xy xy xy ab ab cd", "qq qq", "zz"), 2);
    Map<String, Long> counted = BpeTrainer.countPreTokens(docs, 2).collectAsMap();
    assertEquals(
        Map.of(" xy", 2L, " ab", 2L),
        new HashMap<>(counted)); // "xy", " cd", "qq", " qq", "zz" seen once

    // cap 2: the two most frequent pre-tokens (" ab" and " xy", count 2) are all the trainer sees
    BpeTokenizer t =
        new BpeTrainer().setVocabSize(1000).setMinFrequency(1).setMaxPreTokens(2).train(docs);
    for (int r = 0; r < t.numMerges(); r++) {
      String s = new String(t.tokenBytes(t.merge(r)[2]));
      assertTrue(s.equals(" a") || s.equals(" ab") || s.equals(" x") || s.equals(" xy"), s);
    }
    assertEquals(4, t.numMerges());
  }
}
