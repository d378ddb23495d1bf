package io.github.sparkgpt.jobs.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.sparkgpt.jobs.SparkJobs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

/** Rounds of the training split on local[2]: contents, layout, and one job per chunk of rounds. */
class TrainingDataRoundsTest {
  static JavaSparkContext jsc;

  @BeforeAll
  static void spark() {
    jsc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("rounds"));
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  /** n rows; row i is the sequence {i, 0} (context 1), so a batch's features are row indices. */
  private static TrainingData data(int n, long chunkBytes) {
    List<Tuple2<Long, int[]>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) rows.add(new Tuple2<>((long) i, new int[] {i, 0}));
    JavaPairRDD<Long, int[]> rdd = JavaPairRDD.fromJavaRDD(jsc.parallelize(rows, 3));
    return new TrainingData(rdd, n, 1, chunkBytes);
  }

  /** Row indices of each batch, per partition. */
  private static List<List<List<Integer>>> batches(TrainingData d, int epoch, long round) {
    List<List<DataSet>> parts = d.round(epoch, round, 12, 3, 2, 7).glom().collect();
    List<List<List<Integer>>> out = new ArrayList<>();
    for (List<DataSet> part : parts) {
      List<List<Integer>> p = new ArrayList<>();
      for (DataSet b : part) {
        List<Integer> rows = new ArrayList<>();
        for (float f : b.getFeatures().toFloatVector()) rows.add((int) f);
        p.add(rows);
      }
      out.add(p);
    }
    return out;
  }

  @Test
  void roundsFollowTheEpochOrderAcrossChunks() {
    int n = 50; // rounds of 12 (2 workers x batch 3 x 2 steps): 4 per epoch, 2 rows left over
    TrainingData d = data(n, 2 * 12 * 2 * Integer.BYTES); // 2 rounds per chunk
    assertEquals(2, d.chunkRounds(12));
    long[] ab = TrainingData.permutation(n, 7, 0);
    int[] atPosition = new int[n];
    for (int i = 0; i < n; i++) atPosition[(int) Math.floorMod(ab[0] * i + ab[1], n)] = i;
    Set<Integer> seen = new HashSet<>();
    for (long r = 0; r < 4; r++) {
      List<List<List<Integer>>> parts = batches(d, 0, r);
      assertEquals(2, parts.size(), "one partition per worker");
      for (int k = 0; k < 4; k++) {
        List<Integer> batch = parts.get(k % 2).get(k / 2); // batch k on partition k mod workers
        List<Integer> expected = new ArrayList<>();
        for (int j = 0; j < 3; j++) expected.add(atPosition[(int) (r * 12 + k * 3 + j)]);
        assertEquals(expected, batch, "round " + r + " batch " + k);
        seen.addAll(batch);
      }
    }
    assertEquals(48, seen.size(), "no row twice in an epoch");
    assertNotEquals(batches(d, 0, 0), batches(d, 1, 0), "the next epoch has another order");
  }

  @Test
  void aChunkOfRoundsCostsOneJob() throws Exception {
    TrainingData d = data(100, 3 * 12 * 2 * Integer.BYTES); // 3 rounds per chunk
    int jobs =
        SparkJobs.count(
            jsc,
            () -> {
              for (long r = 0; r < 8; r++) d.round(0, r, 12, 3, 2, 7); // not run: rounds are lazy
            });
    assertEquals(3, jobs, "rounds 0-2, 3-5, 6-7");
  }

  @Test
  void aSplitSmallerThanARoundIsOneRound() {
    TrainingData d = data(7, EpochChunks.CHUNK_BYTES);
    assertEquals(7, d.roundSequences(12));
    List<List<List<Integer>>> parts = batches(d, 0, 0);
    assertEquals(List.of(3, 1), parts.get(0).stream().map(List::size).toList());
    assertEquals(List.of(3), parts.get(1).stream().map(List::size).toList());
  }
}
