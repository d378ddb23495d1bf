package io.github.sparkgpt.pipeline.tokenizer;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Trains a byte-level BPE tokenizer on a corpus with Spark.
 *
 * <ol>
 *   <li>Executors: pre-tokenize every document (GPT-2 rules) and count pre-tokens per partition,
 *       then {@code reduceByKey}. Pre-tokens seen fewer than {@code min_pre_token_frequency} times
 *       are dropped; at most {@code max_pre_tokens} distinct pre-tokens (the most frequent; ties by
 *       text) go to the driver.
 *   <li>Driver: {@link BpeMergeLearner} learns the merges.
 * </ol>
 *
 * <p>Vocabulary layout: ids 0..255 are the bytes (id = byte value), then one id per merge in merge
 * order, then the special tokens in the order given, then {@code reserved_tokens} placeholders
 * {@code <|reserved_0|>}, ... So {@code vocab_size} = 256 + merges + specials + reserved; fewer
 * merges are learned if no pair reaches {@code min_frequency} (then the vocabulary is smaller than
 * asked: use {@link BpeTokenizer#vocabSize()}).
 *
 * <p>The default special tokens are {@code <|endoftext|>} (document separator) and GPT-1's
 * fine-tuning tokens {@code <|start|>}, {@code <|delim|>}, {@code <|extract|>}: they are part of
 * the pretraining vocabulary (their embeddings just stay untrained until fine-tuning) so the model
 * never has to grow its embedding table.
 *
 * <p>No randomness: the same corpus gives the same merges, whatever the partitioning (counts are
 * exact sums and merge ties are broken by the smaller (left id, right id)).
 */
public final class BpeTrainer implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BpeTrainer.class);

  private int vocabSize = 8192;
  private int minFrequency = 2;
  private int minPreTokenFrequency = 1;
  private int maxPreTokens = 2_000_000;
  private List<String> specialTokens = SpecialTokens.DEFAULTS;
  private int reservedTokens = 0;

  /** Total ids wanted: 256 bytes + merges + special + reserved tokens. GPT-1: 40,478. */
  public BpeTrainer setVocabSize(int v) {
    vocabSize = v;
    return this;
  }

  /** A pair must occur at least this often (weighted by pre-token counts) to become a merge. */
  public BpeTrainer setMinFrequency(int v) {
    minFrequency = v;
    return this;
  }

  /** Pre-tokens seen fewer times are dropped on the executors before collecting (1 keeps all). */
  public BpeTrainer setMinPreTokenFrequency(int v) {
    minPreTokenFrequency = v;
    return this;
  }

  /** At most this many distinct pre-tokens (the most frequent) are collected to the driver. */
  public BpeTrainer setMaxPreTokens(int v) {
    maxPreTokens = v;
    return this;
  }

  public BpeTrainer setSpecialTokens(List<String> v) {
    specialTokens = List.copyOf(v);
    return this;
  }

  /** Extra placeholder special tokens {@code <|reserved_k|>} for later use. */
  public BpeTrainer setReservedTokens(int v) {
    reservedTokens = v;
    return this;
  }

  public int getVocabSize() {
    return vocabSize;
  }

  public void validate() {
    int fixed = 256 + specialTokens.size() + reservedTokens;
    if (vocabSize <= fixed)
      throw new IllegalArgumentException(
          "vocab_size "
              + vocabSize
              + " leaves no room for merges: "
              + "it must exceed 256 bytes + "
              + specialTokens.size()
              + " special + "
              + reservedTokens
              + " reserved tokens");
    if (minFrequency < 1)
      throw new IllegalArgumentException("min_frequency must be >= 1, got " + minFrequency);
    if (minPreTokenFrequency < 1)
      throw new IllegalArgumentException("min_pre_token_frequency must be >= 1");
    if (maxPreTokens < 1)
      throw new IllegalArgumentException("max_pre_tokens must be >= 1, got " + maxPreTokens);
    if (reservedTokens < 0) throw new IllegalArgumentException("reserved_tokens must be >= 0");
    if (specialTokens.stream().anyMatch(String::isEmpty)
        || specialTokens.stream().distinct().count() != specialTokens.size()) {
      throw new IllegalArgumentException(
          "special_tokens must be distinct and non-empty: " + specialTokens);
    }
  }

  /** Counts pre-tokens on the executors, collects the kept ones, learns merges on the driver. */
  public BpeTokenizer train(JavaRDD<String> documents) {
    validate();
    long t0 = System.nanoTime();
    JavaPairRDD<String, Long> counts =
        countPreTokens(documents, minPreTokenFrequency).persist(StorageLevel.MEMORY_AND_DISK());
    long distinct = counts.count();
    List<Tuple2<String, Long>> kept =
        distinct <= maxPreTokens
            ? counts.collect()
            : counts.takeOrdered(maxPreTokens, new ByCountThenText());
    counts.unpersist(false);
    LOG.info(
        "BPE: {} distinct pre-tokens with count >= {}, {} collected in {} ms",
        distinct,
        minPreTokenFrequency,
        kept.size(),
        (System.nanoTime() - t0) / 1_000_000);
    Map<String, Long> map = new HashMap<>(kept.size() * 2);
    for (Tuple2<String, Long> t : kept) map.put(t._1, t._2);
    return trainOnCounts(map);
  }

  /** Pre-token -> count over all documents, pre-tokens below {@code minCount} dropped. */
  public static JavaPairRDD<String, Long> countPreTokens(JavaRDD<String> documents, int minCount) {
    return documents
        .mapPartitionsToPair(BpeTrainer::countPartition)
        .reduceByKey(Long::sum)
        .filter(t -> t._2 >= minCount);
  }

  private static Iterator<Tuple2<String, Long>> countPartition(Iterator<String> docs) {
    HashMap<String, long[]> local = new HashMap<>();
    while (docs.hasNext()) {
      String doc = docs.next();
      if (doc == null) continue;
      for (int pos = 0, end = doc.length(); pos < end; ) {
        int next = Gpt2PreTokenizer.nextEnd(doc, pos, end);
        local.computeIfAbsent(doc.substring(pos, next), k -> new long[1])[0]++;
        pos = next;
      }
    }
    List<Tuple2<String, Long>> out = new ArrayList<>(local.size());
    for (Map.Entry<String, long[]> e : local.entrySet())
      out.add(new Tuple2<>(e.getKey(), e.getValue()[0]));
    return out.iterator();
  }

  /** Learns merges from pre-token counts on this machine (the driver half of {@link #train}). */
  public BpeTokenizer trainOnCounts(Map<String, Long> preTokenCounts) {
    validate();
    long t0 = System.nanoTime();
    List<byte[]> words = new ArrayList<>(preTokenCounts.size());
    long[] counts = new long[preTokenCounts.size()];
    for (Map.Entry<String, Long> e : preTokenCounts.entrySet()) {
      counts[words.size()] = e.getValue();
      words.add(Utf8Scan.encode(e.getKey()));
    }
    int maxMerges = vocabSize - 256 - specialTokens.size() - reservedTokens;
    List<int[]> merges = BpeMergeLearner.learn(words, counts, maxMerges, minFrequency);

    List<byte[]> tokenBytes = new ArrayList<>();
    for (int b = 0; b < 256; b++) tokenBytes.add(new byte[] {(byte) b});
    for (int[] m : merges) {
      byte[] l = tokenBytes.get(m[0]), r = tokenBytes.get(m[1]);
      byte[] lr = java.util.Arrays.copyOf(l, l.length + r.length);
      System.arraycopy(r, 0, lr, l.length, r.length);
      tokenBytes.add(lr);
    }
    List<String> names = new ArrayList<>(specialTokens);
    for (int k = 0; k < reservedTokens; k++) names.add(SpecialTokens.reserved(k));
    LOG.info(
        "BPE: learned {} merges from {} pre-tokens in {} ms",
        merges.size(),
        words.size(),
        (System.nanoTime() - t0) / 1_000_000);
    return new BpeTokenizer(tokenBytes.toArray(new byte[0][]), merges, new LinkedHashMap<>())
        .withAddedSpecialTokens(names);
  }

  /**
   * Most frequent first, then by text, so the cap keeps the same pre-tokens on any partitioning.
   */
  static final class ByCountThenText implements Comparator<Tuple2<String, Long>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Tuple2<String, Long> a, Tuple2<String, Long> b) {
      int c = Long.compare(b._2, a._2);
      return c != 0 ? c : a._1.compareTo(b._1);
    }
  }
}
