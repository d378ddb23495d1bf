package io.github.sparkgpt.pipeline.pack;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The train/validation split for corpora of few documents, where a split by whole documents would
 * leave validation empty or down to one or two documents: every document goes into one token stream
 * (ordered by the seeded hash of its id, as in {@link Packing}), the stream is cut into windows of
 * {@code contextLength + 1} tokens, and whole windows are drawn for validation: those whose seeded
 * hash of their position (packing partition, index) is among the {@link #validationWindows}
 * smallest. The packing partitions are derived from the data and the shard size, not from the
 * cluster's parallelism, so the same corpus and configuration give the same split anywhere.
 *
 * <p>A window never straddles the split, but windows of one document sit on both sides: validation
 * loss measures text the model has not seen, from documents it has partly seen.
 */
public final class WindowSplit implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * One packed sequence: its position hash, its T+1 tokens, and the hashes of the documents it
   * holds text of.
   */
  public record Window(long key, int[] tokens, long[] documents) implements Serializable {}

  /** Counts of one side of the split. */
  public static final class Side implements Serializable {
    public long sequences;

    /** Tokens of documents in the side's sequences (end-of-text tokens excluded). */
    public long documentTokens;

    /** Distinct documents with text in the side's sequences. */
    public long documents;
  }

  private final int contextLength;
  private final int endOfTextId;
  private final long seed;

  public WindowSplit(int contextLength, int endOfTextId, long seed) {
    this.contextLength = contextLength;
    this.endOfTextId = endOfTextId;
    this.seed = seed;
  }

  /**
   * Validation windows out of {@code windows}: round(fraction x windows), at least one and at most
   * all but one when there are two windows or more and the fraction is above 0; none otherwise.
   */
  public static long validationWindows(long windows, double fraction) {
    if (windows < 2 || !(fraction > 0)) return 0;
    return Math.max(1, Math.min(windows - 1, Math.round(fraction * windows)));
  }

  /**
   * The windows of every document, packed in {@code partitions} deterministic partitions;
   * persisted.
   */
  public JavaRDD<Window> windows(JavaRDD<EncodedDocument> encoded, int partitions) {
    long sd = seed;
    int ctx = contextLength;
    int eot = endOfTextId;
    return encoded
        .mapToPair(d -> new Tuple2<>(SplitAssigner.hash64(d.id(), sd), d.tokens()))
        .repartitionAndSortWithinPartitions(new HashPartitioner(partitions))
        .mapPartitionsWithIndex((i, it) -> packPartition(i, it, ctx, eot, sd), true)
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
  }

  /**
   * The largest position hash of a validation window: the {@code validationWindows}-th smallest
   * key, or {@code null} when no window is held out.
   */
  public static Long threshold(JavaRDD<Window> windows, long validationWindows) {
    if (validationWindows == 0) return null;
    if (validationWindows > Integer.MAX_VALUE)
      throw new IllegalArgumentException("too many validation windows");
    List<Long> smallest = windows.map(Window::key).takeOrdered((int) validationWindows);
    return smallest.get(smallest.size() - 1);
  }

  static boolean isValidation(Window w, Long threshold) {
    return threshold != null && w.key() <= threshold;
  }

  /**
   * One side's sequences in {@code shards} partitions, ordered by position hash (a shuffle of the
   * stream).
   */
  public static JavaRDD<int[]> side(
      JavaRDD<Window> windows, Long threshold, boolean validation, int shards) {
    return windows
        .filter(w -> isValidation(w, threshold) == validation)
        .mapToPair(w -> new Tuple2<>(w.key(), w.tokens()))
        .repartitionAndSortWithinPartitions(new HashPartitioner(shards))
        .values();
  }

  /** Counts of one side. */
  public Side count(JavaRDD<Window> windows, Long threshold, boolean validation) {
    int eot = endOfTextId;
    JavaRDD<Window> mine = windows.filter(w -> isValidation(w, threshold) == validation);
    Side s = new Side();
    long[] seqTokens =
        mine.map(
                w -> {
                  long text = 0;
                  for (int t : w.tokens()) if (t != eot) text++;
                  return new long[] {1, text};
                })
            .fold(new long[] {0, 0}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    s.sequences = seqTokens[0];
    s.documentTokens = seqTokens[1];
    s.documents =
        mine.flatMap(
                w -> {
                  List<Long> ids = new ArrayList<>();
                  for (long d : w.documents()) ids.add(d);
                  return ids.iterator();
                })
            .distinct()
            .count();
    return s;
  }

  /**
   * Packs the sorted documents of one partition into windows; the last incomplete window is
   * dropped.
   */
  static Iterator<Window> packPartition(
      int partition, Iterator<Tuple2<Long, int[]>> docs, int ctx, int eot, long seed) {
    return new Iterator<>() {
      private final int[] buffer = new int[ctx + 1];
      private final List<Long> inWindow = new ArrayList<>();
      private final List<Window> ready = new ArrayList<>();
      private int filled;
      private long index;
      private int pos;

      @Override
      public boolean hasNext() {
        while (pos == ready.size() && docs.hasNext()) {
          ready.clear();
          pos = 0;
          Tuple2<Long, int[]> d = docs.next();
          boolean touched = false;
          for (int t : d._2()) touched = push(t, d._1(), touched);
          push(eot, d._1(), touched);
        }
        return pos < ready.size();
      }

      /**
       * Appends a token of document {@code doc}; returns whether the current window now holds text
       * of it.
       */
      private boolean push(int token, long doc, boolean touched) {
        if (!touched) inWindow.add(doc);
        buffer[filled++] = token;
        if (filled < buffer.length) return true;
        long[] ids = new long[inWindow.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = inWindow.get(i);
        ready.add(
            new Window(SplitAssigner.hash64(partition + ":" + index++, seed), buffer.clone(), ids));
        filled = 0;
        inWindow.clear();
        return false;
      }

      @Override
      public Window next() {
        if (!hasNext()) throw new java.util.NoSuchElementException();
        return ready.get(pos++);
      }
    };
  }
}
