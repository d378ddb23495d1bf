package io.github.sparkgpt.pipeline.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.SparkTestSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

class ConnectedComponentsTest {
  private static final JavaSparkContext SC =
      JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());

  private static Tuple2<DocRef, DocRef> e(String a, String b) {
    return new Tuple2<>(new DocRef(a, 0), new DocRef(b, 0));
  }

  private static Map<String, String> labels(List<Tuple2<DocRef, DocRef>> edges, int partitions) {
    JavaPairRDD<DocRef, DocRef> rdd = JavaPairRDD.fromJavaRDD(SC.parallelize(edges, partitions));
    ConnectedComponents.Result r =
        ConnectedComponents.run(rdd, partitions, 50, StorageLevel.MEMORY_ONLY());
    Map<String, String> m = new TreeMap<>();
    r.labels()
        .collect()
        .forEach(t -> assertEquals(null, m.put(t._1().id(), t._2()), "labelled twice"));
    r.labels().unpersist();
    return m;
  }

  @Test
  void chainIsOneTransitiveCluster() {
    assertEquals(Map.of("b", "a", "c", "a"), labels(List.of(e("b", "c"), e("a", "b")), 2));
  }

  @Test
  void separateClustersStaySeparate() {
    List<Tuple2<DocRef, DocRef>> edges =
        List.of(
            e("x3", "x2"),
            e("x2", "x1"),
            e("x3", "x1"),
            e("x1", "x3"), // triangle, duplicate edge
            e("y9", "y5"),
            e("y5", "y7"), // y5 is the min, in the middle
            e("z2", "z2")); // a self-loop alone is no cluster
    assertEquals(Map.of("x2", "x1", "x3", "x1", "y7", "y5", "y9", "y5"), labels(edges, 3));
  }

  @Test
  void longShuffledPathConvergesToItsMinimum() {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < 300; i++) nodes.add(String.format("n%03d", i));
    Collections.shuffle(nodes, new Random(1)); // a path whose ids are in random order
    List<Tuple2<DocRef, DocRef>> edges = new ArrayList<>();
    for (int i = 0; i + 1 < nodes.size(); i++) edges.add(e(nodes.get(i), nodes.get(i + 1)));
    Map<String, String> m = labels(edges, 4);
    assertEquals(299, m.size());
    assertTrue(m.values().stream().allMatch("n000"::equals), "every node points to the minimum");
    assertTrue(!m.containsKey("n000"));
  }

  @Test
  void emptyGraphHasNoLabels() {
    assertEquals(Map.of(), labels(List.of(), 2));
  }

  @Test
  void failsClearlyWhenRoundsRunOut() {
    List<Tuple2<DocRef, DocRef>> edges = new ArrayList<>();
    for (int i = 0; i < 64; i++)
      edges.add(e(String.format("p%02d", i), String.format("p%02d", i + 1)));
    JavaPairRDD<DocRef, DocRef> rdd = JavaPairRDD.fromJavaRDD(SC.parallelize(edges, 2));
    IllegalStateException ex =
        assertThrows(
            IllegalStateException.class,
            () -> ConnectedComponents.run(rdd, 2, 1, StorageLevel.MEMORY_ONLY()));
    assertTrue(ex.getMessage().contains("max_rounds"), ex.getMessage());
  }
}
