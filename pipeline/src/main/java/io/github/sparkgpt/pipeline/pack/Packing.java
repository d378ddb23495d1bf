package io.github.sparkgpt.pipeline.pack;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.stats.Histogram;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Encodes documents on the executors, assigns each to train or validation, and packs each split
 * into fixed-length sequences. Documents are spread over shards by a seeded hash of their id and
 * ordered by that hash inside a shard, so every shard mixes all sources and the output is identical
 * on every run.
 */
public final class Packing implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int contextLength;
  private final int endOfTextId;
  private final SplitAssigner split;
  private final long seed;

  public Packing(int contextLength, int endOfTextId, SplitAssigner split, long seed) {
    this.contextLength = contextLength;
    this.endOfTextId = endOfTextId;
    this.split = split;
    this.seed = seed;
  }

  /**
   * Token totals for one split: documents, document tokens (without end-of-text), and a length
   * histogram.
   */
  public static final class SplitTotals implements Serializable {
    public long documents;
    public long tokens;
    public final Histogram documentTokens = new Histogram();

    SplitTotals add(EncodedDocument d) {
      documents++;
      tokens += d.tokens().length;
      documentTokens.add(d.tokens().length);
      return this;
    }

    SplitTotals merge(SplitTotals o) {
      documents += o.documents;
      tokens += o.tokens;
      documentTokens.merge(o.documentTokens);
      return this;
    }

    /** Tokens entering the packer: document tokens plus one end-of-text per document. */
    public long streamTokens() {
      return tokens + documents;
    }
  }

  public JavaRDD<EncodedDocument> encode(JavaRDD<Document> docs, TokenEncoder encoder) {
    SplitAssigner s = split;
    return docs.map(
            d -> new EncodedDocument(d.id(), encoder.encode(d.text()), s.isValidation(d.id())))
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
  }

  /** Index 0: train, 1: validation. */
  public static SplitTotals[] totals(JavaRDD<EncodedDocument> encoded) {
    return encoded.aggregate(
        new SplitTotals[] {new SplitTotals(), new SplitTotals()},
        (acc, d) -> {
          acc[d.validation() ? 1 : 0].add(d);
          return acc;
        },
        (a, b) -> {
          a[0].merge(b[0]);
          a[1].merge(b[1]);
          return a;
        });
  }

  /** Shards needed so that each holds about {@code shardBytes} of int32 tokens (at least one). */
  public static int shardCount(long streamTokens, long shardBytes) {
    return (int) Math.max(1, Math.min(100_000, (streamTokens * 4 + shardBytes - 1) / shardBytes));
  }

  /**
   * Pack one split into sequences of {@code contextLength + 1} tokens, one RDD partition per shard.
   */
  public JavaRDD<int[]> pack(JavaRDD<EncodedDocument> encoded, boolean validation, int shards) {
    long sd = seed;
    JavaPairRDD<Long, int[]> keyed =
        encoded
            .filter(d -> d.validation() == validation)
            .mapToPair(d -> new Tuple2<>(SplitAssigner.hash64(d.id(), sd), d.tokens()));
    int ctx = contextLength;
    int eot = endOfTextId;
    return keyed
        .repartitionAndSortWithinPartitions(new HashPartitioner(shards))
        .mapPartitions((Iterator<Tuple2<Long, int[]>> it) -> packPartition(it, ctx, eot));
  }

  private static Iterator<int[]> packPartition(
      Iterator<Tuple2<Long, int[]>> docs, int ctx, int eot) {
    SequencePacker packer = new SequencePacker(ctx, eot);
    return new Iterator<>() {
      private final List<int[]> ready = new ArrayList<>();
      private int pos;

      @Override
      public boolean hasNext() {
        while (pos == ready.size() && docs.hasNext()) {
          ready.clear();
          pos = 0;
          ready.addAll(packer.add(docs.next()._2()));
        }
        return pos < ready.size();
      }

      @Override
      public int[] next() {
        if (!hasNext()) throw new java.util.NoSuchElementException();
        return ready.get(pos++);
      }
    };
  }
}
