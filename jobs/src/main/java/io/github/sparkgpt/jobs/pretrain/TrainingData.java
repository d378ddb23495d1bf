package io.github.sparkgpt.jobs.pretrain;

import io.github.sparkgpt.model.GptBatch;
import io.github.sparkgpt.pipeline.write.ShardInfo;
import io.github.sparkgpt.pipeline.write.ShardReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

/**
 * The training split as a cached RDD of (row index, sequence of T+1 tokens), read from the Parquet
 * shards on the executors (one partition per shard; the driver never holds the corpus, only the
 * current chunk of rounds: ~16 MB of tokens, against the parameters and Adam state it sends and
 * receives for every worker each round), and cut into averaging rounds.
 *
 * <p>Each epoch visits the rows in a different order: row {@code i} goes to position {@code (a*i +
 * b) mod n} with {@code a} coprime to {@code n} (a permutation drawn from seed and epoch). Round
 * {@code r} takes positions {@code [r*R, (r+1)*R)}, R = workers x batch_size x averaging_frequency,
 * grouped into batch_size DataSets spread evenly over {@code workers} partitions. The last partial
 * round of an epoch is dropped (the next epoch's order differs), unless the split is smaller than
 * one round.
 */
public final class TrainingData implements AutoCloseable {
  private final JavaPairRDD<Long, int[]> rows;
  private final long count;
  private final int contextLength;
  private final EpochChunks chunks;
  private final List<Broadcast<List<int[][]>>> roundShares = new ArrayList<>();

  TrainingData(JavaPairRDD<Long, int[]> rows, long count, int contextLength, long chunkBytes) {
    this.rows = rows;
    this.count = count;
    this.contextLength = contextLength;
    this.chunks = new EpochChunks(rows, count, contextLength, chunkBytes);
  }

  /**
   * Reads {@code shards} (paths relative to {@code dataDir}) on the executors. Rows of the data's
   * context are cut into non-overlapping windows of {@code contextLength + 1} tokens when the
   * model's context is smaller.
   */
  public static TrainingData load(
      JavaSparkContext jsc,
      String dataDir,
      List<ShardInfo> shards,
      int dataContext,
      int contextLength) {
    List<String> paths = new ArrayList<>();
    for (ShardInfo s : shards) paths.add(new Path(dataDir, s.path()).toString());
    if (paths.isEmpty())
      throw new IllegalArgumentException(dataDir + ": the train split has no shards");
    SerializableConfiguration conf = new SerializableConfiguration(jsc.hadoopConfiguration());
    final int t = contextLength;
    JavaRDD<int[]> sequences =
        jsc.parallelize(paths, paths.size())
            .flatMap(
                p -> {
                  List<int[]> out = new ArrayList<>();
                  for (int[] row : ShardReader.read(new Path(p), conf.value(), -1))
                    out.addAll(windows(row, t));
                  return out.iterator();
                });
    JavaPairRDD<Long, int[]> indexed =
        sequences
            .zipWithIndex()
            .mapToPair(Tuple2::swap)
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    long n = indexed.count();
    if (n == 0) throw new IllegalArgumentException(dataDir + ": the train split has no sequences");
    return new TrainingData(indexed, n, contextLength, EpochChunks.CHUNK_BYTES);
  }

  /**
   * A row of L tokens as floor((L-1)/T) windows of T+1 tokens (consecutive windows share one
   * token).
   */
  static List<int[]> windows(int[] row, int t) {
    List<int[]> out = new ArrayList<>();
    if (row.length <= t + 1) {
      if (row.length >= 2) out.add(row);
      return out;
    }
    for (int start = 0; start + t + 1 <= row.length; start += t) {
      out.add(java.util.Arrays.copyOfRange(row, start, start + t + 1));
    }
    return out;
  }

  public long count() {
    return count;
  }

  /** Sequences in each round: min(R, n). */
  public long roundSequences(long roundSize) {
    return Math.min(roundSize, count);
  }

  public long roundsPerEpoch(long roundSize) {
    return Math.max(1, count / roundSize);
  }

  /**
   * Round {@code round} of {@code epoch} as batch_size DataSets on {@code workers} partitions:
   * batch k of the round (positions in order) on partition k mod workers. The RDD is valid until
   * the next round is asked for (rounds are trained one after the other).
   */
  public JavaRDD<DataSet> round(
      int epoch, long round, long roundSize, int batchSize, int workers, long seed) {
    long start = round * roundSize;
    long end = Math.min(start + roundSize, count);
    int[][] seqs = chunks.positions(epoch, seed, roundSize, start, end);
    List<List<int[][]>> shares = new ArrayList<>();
    for (int w = 0; w < workers; w++) shares.add(new ArrayList<>());
    for (int k = 0; k * batchSize < seqs.length; k++) {
      int to = Math.min((k + 1) * batchSize, seqs.length);
      shares.get(k % workers).add(Arrays.copyOfRange(seqs, k * batchSize, to));
    }
    // A share travels as a broadcast of its own, not inside the task: at long contexts or large
    // rounds it passes Spark's 1 MB task-size warning (batch 64 x 50 steps x T 128: 1.6 MB).
    // The previous round has finished when the next is asked for, so its shares can go.
    destroyShares();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.context());
    for (List<int[][]> share : shares) roundShares.add(jsc.broadcast(share));
    final int t = contextLength;
    return jsc.parallelize(new ArrayList<>(roundShares), workers) // one share per partition
        .flatMap(share -> share.value().stream().map(b -> GptBatch.fromSequences(b, t)).iterator());
  }

  private void destroyShares() {
    for (Broadcast<List<int[][]>> b : roundShares) b.destroy();
    roundShares.clear();
  }

  /** Rounds the driver holds at a time. */
  long chunkRounds(long roundSize) {
    return chunks.chunkRounds(roundSize);
  }

  /**
   * {a, b} of the epoch's affine permutation of 0..n-1; a is coprime to n, so the map is a
   * bijection.
   */
  static long[] permutation(long n, long seed, int epoch) {
    if (n >= Integer.MAX_VALUE)
      throw new IllegalArgumentException("more than 2^31 training sequences");
    Random rnd = new Random(seed * 1_000_003L + epoch);
    long a = 1;
    if (n > 2) {
      do {
        a = 1 + (long) (rnd.nextDouble() * (n - 1));
      } while (gcd(a, n) != 1);
    }
    long b = (long) (rnd.nextDouble() * n);
    return new long[] {a, b};
  }

  private static long gcd(long x, long y) {
    return y == 0 ? x : gcd(y, x % y);
  }

  @Override
  public void close() {
    destroyShares();
    rows.unpersist(false);
  }
}
