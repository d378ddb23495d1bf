package io.github.sparkgpt.pipeline.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Learns BPE merges from distinct pre-tokens (as bytes) and their counts, on one machine.
 *
 * <p>Ids 0..255 are the bytes themselves; merge r creates id 256 + r. Each step merges the most
 * frequent adjacent pair (counts weighted by pre-token frequency); ties go to the smaller (left id,
 * right id), so the result only depends on the counts. Incremental: pair counts live in a
 * long-keyed table, each pair keeps the list of words it may occur in, and a max-heap holds (count,
 * pair) entries that are checked when popped (lazy invalidation: a popped entry whose count went
 * down is pushed back with the current count). A merge touches only the words that contain its
 * pair.
 */
final class BpeMergeLearner {
  private BpeMergeLearner() {}

  /**
   * @param words distinct pre-tokens as bytes
   * @param counts occurrences of each word
   * @param maxMerges how many merges to learn at most
   * @param minPairFrequency stop when the best pair occurs fewer times than this
   * @return merges as {left id, right id, new id}
   */
  static List<int[]> learn(
      List<byte[]> words, long[] counts, int maxMerges, long minPairFrequency) {
    int nw = words.size();
    int[][] sym = new int[nw][];
    int[] len = new int[nw];
    Pairs pairs = new Pairs(1 << 16);
    for (int w = 0; w < nw; w++) {
      byte[] b = words.get(w);
      sym[w] = new int[b.length];
      for (int i = 0; i < b.length; i++) sym[w][i] = b[i] & 0xFF;
      len[w] = b.length;
      for (int i = 0; i + 1 < len[w]; i++)
        pairs.add(LongIntMap.pair(sym[w][i], sym[w][i + 1]), counts[w], w);
    }
    PairHeap heap = new PairHeap(pairs.size());
    for (int s = 0; s < pairs.size(); s++)
      if (pairs.count[s] > 0) heap.push(pairs.count[s], pairs.key[s]);

    List<int[]> merges = new ArrayList<>();
    int[] touched = new int[16];
    while (merges.size() < maxMerges && !heap.isEmpty()) {
      long c = heap.topCount(), key = heap.topKey();
      heap.pop();
      int slot = pairs.slot(key);
      long current = pairs.count[slot];
      if (c != current) { // stale: the pair lost occurrences since this entry was pushed
        if (current > 0) heap.push(current, key);
        continue;
      }
      if (current < minPairFrequency) break;
      int a = LongIntMap.left(key), b = LongIntMap.right(key), ab = 256 + merges.size();
      merges.add(new int[] {a, b, ab});

      int nTouched = 0;
      int[] occ = pairs.words[slot];
      int nOcc = pairs.nWords[slot];
      for (int k = 0; k < nOcc; k++) {
        int w = occ[k];
        int[] s = sym[w];
        long cw = counts[w];
        for (int i = 0; i + 1 < len[w]; i++) {
          if (s[i] != a || s[i + 1] != b) continue;
          pairs.add(key, -cw, -1);
          if (i > 0) {
            pairs.add(LongIntMap.pair(s[i - 1], a), -cw, -1);
            int t = pairs.add(LongIntMap.pair(s[i - 1], ab), cw, w);
            touched = append(touched, nTouched++, t);
          }
          if (i + 2 < len[w]) {
            pairs.add(LongIntMap.pair(b, s[i + 2]), -cw, -1);
            int t = pairs.add(LongIntMap.pair(ab, s[i + 2]), cw, w);
            touched = append(touched, nTouched++, t);
          }
          s[i] = ab;
          System.arraycopy(s, i + 2, s, i + 1, len[w] - i - 2);
          len[w]--;
        }
      }
      // only pairs containing the new token gained occurrences: push them once with their final
      // count
      Arrays.sort(touched, 0, nTouched);
      for (int k = 0; k < nTouched; k++) {
        if (k > 0 && touched[k] == touched[k - 1]) continue;
        int t = touched[k];
        if (pairs.count[t] > 0) heap.push(pairs.count[t], pairs.key[t]);
      }
    }
    return merges;
  }

  private static int[] append(int[] a, int n, int v) {
    if (n == a.length) a = Arrays.copyOf(a, n * 2);
    a[n] = v;
    return a;
  }

  /**
   * Pair table: slot -> key, count, and the words (possibly stale, possibly repeated) the pair
   * occurs in.
   */
  private static final class Pairs {
    final LongIntMap slots;
    long[] key;
    long[] count;
    int[][] words;
    int[] nWords;
    private int size;

    Pairs(int capacity) {
      slots = new LongIntMap(capacity);
      key = new long[capacity];
      count = new long[capacity];
      words = new int[capacity][];
      nWords = new int[capacity];
    }

    int size() {
      return size;
    }

    int slot(long pair) {
      return slots.get(pair, -1);
    }

    /**
     * Adds {@code delta} to the pair's count and, if {@code word >= 0}, records the word; returns
     * the slot.
     */
    int add(long pair, long delta, int word) {
      int s = slots.get(pair, -1);
      if (s < 0) {
        s = size++;
        if (s == key.length) grow();
        slots.put(pair, s, -1);
        key[s] = pair;
        words[s] = new int[2];
      }
      count[s] += delta;
      if (word >= 0) {
        int n = nWords[s];
        if (n == 0 || words[s][n - 1] != word) {
          if (n == words[s].length) words[s] = Arrays.copyOf(words[s], n * 2);
          words[s][n] = word;
          nWords[s] = n + 1;
        }
      }
      return s;
    }

    private void grow() {
      int cap = key.length * 2;
      key = Arrays.copyOf(key, cap);
      count = Arrays.copyOf(count, cap);
      words = Arrays.copyOf(words, cap);
      nWords = Arrays.copyOf(nWords, cap);
    }
  }

  /** Max-heap of (count, pair): higher count first, then smaller pair key. */
  private static final class PairHeap {
    private long[] counts, keys;
    private int n;

    PairHeap(int capacity) {
      counts = new long[Math.max(capacity, 16)];
      keys = new long[counts.length];
    }

    boolean isEmpty() {
      return n == 0;
    }

    long topCount() {
      return counts[0];
    }

    long topKey() {
      return keys[0];
    }

    private boolean before(long c1, long k1, long c2, long k2) {
      return c1 > c2 || (c1 == c2 && k1 < k2);
    }

    void push(long c, long k) {
      if (n == counts.length) {
        counts = Arrays.copyOf(counts, n * 2);
        keys = Arrays.copyOf(keys, n * 2);
      }
      int i = n++;
      while (i > 0) {
        int p = (i - 1) >>> 1;
        if (!before(c, k, counts[p], keys[p])) break;
        counts[i] = counts[p];
        keys[i] = keys[p];
        i = p;
      }
      counts[i] = c;
      keys[i] = k;
    }

    void pop() {
      long c = counts[--n], k = keys[n];
      int i = 0;
      while (true) {
        int ch = 2 * i + 1;
        if (ch >= n) break;
        if (ch + 1 < n && before(counts[ch + 1], keys[ch + 1], counts[ch], keys[ch])) ch++;
        if (!before(counts[ch], keys[ch], c, k)) break;
        counts[i] = counts[ch];
        keys[i] = keys[ch];
        i = ch;
      }
      counts[i] = c;
      keys[i] = k;
    }
  }
}
