package io.github.sparkgpt.pipeline.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.CorpusResult;
import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.SparkTestSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MinHashDedupTest {
  private static final JavaSparkContext SC =
      JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());

  // Generated corpus: random base documents, plus planted near-duplicates of some of them.
  private static final List<Document> DOCS = new ArrayList<>();
  private static final Map<String, String> HIGH =
      new TreeMap<>(); // planted at J ~0.9 -> its base's id
  private static final Map<String, String> LOW =
      new TreeMap<>(); // planted at J ~0.3 -> its base's id
  private static double highJaccard;
  private static double lowJaccard;

  @BeforeAll
  static void generate() {
    Random rnd = new Random(2024);
    String[] vocab = new String[5000];
    for (int i = 0; i < vocab.length; i++) {
      char[] w = new char[3 + rnd.nextInt(7)];
      for (int j = 0; j < w.length; j++) w[j] = (char) ('a' + rnd.nextInt(26));
      vocab[i] = new String(w);
    }
    double highSum = 0, lowSum = 0;
    for (int i = 0; i < 300; i++) {
      String[] words = new String[200 + rnd.nextInt(301)];
      for (int j = 0; j < words.length; j++) words[j] = vocab[rnd.nextInt(vocab.length)];
      String id = String.format("doc-%04d", i);
      DOCS.add(Document.of(id, "gen", String.join(" ", words)));
      // Substituting a fraction f of words keeps ~(1-f)^5 of the 5-gram shingles: f = 1.1% -> J
      // ~0.9,
      // f = 14% -> J ~0.3. The true Jaccard of each plant is measured below.
      if (i < 120) {
        boolean high = i < 60;
        String[] edited = edit(words, high ? 0.011 : 0.143, vocab, rnd);
        String dupId = id + (high ? "~near" : "~far");
        DOCS.add(Document.of(dupId, "gen", String.join(" ", edited)));
        double j = jaccard(words, edited);
        if (high) {
          HIGH.put(dupId, id);
          highSum += j;
        } else {
          LOW.put(dupId, id);
          lowSum += j;
        }
      }
    }
    highJaccard = highSum / HIGH.size();
    lowJaccard = lowSum / LOW.size();
  }

  private static String[] edit(String[] words, double fraction, String[] vocab, Random rnd) {
    String[] out = words.clone();
    for (int j = 0; j < out.length; j++)
      if (rnd.nextDouble() < fraction) out[j] = vocab[rnd.nextInt(vocab.length)];
    return out;
  }

  /** Exact Jaccard of the word 5-gram sets, computed independently of the stage's hashing. */
  private static double jaccard(String[] x, String[] y) {
    Set<String> a = grams(x), b = grams(y);
    Set<String> inter = new HashSet<>(a);
    inter.retainAll(b);
    return (double) inter.size() / (a.size() + b.size() - inter.size());
  }

  private static Set<String> grams(String[] w) {
    Set<String> s = new HashSet<>();
    for (int i = 0; i + 5 <= w.length; i++)
      s.add(String.join(" ", Arrays.copyOfRange(w, i, i + 5)));
    return s;
  }

  private static Map<String, String> rejected(CorpusResult r) {
    Map<String, String> m = new TreeMap<>();
    for (RejectedDocument d : r.rejected().collect()) {
      assertEquals("minhash_dedup", d.stage());
      assertEquals("near_duplicate", d.reason());
      assertEquals(null, m.put(d.id(), d.detail()), "rejected twice: " + d.id());
    }
    return m;
  }

  private static void assertFindsPlantedDuplicates(MinHashDedup stage, String label) {
    try (CorpusResult r = stage.run(SC.parallelize(DOCS, 4))) {
      Map<String, String> got = rejected(r);
      long truePositives =
          got.entrySet().stream().filter(e -> e.getValue().equals(HIGH.get(e.getKey()))).count();
      long lowFound = got.keySet().stream().filter(LOW::containsKey).count();
      double precision = got.isEmpty() ? 1 : (double) truePositives / got.size();
      double recall = (double) truePositives / HIGH.size();
      System.out.printf(
          "MinHashDedup %s: planted near J=%.3f (%d), far J=%.3f (%d); rejected %d; "
              + "precision %.3f recall %.3f; far ones rejected %d; %s%n",
          label,
          highJaccard,
          HIGH.size(),
          lowJaccard,
          LOW.size(),
          got.size(),
          precision,
          recall,
          lowFound,
          r.stats());
      assertTrue(
          highJaccard > 0.85 && highJaccard < 0.95, "generator: near plants J " + highJaccard);
      assertTrue(lowJaccard > 0.2 && lowJaccard < 0.4, "generator: far plants J " + lowJaccard);
      assertTrue(recall >= 0.9, "recall " + recall);
      assertTrue(precision >= 0.95, "precision " + precision);
      assertEquals(0, lowFound, "J ~0.3 plants must not be removed");
      assertEquals(DOCS.size() - got.size(), r.kept().count());
      assertEquals(got.size(), r.stats().dropped());
      assertEquals(
          got.size(),
          (long) r.stats().counters().get("duplicate_groups"),
          "every cluster is a base and its one plant");
      assertEquals(
          Map.of(2L, (long) got.size()), r.stats().distributions().get(MinHashDedup.CLUSTER_SIZES));
    }
  }

  @Test
  void findsPlantedNearDuplicatesAndNotDistantOnes() {
    assertFindsPlantedDuplicates(new MinHashDedup(), "14x8");
  }

  @Test
  void verificationKeepsTheTrueDuplicates() {
    assertFindsPlantedDuplicates(new MinHashDedup().setVerifyThreshold(0.7), "14x8 verify>=0.7");
  }

  @Test
  void survivorsDoNotDependOnPartitioning() {
    Map<String, String> one;
    try (CorpusResult r = new MinHashDedup().run(SC.parallelize(DOCS, 1))) {
      one = rejected(r);
    }
    List<Document> shuffled = new ArrayList<>(DOCS);
    Collections.shuffle(shuffled, new Random(9));
    try (CorpusResult r = new MinHashDedup().setNumPartitions(3).run(SC.parallelize(shuffled, 4))) {
      assertEquals(one, rejected(r));
    }
    assertTrue(one.size() >= 54);
  }

  @Test
  void chainOfOverlappingWindowsIsOneClusterKeepingTheSmallestId() {
    Random rnd = new Random(1);
    String[] stream = new String[520];
    for (int i = 0; i < stream.length; i++) stream[i] = "w" + rnd.nextInt(100_000);
    // chain-k = words [20k, 20k + 400): neighbours share 380 words (J ~0.9), chain-0 and chain-5
    // only 300 (~0.6).
    List<Document> docs = new ArrayList<>();
    for (int k = 5; k >= 0; k--) {
      docs.add(
          Document.of(
              "chain-" + k,
              "gen",
              String.join(" ", Arrays.copyOfRange(stream, 20 * k, 20 * k + 400))));
    }
    docs.add(
        Document.of(
            "other", "gen", String.join(" ", Arrays.copyOfRange(stream, 0, 100)).toUpperCase()));
    docs.add(
        Document.of(
            "short-b", "gen", "Hello, world!")); // shorter than a shingle: one shingle of 2 words
    docs.add(Document.of("short-a", "gen", "hello world"));
    docs.add(Document.of("short-c", "gen", "hello there world"));
    try (CorpusResult r = new MinHashDedup().run(SC.parallelize(docs, 2))) {
      assertEquals(
          Map.of(
              "chain-1", "chain-0", "chain-2", "chain-0", "chain-3", "chain-0", "chain-4",
              "chain-0", "chain-5", "chain-0", "short-b", "short-a"),
          rejected(r));
      assertEquals(
          Map.of(2L, 1L, 6L, 1L), r.stats().distributions().get(MinHashDedup.CLUSTER_SIZES));
      assertEquals(2, (long) r.stats().counters().get("duplicate_groups"));
      assertEquals(
          List.of("chain-0", "other", "short-a", "short-c"),
          r.kept().map(Document::id).collect().stream().sorted().toList());
    }
  }

  @Test
  void declaresItsReasonAndItsSignatureStageBeforeQuality() {
    assertEquals(List.of("near_duplicate"), new MinHashDedup().dropReasons());
    assertEquals(
        List.of("minhash_signature"),
        new MinHashDedup().beforeQuality().stream().map(DocumentStage::name).toList());
    assertTrue(new MinHashDedup().setSignatureBeforeQuality(false).beforeQuality().isEmpty());
  }

  @Test
  void bindsFromConfig() {
    MinHashDedup d =
        ConfigBinder.bind(
            new MinHashDedup(),
            ConfigFactory.parseString(
                "num_bands = 20, rows_per_band = 5, shingle_size = 3, seed = 7, verify_threshold ="
                    + " 0.8, num_partitions = 8, max_rounds = 30, storage_level = DISK_ONLY,"
                    + " signature_before_quality = false"),
            "minhash_dedup");
    assertEquals(
        Map.of(
            "num_bands",
            20,
            "rows_per_band",
            5,
            "shingle_size",
            3,
            "seed",
            7L,
            "verify_threshold",
            0.8,
            "num_partitions",
            8,
            "max_rounds",
            30,
            "storage_level",
            "DISK_ONLY",
            "signature_before_quality",
            false),
        d.parameters());
    assertEquals(
        ConfigBinder.knownKeys(MinHashDedup.class),
        d.parameters().keySet().stream()
            .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
    d.validate();
  }

  @Test
  void validateNamesTheBadParameter() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new MinHashDedup().setRowsPerBand(0).validate());
    assertTrue(e.getMessage().contains("minhash_dedup.rows_per_band"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new MinHashDedup().setVerifyThreshold(1.5).validate());
    assertThrows(
        IllegalArgumentException.class, () -> new MinHashDedup().setShingleSize(0).validate());
  }
}
