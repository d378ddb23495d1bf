package io.github.sparkgpt.jobs.pretrain;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * An epoch's order of the training split ({@link TrainingData#permutation}), held on the driver a
 * chunk of whole rounds at a time; rounds are asked for in order.
 */
final class EpochChunks {
  private final JavaPairRDD<Long, int[]> rows;
  private final long count;
  private final int contextLength;
  private final long chunkBytes;
  private long[] orderKey;
  private JavaPairRDD<Long, int[]> order;
  private long chunkIndex;
  private int[][] chunk;

  EpochChunks(JavaPairRDD<Long, int[]> rows, long count, int contextLength, long chunkBytes) {
    this.rows = rows;
    this.count = count;
    this.contextLength = contextLength;
    this.chunkBytes = chunkBytes;
  }

  /**
   * The sequences at positions [start, end) of the epoch's order. The driver holds one chunk of
   * whole rounds (about {@value #CHUNK_BYTES} bytes of tokens) and fetches the next with a job that
   * reads only that chunk's partition of the epoch's order, which one shuffle per epoch builds.
   * Why: selecting a round by scanning every cached row costs a stage per round that grows with the
   * corpus (on {@code small}, ~35 ms of a 2.5 s round with only 1.4M tokens of data).
   */
  int[][] positions(int epoch, long seed, long roundSize, long start, long end) {
    long[] key = {epoch, seed, roundSize};
    long chunkSeqs = chunkRounds(roundSize) * roundSize;
    if (!Arrays.equals(key, orderKey)) {
      final long n = count;
      final long[] ab = TrainingData.permutation(n, seed, epoch);
      final long a = ab[0], b = ab[1];
      int parts = (int) Math.min(Integer.MAX_VALUE, (n + chunkSeqs - 1) / chunkSeqs);
      order =
          rows.mapToPair(r -> new Tuple2<>(Math.floorMod(a * r._1() + b, n), r._2()))
              .partitionBy(new ChunkPartitioner(chunkSeqs, parts));
      orderKey = key;
      chunk = null;
    }
    long c = start / chunkSeqs;
    if ((end - 1) / chunkSeqs != c) throw new IllegalStateException("a round spans two chunks");
    long from = c * chunkSeqs;
    if (chunk == null || chunkIndex != c) {
      List<Tuple2<Long, int[]>> part = order.collectPartitions(new int[] {(int) c})[0];
      chunk = new int[(int) Math.min(chunkSeqs, count - from)][];
      for (Tuple2<Long, int[]> r : part) chunk[(int) (r._1() - from)] = r._2();
      if (part.size() != chunk.length) { // the order is a bijection: every position comes once
        throw new IllegalStateException(
            "chunk " + c + " of the epoch order holds " + part.size() + " of " + chunk.length);
      }
      chunkIndex = c;
    }
    return Arrays.copyOfRange(chunk, (int) (start - from), (int) (end - from));
  }

  /** Rounds per chunk: {@value #CHUNK_BYTES} bytes of tokens, at least one round. */
  long chunkRounds(long roundSize) {
    return Math.max(1, chunkBytes / (roundSize * (contextLength + 1L) * Integer.BYTES));
  }

  static final long CHUNK_BYTES = 16L << 20;

  /** Position p of an epoch's order to partition p / chunk. */
  static final class ChunkPartitioner extends Partitioner {
    private final long chunk;
    private final int parts;

    ChunkPartitioner(long chunk, int parts) {
      this.chunk = chunk;
      this.parts = parts;
    }

    @Override
    public int numPartitions() {
      return parts;
    }

    @Override
    public int getPartition(Object position) {
      return (int) Math.min((Long) position / chunk, parts - 1);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ChunkPartitioner p && p.chunk == chunk && p.parts == parts;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(chunk) * 31 + parts;
    }
  }
}
