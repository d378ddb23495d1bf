package io.github.sparkgpt.pipeline.tokenizer;

import java.util.Arrays;

/**
 * Applies a tokenizer's merges to a piece's ids: pair by pair in merge-rank order, lowest rank
 * first and leftmost first on ties, as GPT-2 and Hugging Face's BPE model do. Built from the merge
 * arrays (validated against the token bytes); holds the pair -> rank lookup.
 */
final class BpeMerges {
  static final int NO_RANK = Integer.MAX_VALUE;

  /**
   * Pieces of at least this many ids use the O(n log n) merge loop; shorter ones the quadratic,
   * cheaper one.
   */
  static final int HEAP_MERGE_MIN_LENGTH = 128;

  private final int[] mergeResult; // by rank
  private final LongIntMap pairRank;

  /**
   * @param left, right, result the merge of each rank: ids of its parts and of the merged token
   * @throws IllegalArgumentException if a merge uses an id outside the vocabulary or its result
   *     bytes are not the concatenation of its parts
   */
  BpeMerges(byte[][] tokenBytes, int[] left, int[] right, int[] result) {
    int v = tokenBytes.length;
    mergeResult = result;
    pairRank = new LongIntMap(left.length);
    for (int r = 0; r < left.length; r++) {
      int l = left[r], rt = right[r], res = result[r];
      if (l < 0 || l >= v || rt < 0 || rt >= v || res < 0 || res >= v) {
        throw new IllegalArgumentException("merge " + r + " uses an id outside the vocabulary");
      }
      byte[] a = tokenBytes[l], c = tokenBytes[rt], ab = tokenBytes[res];
      if (ab.length != a.length + c.length
          || !Arrays.equals(ab, 0, a.length, a, 0, a.length)
          || !Arrays.equals(ab, a.length, ab.length, c, 0, c.length)) {
        throw new IllegalArgumentException(
            "merge "
                + r
                + " ("
                + l
                + " "
                + rt
                + " -> "
                + res
                + "): result bytes are not the concatenation of its parts");
      }
      // a duplicate pair keeps its lowest rank, as in Hugging Face
      if (pairRank.get(LongIntMap.pair(l, rt), NO_RANK) == NO_RANK)
        pairRank.put(LongIntMap.pair(l, rt), r, NO_RANK);
    }
  }

  /**
   * Applies the merges to ids[0..n) (lowest rank first, leftmost on ties) and appends the result.
   */
  void mergeInto(int[] ids, int n, IntBuffer out) {
    if (n >= HEAP_MERGE_MIN_LENGTH) {
      mergeLong(ids, n, out);
      return;
    }
    // rank[i] = rank of the pair (ids[i], ids[i+1]); quadratic but tiny for the usual short piece
    int[] rank = new int[Math.max(n - 1, 0)];
    for (int i = 0; i + 1 < n; i++) rank[i] = rankOf(ids[i], ids[i + 1]);
    while (n > 1) {
      int best = 0;
      for (int i = 1; i < n - 1; i++) if (rank[i] < rank[best]) best = i;
      int r = rank[best];
      if (r == NO_RANK) break;
      ids[best] = mergeResult[r];
      System.arraycopy(ids, best + 2, ids, best + 1, n - best - 2);
      if (n - best - 3 > 0) System.arraycopy(rank, best + 2, rank, best + 1, n - best - 3);
      n--;
      if (best < n - 1) rank[best] = rankOf(ids[best], ids[best + 1]);
      if (best > 0) rank[best - 1] = rankOf(ids[best - 1], ids[best]);
    }
    out.addAll(ids, n);
  }

  /**
   * Same result as the quadratic loop in O(n log n) for long pieces: a linked list of symbols and a
   * min-heap of (rank, position) with lazy invalidation (an entry is skipped if its pair no longer
   * has that rank).
   */
  private void mergeLong(int[] ids, int n, IntBuffer out) {
    int[] next = new int[n], prev = new int[n];
    LongHeap heap = new LongHeap(n);
    for (int i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
      if (i + 1 < n) push(heap, rankOf(ids[i], ids[i + 1]), i);
    }
    while (!heap.isEmpty()) {
      long top = heap.pop();
      int r = (int) (top >>> 32), i = (int) top;
      int j = next[i];
      if (ids[i] < 0 || j < 0 || rankOf(ids[i], ids[j]) != r) continue;
      ids[i] = mergeResult[r];
      ids[j] = -1;
      next[i] = next[j];
      if (next[j] >= 0) prev[next[j]] = i;
      if (prev[i] >= 0) push(heap, rankOf(ids[prev[i]], ids[i]), prev[i]);
      if (next[i] >= 0) push(heap, rankOf(ids[i], ids[next[i]]), i);
    }
    for (int i = 0; i >= 0; i = next[i]) out.add(ids[i]);
  }

  private static void push(LongHeap heap, int rank, int pos) {
    if (rank != NO_RANK) heap.push(((long) rank << 32) | pos);
  }

  private int rankOf(int left, int right) {
    return pairRank.get(LongIntMap.pair(left, right), NO_RANK);
  }
}
