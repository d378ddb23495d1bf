package io.github.sparkgpt.pipeline.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.CorpusResult;
import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.SparkTestSession;
import io.github.sparkgpt.pipeline.stats.StageStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

class ExactDedupTest {
  private static final JavaSparkContext SC =
      JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());

  private static final List<Document> DOCS =
      List.of(
          Document.of("a1", "s", "Hello  World"),
          Document.of("b", "s", "Hello World!"), // punctuation differs: not an exact duplicate
          Document.of("a0", "s", "hello world\n"),
          Document.of("c", "s", "  HELLO\tWORLD "),
          Document.of("d", "s", "Grüße aus Köln"),
          Document.of(
              "e", "s", "GRÜSSE AUS KÖLN"), // ß uppercases to SS: different text after lowercasing
          Document.of("f", "s", "grüße   aus köln"));

  private static Map<String, String> rejectedMap(CorpusResult r) {
    return r.rejected().collect().stream()
        .collect(
            Collectors.toMap(
                RejectedDocument::id,
                RejectedDocument::detail,
                (x, y) -> {
                  throw new AssertionError("rejected twice");
                },
                TreeMap::new));
  }

  @Test
  void removesCaseAndWhitespaceDuplicatesKeepingSmallestId() {
    try (CorpusResult r = new ExactDedup().run(SC.parallelize(DOCS, 3))) {
      assertEquals(
          List.of("b", "a0", "d", "e"),
          r.kept().map(Document::id).collect(),
          "survivors, in input order");
      assertEquals(Map.of("a1", "a0", "c", "a0", "f", "d"), rejectedMap(r));
      RejectedDocument one = r.rejected().filter(x -> x.id().equals("c")).first();
      assertEquals("exact_dedup", one.stage());
      assertEquals("exact_duplicate", one.reason());
      assertEquals("  HELLO\tWORLD ", one.text());
      StageStats s = r.stats();
      assertEquals("exact_dedup", s.stage());
      assertEquals(7, s.docsIn());
      assertEquals(4, s.docsOut());
      assertEquals(Map.of("exact_duplicate", 3L), s.drops());
      assertEquals(List.of("exact_duplicate"), new ExactDedup().dropReasons());
      assertEquals(2L, s.counters().get("duplicate_groups"));
      assertEquals(DOCS.stream().mapToLong(Document::utf8Bytes).sum(), s.bytesIn());
      assertEquals(r.kept().collect().stream().mapToLong(Document::utf8Bytes).sum(), s.bytesOut());
      assertTrue(s.distributions().isEmpty(), "exact groups are not published as a distribution");
    }
  }

  @Test
  void normalisationIsConfigurable() {
    List<Document> docs = new ArrayList<>(DOCS);
    docs.add(Document.of("a2", "s", "Hello World")); // same case as a1, one space
    try (CorpusResult r = new ExactDedup().setLowercase(false).run(SC.parallelize(docs, 2))) {
      assertEquals(Map.of("a2", "a1"), rejectedMap(r), "only the case-exact pair");
    }
    try (CorpusResult r =
        new ExactDedup().setCollapseWhitespace(false).run(SC.parallelize(docs, 2))) {
      assertEquals(Map.of(), rejectedMap(r), "every pair differs in whitespace");
    }
  }

  @Test
  void survivorsDoNotDependOnPartitioning() {
    List<Document> docs = new ArrayList<>();
    Random rnd = new Random(7);
    for (int i = 0; i < 400; i++) {
      String text = "text number " + rnd.nextInt(150); // ~150 distinct texts, many groups
      docs.add(
          Document.of(
              String.format("id-%04d", i), "s", rnd.nextBoolean() ? text.toUpperCase() : text));
    }
    Map<String, String> one;
    try (CorpusResult r = new ExactDedup().run(SC.parallelize(docs, 1))) {
      one = rejectedMap(r);
      assertEquals(400, r.stats().docsIn());
    }
    Collections.shuffle(docs, new Random(3));
    try (CorpusResult r = new ExactDedup().setNumPartitions(3).run(SC.parallelize(docs, 4))) {
      assertEquals(one, rejectedMap(r));
      assertEquals(400 - one.size(), r.kept().count());
    }
    assertTrue(one.size() > 200);
    one.forEach(
        (id, survivor) ->
            assertTrue(survivor.compareTo(id) < 0, id + " kept over smaller " + survivor));
  }

  @Test
  void leavesCallerPersistedInputAlone() {
    JavaRDD<Document> in = SC.parallelize(DOCS, 2).persist(StorageLevel.MEMORY_ONLY());
    try (CorpusResult r = new ExactDedup().run(in)) {
      assertEquals(3, r.stats().dropped());
      assertEquals(StorageLevel.MEMORY_ONLY(), in.getStorageLevel());
      assertTrue(
          r.outputs().getStorageLevel().useMemory(),
          "outputs are cached for kept() and rejected()");
    }
    in.unpersist();
  }

  @Test
  void bindsFromConfig() {
    ExactDedup d =
        ConfigBinder.bind(
            new ExactDedup(),
            ConfigFactory.parseString(
                "lowercase = false, collapse_whitespace = false, num_partitions = 8, storage_level"
                    + " = DISK_ONLY"),
            "exact_dedup");
    assertEquals(
        Map.of(
            "lowercase",
            false,
            "collapse_whitespace",
            false,
            "num_partitions",
            8,
            "storage_level",
            "DISK_ONLY"),
        d.parameters());
    assertEquals(
        ConfigBinder.knownKeys(ExactDedup.class), new java.util.TreeSet<>(d.parameters().keySet()));
  }

  @Test
  void validateNamesTheBadParameter() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ExactDedup().setStorageLevel("RAM").validate());
    assertTrue(e.getMessage().contains("exact_dedup.storage_level"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new ExactDedup().setNumPartitions(-1).validate());
  }
}
