package io.github.sparkgpt.pipeline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkgpt.pipeline.PipelineKryoRegistrator;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

class StageStatsTest {
  private static StageStats.Flagged flagged(String id, long before, long removed) {
    LinkedHashMap<String, Long> rules = new LinkedHashMap<>();
    rules.put("c4_removed_bytes_no_terminal_punct", removed);
    return new StageStats.Flagged(id, before, removed, rules);
  }

  @Test
  void mergeKeepsTheLargestSharesUpToTheLimit() {
    StageStats a = new StageStats("c4_quality");
    StageStats b = new StageStats("c4_quality");
    for (int i = 0; i < StageStats.MAX_FLAGGED; i++) a.flag(flagged("a" + i, 100, 51));
    b.flag(flagged("big", 100, 90));
    b.flag(flagged("tie", 100, 51));
    a.merge(b);
    assertEquals(StageStats.MAX_FLAGGED, a.flagged().size());
    assertEquals("big", a.flagged().get(0).id());
    assertEquals(
        List.of("a0", "a1"),
        a.flagged().subList(1, 3).stream().map(StageStats.Flagged::id).toList());
  }

  @Test
  void distributionsMergeByNameAndReachStatsJsonAndTheSummary() {
    StageStats a =
        new StageStats("minhash_dedup")
            .putDistribution(
                "near_duplicate_cluster_sizes", new java.util.TreeMap<>(java.util.Map.of(2L, 3L)));
    StageStats b =
        new StageStats("minhash_dedup")
            .putDistribution(
                "near_duplicate_cluster_sizes",
                new java.util.TreeMap<>(java.util.Map.of(2L, 1L, 5L, 1L)));
    a.merge(b);
    assertEquals(
        java.util.Map.of(2L, 4L, 5L, 1L), a.distributions().get("near_duplicate_cluster_sizes"));
    PreprocessStats stats = new PreprocessStats();
    stats.addStage(new StageStats("read"));
    stats.addStage(a);
    assertEquals(
        a.distributions().get("near_duplicate_cluster_sizes"),
        stats.toJson().get("near_duplicate_cluster_sizes"),
        "listed at the top level, as before stages owned it");
    assertEquals(
        List.of(
            "elapsed_seconds",
            "input_bytes",
            "stages",
            "near_duplicate_cluster_sizes",
            "tokens",
            "warnings"),
        List.copyOf(stats.toJson().keySet()));
    org.junit.jupiter.api.Assertions.assertTrue(
        stats.summary("out").contains("near-duplicate clusters: 5 (largest 5 documents)"),
        stats.summary("out"));
  }

  @Test
  void flaggedDocumentsSurviveKryo() {
    // The chain's statistics cross task boundaries; Kryo 4 cannot serialize records without the
    // registrator.
    SerializerInstance kryo =
        new KryoSerializer(
                new SparkConf()
                    .set("spark.kryo.registrator", PipelineKryoRegistrator.class.getName()))
            .newInstance();
    StageStats s = new StageStats("c4_quality");
    s.flag(flagged("book", 1000, 860));
    StageStats back =
        kryo.deserialize(
            kryo.serialize(s, ClassTag$.MODULE$.apply(StageStats.class)),
            ClassTag$.MODULE$.apply(StageStats.class));
    assertEquals(s.flagged(), back.flagged());
  }
}
