package io.github.sparkgpt.pipeline.dedup;

import io.github.sparkgpt.pipeline.CorpusResult;
import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.StageOutput;
import io.github.sparkgpt.pipeline.Utf8;
import io.github.sparkgpt.pipeline.stats.StageStats;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The last step shared by both dedup stages: apply the verdicts (rejected id -> survivor id) to the
 * documents. Verdicts are small and few; the documents are big and many. So the verdicts travel to
 * the input partition their document sits in (recorded in {@link DocRef}) and are zipped with it:
 * document texts are never shuffled, and the output keeps the input's partitioning and order.
 */
final class DedupOutputs {
  /** Counter of groups (exact) or clusters (near) with more than one member. */
  static final String DUPLICATE_GROUPS = "duplicate_groups";

  private DedupOutputs() {}

  /**
   * @param docs the stage's input; must yield the same documents in the same partitions when read
   *     again (the stages persist it for the duration of the run)
   * @param labels (rejected document, survivor id), at most one per document
   * @param groupSizes name of the distribution of group sizes in the statistics, or null to leave
   *     it out
   * @return the outputs, persisted at {@code level} and materialised, with their statistics
   */
  static CorpusResult apply(
      JavaRDD<Document> docs,
      JavaPairRDD<DocRef, String> labels,
      String stage,
      String reason,
      StorageLevel level,
      Map<String, Long> extra,
      String groupSizes) {
    int n = docs.getNumPartitions();
    JavaRDD<Tuple2<String, String>> routed =
        labels
            .mapToPair(l -> new Tuple2<>(l._1().partition(), new Tuple2<>(l._1().id(), l._2())))
            .partitionBy(new ByIndex(n))
            .values();
    JavaRDD<StageOutput> outputs =
        docs.zipPartitions(
                routed,
                (docIt, verdictIt) -> {
                  Map<String, String> survivorOf = new HashMap<>();
                  verdictIt.forEachRemaining(v -> survivorOf.put(v._1(), v._2()));
                  return new Iterator<StageOutput>() {
                    @Override
                    public boolean hasNext() {
                      return docIt.hasNext();
                    }

                    @Override
                    public StageOutput next() {
                      Document d = docIt.next();
                      String survivor = survivorOf.get(d.id());
                      return survivor == null
                          ? StageOutput.kept(d)
                          : StageOutput.rejected(RejectedDocument.of(d, stage, reason, survivor));
                    }
                  };
                })
            .persist(level);

    // One action materialises the cache and counts both streams: {kept, removed, kept bytes,
    // removed bytes}.
    long[] counts =
        outputs
            .mapPartitions(
                it -> {
                  long[] c = new long[4];
                  while (it.hasNext()) {
                    StageOutput o = it.next();
                    int side = o.isKept() ? 0 : 1;
                    c[side]++;
                    c[side + 2] +=
                        o.isKept()
                            ? o.document().utf8Bytes()
                            : Utf8.encodedLength(o.rejected().text());
                  }
                  return java.util.List.of(c).iterator();
                })
            .fold(
                new long[4],
                (x, y) -> new long[] {x[0] + y[0], x[1] + y[1], x[2] + y[2], x[3] + y[3]});

    // Group sizes from the verdicts: a survivor with s-1 rejected copies is a group of s.
    Map<Long, Long> sizes =
        labels
            .mapToPair(l -> new Tuple2<>(l._2(), 1L))
            .reduceByKey(Long::sum)
            .map(t -> t._2() + 1)
            .countByValue();
    TreeMap<Long, Long> histogram = new TreeMap<>(sizes);
    long groups = histogram.values().stream().mapToLong(Long::longValue).sum();
    StageStats stats =
        new StageStats(stage)
            .set(counts[0] + counts[1], counts[0], counts[2] + counts[3], counts[2])
            .addDrops(reason, counts[1]);
    stats.addCounter(DUPLICATE_GROUPS, groups);
    stats.addCounters(extra);
    if (groupSizes != null) stats.putDistribution(groupSizes, histogram);
    return new CorpusResult(outputs, stats);
  }

  /** Partition i of the verdicts goes with partition i of the documents. */
  static final class ByIndex extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;

    ByIndex(int n) {
      this.n = n;
    }

    @Override
    public int numPartitions() {
      return n;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByIndex b && b.n == n;
    }

    @Override
    public int hashCode() {
      return n;
    }
  }
}
