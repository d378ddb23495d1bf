package io.github.sparkgpt.pipeline.tokenizer;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GPT-2 style byte-level BPE tokenizer: text -> UTF-8 bytes, split by {@link Gpt2PreTokenizer}, each pre-token's
 * bytes merged pair by pair in merge-rank order (lowest rank first, leftmost first on ties), as GPT-2 and
 * Hugging Face's BPE model do.
 *
 * <p>Immutable, Serializable and thread-safe. Encoding is allocation-light: a bounded per-instance cache maps
 * recent pre-tokens to their ids (a direct-mapped table of immutable entries, so threads share it without
 * locks; a lost race only costs a recomputation).
 *
 * <p>Round trip: {@code decode(encode(s)).equals(s)} for every well-formed Java string (any mix of scripts,
 * emoji, combining marks, whitespace). A lone surrogate has no UTF-8 encoding: it is encoded as U+FFFD and
 * comes back as U+FFFD. For arbitrary bytes use {@code decodeBytes(encodeBytes(b))}, which is exact for every
 * byte sequence.
 *
 * <p>Special tokens ({@code <|endoftext|>}, fine-tuning's start/delimiter/extract tokens) get ids after the BPE
 * vocabulary. {@link #encode} never produces them, even if their text appears in the input (untrusted text must
 * not be able to inject control tokens); use {@link #specialTokenId} to place them, or
 * {@link #encodeWithSpecialTokens} for trusted text that spells them out.
 */
public final class BpeTokenizer implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int NO_RANK = Integer.MAX_VALUE;
  private static final int CACHE_SLOTS = 1 << 17;
  private static final int MAX_CACHED_CHARS = 48;
  private static final int HEAP_MERGE_MIN_LENGTH = 128; // pieces longer than this use the O(n log n) merge loop

  private final byte[][] tokenBytes; // id -> bytes (special tokens: UTF-8 of their text)
  private final int[] mergeLeft, mergeRight, mergeResult; // by rank
  private final LinkedHashMap<String, Integer> specials; // text -> id, in id order

  private transient int[] byteToId;
  private transient LongIntMap pairRank;
  private transient boolean[] special;
  private transient CacheEntry[] cache;
  private transient volatile String sha256;

  /**
   * @param tokenBytes bytes of every token id; each of the 256 single bytes must be one token
   * @param merges {left id, right id, result id} in rank order; result bytes must be left + right bytes
   * @param specialTokens special token text -> id (ids must be in range); insertion order is kept
   */
  public BpeTokenizer(byte[][] tokenBytes, List<int[]> merges, Map<String, Integer> specialTokens) {
    this.tokenBytes = tokenBytes.clone();
    int m = merges.size();
    mergeLeft = new int[m];
    mergeRight = new int[m];
    mergeResult = new int[m];
    for (int r = 0; r < m; r++) {
      int[] mg = merges.get(r);
      mergeLeft[r] = mg[0];
      mergeRight[r] = mg[1];
      mergeResult[r] = mg[2];
    }
    specials = new LinkedHashMap<>(specialTokens);
    init();
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    init();
  }

  /** Validates and builds the derived lookup tables. */
  private void init() {
    int v = tokenBytes.length;
    byteToId = new int[256];
    Arrays.fill(byteToId, -1);
    special = new boolean[v];
    for (Map.Entry<String, Integer> e : specials.entrySet()) {
      int id = e.getValue();
      if (e.getKey().isEmpty()) throw new IllegalArgumentException("empty special token");
      if (id < 0 || id >= v) throw new IllegalArgumentException("special token " + e.getKey() + " has id " + id
          + " outside the vocabulary of " + v);
      if (special[id]) throw new IllegalArgumentException("two special tokens share id " + id);
      special[id] = true;
    }
    for (int id = 0; id < v; id++) {
      byte[] b = tokenBytes[id];
      if (b == null || b.length == 0) throw new IllegalArgumentException("token " + id + " has no bytes");
      if (b.length == 1 && !special[id] && byteToId[b[0] & 0xFF] < 0) byteToId[b[0] & 0xFF] = id;
    }
    for (int b = 0; b < 256; b++) {
      if (byteToId[b] < 0) throw new IllegalArgumentException("no token for byte " + b + ": byte-level BPE needs all 256");
    }
    pairRank = new LongIntMap(mergeLeft.length);
    for (int r = 0; r < mergeLeft.length; r++) {
      int l = mergeLeft[r], rt = mergeRight[r], res = mergeResult[r];
      if (l < 0 || l >= v || rt < 0 || rt >= v || res < 0 || res >= v) {
        throw new IllegalArgumentException("merge " + r + " uses an id outside the vocabulary");
      }
      byte[] a = tokenBytes[l], c = tokenBytes[rt], ab = tokenBytes[res];
      if (ab.length != a.length + c.length || !Arrays.equals(ab, 0, a.length, a, 0, a.length)
          || !Arrays.equals(ab, a.length, ab.length, c, 0, c.length)) {
        throw new IllegalArgumentException("merge " + r + " (" + l + " " + rt + " -> " + res
            + "): result bytes are not the concatenation of its parts");
      }
      // a duplicate pair keeps its lowest rank, as in Hugging Face
      if (pairRank.get(LongIntMap.pair(l, rt), NO_RANK) == NO_RANK) pairRank.put(LongIntMap.pair(l, rt), r, NO_RANK);
    }
    cache = new CacheEntry[CACHE_SLOTS];
  }

  // ---------------------------------------------------------------- vocabulary

  /** Number of ids, special tokens included; the model's embedding table needs this many rows. */
  public int vocabSize() {
    return tokenBytes.length;
  }

  public int numMerges() {
    return mergeLeft.length;
  }

  /** Merge of rank {@code r} as {left id, right id, result id}. */
  public int[] merge(int r) {
    return new int[] {mergeLeft[r], mergeRight[r], mergeResult[r]};
  }

  /** Raw bytes of token {@code id} (a copy). */
  public byte[] tokenBytes(int id) {
    return tokenBytes[id].clone();
  }

  /** Id of the single-byte token for byte {@code b}. */
  public int byteTokenId(int b) {
    return byteToId[b & 0xFF];
  }

  /** Id of a special token, e.g. {@code specialTokenId("<|endoftext|>")}. */
  public int specialTokenId(String text) {
    Integer id = specials.get(text);
    if (id == null) throw new IllegalArgumentException("no special token " + text + "; known: " + specials.keySet()
        + " (add one with withAddedSpecialTokens)");
    return id;
  }

  public boolean hasSpecialToken(String text) {
    return specials.containsKey(text);
  }

  public boolean isSpecial(int id) {
    return id >= 0 && id < special.length && special[id];
  }

  /** Special token text -> id, in id order. */
  public Map<String, Integer> specialTokens() {
    return Collections.unmodifiableMap(specials);
  }

  /**
   * A tokenizer with the same vocabulary and merges plus the given special tokens at new ids
   * {@code vocabSize(), vocabSize()+1, ...}; names that already are special tokens keep their id.
   */
  public BpeTokenizer withAddedSpecialTokens(List<String> names) {
    List<byte[]> bytes = new ArrayList<>(Arrays.asList(tokenBytes));
    LinkedHashMap<String, Integer> sp = new LinkedHashMap<>(specials);
    for (String name : names) {
      if (sp.containsKey(name)) continue;
      sp.put(name, bytes.size());
      bytes.add(name.getBytes(StandardCharsets.UTF_8));
    }
    List<int[]> merges = new ArrayList<>(mergeLeft.length);
    for (int r = 0; r < mergeLeft.length; r++) merges.add(merge(r));
    return new BpeTokenizer(bytes.toArray(new byte[0][]), merges, sp);
  }

  public BpeTokenizer withAddedSpecialTokens(String... names) {
    return withAddedSpecialTokens(Arrays.asList(names));
  }

  /** SHA-256 (hex) of the canonical tokenizer.json form: identifies the tokenizer in manifests. */
  public String sha256() {
    String s = sha256;
    if (s == null) sha256 = s = HfTokenizerJson.sha256(this);
    return s;
  }

  // ---------------------------------------------------------------- encode

  /** Ids of {@code text}; special token text in it is encoded as ordinary text. */
  public int[] encode(String text) {
    IntBuffer out = new IntBuffer(text.length() / 3 + 8);
    encodeOrdinary(text, 0, text.length(), out);
    return out.toArray();
  }

  /** Like {@link #encode} but registered special token text becomes the special token (trusted text only). */
  public int[] encodeWithSpecialTokens(String text) {
    IntBuffer out = new IntBuffer(text.length() / 3 + 8);
    String[] names = specials.keySet().toArray(new String[0]);
    int[] nextAt = new int[names.length];
    for (int k = 0; k < names.length; k++) nextAt[k] = text.indexOf(names[k]);
    int pos = 0;
    while (true) {
      int best = -1; // earliest occurrence, longest name on a tie
      for (int k = 0; k < names.length; k++) {
        if (nextAt[k] >= 0 && nextAt[k] < pos) nextAt[k] = text.indexOf(names[k], pos);
        if (nextAt[k] < 0) continue;
        if (best < 0 || nextAt[k] < nextAt[best]
            || (nextAt[k] == nextAt[best] && names[k].length() > names[best].length())) best = k;
      }
      if (best < 0) break;
      encodeOrdinary(text, pos, nextAt[best], out);
      out.add(specials.get(names[best]));
      pos = nextAt[best] + names[best].length();
    }
    encodeOrdinary(text, pos, text.length(), out);
    return out.toArray();
  }

  /**
   * Ids of arbitrary bytes. Maximal well-formed UTF-8 runs are encoded exactly like {@link #encode} of their
   * text; each run of ill-formed bytes is one piece of its own. {@code decodeBytes(encodeBytes(b))} equals b.
   */
  public int[] encodeBytes(byte[] bytes) {
    IntBuffer out = new IntBuffer(bytes.length / 3 + 8);
    int i = 0, validStart = 0;
    while (i < bytes.length) {
      int n = Utf8Scan.validSequenceLength(bytes, i);
      if (n > 0) {
        i += n;
        continue;
      }
      if (validStart < i) {
        String s = new String(bytes, validStart, i - validStart, StandardCharsets.UTF_8);
        encodeOrdinary(s, 0, s.length(), out);
      }
      int badStart = i;
      while (i < bytes.length && Utf8Scan.validSequenceLength(bytes, i) == 0) i++;
      int[] ids = new int[i - badStart];
      for (int k = 0; k < ids.length; k++) ids[k] = byteToId[bytes[badStart + k] & 0xFF];
      mergeInto(ids, ids.length, out);
      validStart = i;
    }
    if (validStart < bytes.length) {
      String s = new String(bytes, validStart, bytes.length - validStart, StandardCharsets.UTF_8);
      encodeOrdinary(s, 0, s.length(), out);
    }
    return out.toArray();
  }

  private void encodeOrdinary(String s, int from, int to, IntBuffer out) {
    for (int pos = from; pos < to; ) {
      int end = Gpt2PreTokenizer.nextEnd(s, pos, to);
      encodePiece(s, pos, end, out);
      pos = end;
    }
  }

  private void encodePiece(String s, int from, int to, IntBuffer out) {
    int len = to - from;
    if (len > MAX_CACHED_CHARS) {
      encodeUncached(s, from, to, out);
      return;
    }
    int h = 0;
    for (int i = from; i < to; i++) h = 31 * h + s.charAt(i);
    int slot = (h ^ (h >>> 15)) & (CACHE_SLOTS - 1);
    CacheEntry e = cache[slot];
    if (e != null && e.hash == h && e.matches(s, from, to)) {
      out.addAll(e.ids);
      return;
    }
    int start = out.size();
    encodeUncached(s, from, to, out);
    char[] key = new char[len];
    s.getChars(from, to, key, 0);
    cache[slot] = new CacheEntry(h, key, out.copy(start));
  }

  /** UTF-8 bytes of the chars (lone surrogates as U+FFFD) -> byte ids -> merges. */
  private void encodeUncached(String s, int from, int to, IntBuffer out) {
    int[] ids = new int[(to - from) * 3];
    int n = 0;
    for (int i = from; i < to; i++) {
      int c = s.charAt(i);
      if (c < 0x80) {
        ids[n++] = byteToId[c];
        continue;
      }
      if (Character.isHighSurrogate((char) c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
        c = Character.toCodePoint((char) c, s.charAt(++i));
      } else if (Character.isSurrogate((char) c)) {
        c = 0xFFFD;
      }
      if (c < 0x800) {
        ids[n++] = byteToId[0xC0 | (c >> 6)];
      } else if (c < 0x10000) {
        ids[n++] = byteToId[0xE0 | (c >> 12)];
        ids[n++] = byteToId[0x80 | ((c >> 6) & 0x3F)];
      } else {
        ids[n++] = byteToId[0xF0 | (c >> 18)];
        ids[n++] = byteToId[0x80 | ((c >> 12) & 0x3F)];
        ids[n++] = byteToId[0x80 | ((c >> 6) & 0x3F)];
      }
      ids[n++] = byteToId[0x80 | (c & 0x3F)];
    }
    mergeInto(ids, n, out);
  }

  /** Applies the merges to ids[0..n) (lowest rank first, leftmost on ties) and appends the result. */
  private void mergeInto(int[] ids, int n, IntBuffer out) {
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
   * Same result as the quadratic loop in O(n log n) for long pieces: a linked list of symbols and a min-heap of
   * (rank, position) with lazy invalidation (an entry is skipped if its pair no longer has that rank).
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

  // ---------------------------------------------------------------- decode

  /** Text of the ids (UTF-8 decoding; ill-formed byte sequences become U+FFFD). */
  public String decode(int[] ids) {
    return new String(decodeBytes(ids), StandardCharsets.UTF_8);
  }

  /** Concatenated bytes of the ids; exact inverse of {@link #encodeBytes}. */
  public byte[] decodeBytes(int[] ids) {
    int len = 0;
    for (int id : ids) {
      if (id < 0 || id >= tokenBytes.length) throw new IllegalArgumentException("token id " + id
          + " outside the vocabulary of " + tokenBytes.length);
      len += tokenBytes[id].length;
    }
    byte[] out = new byte[len];
    int p = 0;
    for (int id : ids) {
      byte[] b = tokenBytes[id];
      System.arraycopy(b, 0, out, p, b.length);
      p += b.length;
    }
    return out;
  }

  // ---------------------------------------------------------------- helpers

  /** Immutable cache entry: final fields make it safe to publish through a plain array store. */
  private static final class CacheEntry {
    final int hash;
    final char[] key;
    final int[] ids;

    CacheEntry(int hash, char[] key, int[] ids) {
      this.hash = hash;
      this.key = key;
      this.ids = ids;
    }

    boolean matches(String s, int from, int to) {
      if (key.length != to - from) return false;
      for (int i = 0; i < key.length; i++) if (key[i] != s.charAt(from + i)) return false;
      return true;
    }
  }

  /** Growable int array. */
  static final class IntBuffer {
    private int[] a;
    private int n;

    IntBuffer(int capacity) {
      a = new int[Math.max(capacity, 8)];
    }

    int size() {
      return n;
    }

    void add(int v) {
      if (n == a.length) a = Arrays.copyOf(a, n * 2);
      a[n++] = v;
    }

    void addAll(int[] v) {
      addAll(v, v.length);
    }

    void addAll(int[] v, int len) {
      if (n + len > a.length) a = Arrays.copyOf(a, Math.max(a.length * 2, n + len));
      System.arraycopy(v, 0, a, n, len);
      n += len;
    }

    int[] copy(int from) {
      return Arrays.copyOfRange(a, from, n);
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  /** Binary min-heap of longs. */
  static final class LongHeap {
    private long[] h;
    private int n;

    LongHeap(int capacity) {
      h = new long[Math.max(capacity, 8)];
    }

    boolean isEmpty() {
      return n == 0;
    }

    void push(long v) {
      if (n == h.length) h = Arrays.copyOf(h, n * 2);
      int i = n++;
      while (i > 0) {
        int p = (i - 1) >>> 1;
        if (h[p] <= v) break;
        h[i] = h[p];
        i = p;
      }
      h[i] = v;
    }

    long pop() {
      long top = h[0];
      long v = h[--n];
      int i = 0;
      while (true) {
        int c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && h[c + 1] < h[c]) c++;
        if (v <= h[c]) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = v;
      return top;
    }
  }
}
