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
 * GPT-2 style byte-level BPE tokenizer: text -> UTF-8 bytes, split by {@link Gpt2PreTokenizer},
 * each pre-token's bytes merged pair by pair in merge-rank order ({@link BpeMerges}), as GPT-2 and
 * Hugging Face's BPE model do.
 *
 * <p>Immutable, Serializable and thread-safe. Encoding is allocation-light: a bounded per-instance
 * cache ({@link PieceCache}) maps recent pre-tokens to their ids.
 *
 * <p>Round trip: {@code decode(encode(s)).equals(s)} for every well-formed Java string (any mix of
 * scripts, emoji, combining marks, whitespace). A lone surrogate has no UTF-8 encoding: it is
 * encoded as U+FFFD and comes back as U+FFFD. For arbitrary bytes use {@code
 * decodeBytes(encodeBytes(b))}, which is exact for every byte sequence.
 *
 * <p>Special tokens ({@code <|endoftext|>}, fine-tuning's start/delimiter/extract tokens) get ids
 * after the BPE vocabulary. {@link #encode} never produces them, even if their text appears in the
 * input (untrusted text must not be able to inject control tokens); use {@link #specialTokenId} to
 * place them, or {@link #encodeWithSpecialTokens} for trusted text that spells them out.
 */
public final class BpeTokenizer implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[][] tokenBytes; // id -> bytes (special tokens: UTF-8 of their text)
  private final int[] mergeLeft, mergeRight, mergeResult; // by rank
  private final LinkedHashMap<String, Integer> specials; // text -> id, in id order

  private transient int[] byteToId;
  private transient BpeMerges mergeTable;
  private transient boolean[] special;
  private transient PieceCache cache;

  /**
   * @param tokenBytes bytes of every token id; each of the 256 single bytes must be one token
   * @param merges {left id, right id, result id} in rank order; result bytes must be left + right
   *     bytes
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
      if (id < 0 || id >= v)
        throw new IllegalArgumentException(
            "special token " + e.getKey() + " has id " + id + " outside the vocabulary of " + v);
      if (special[id]) throw new IllegalArgumentException("two special tokens share id " + id);
      special[id] = true;
    }
    for (int id = 0; id < v; id++) {
      byte[] b = tokenBytes[id];
      if (b == null || b.length == 0)
        throw new IllegalArgumentException("token " + id + " has no bytes");
      if (b.length == 1 && !special[id] && byteToId[b[0] & 0xFF] < 0) byteToId[b[0] & 0xFF] = id;
    }
    for (int b = 0; b < 256; b++) {
      if (byteToId[b] < 0)
        throw new IllegalArgumentException(
            "no token for byte " + b + ": byte-level BPE needs all 256");
    }
    mergeTable = new BpeMerges(tokenBytes, mergeLeft, mergeRight, mergeResult);
    cache = new PieceCache();
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
    if (id == null)
      throw new IllegalArgumentException(
          "no special token "
              + text
              + "; known: "
              + specials.keySet()
              + " (add one with withAddedSpecialTokens)");
    return id;
  }

  public boolean hasSpecialToken(String text) {
    return specials.containsKey(text);
  }

  /** The id of {@link SpecialTokens#END_OF_TEXT}, or -1 for a vocabulary without it. */
  public int endOfTextId() {
    return specials.getOrDefault(SpecialTokens.END_OF_TEXT, -1);
  }

  public boolean isSpecial(int id) {
    return id >= 0 && id < special.length && special[id];
  }

  /** Special token text -> id, in id order. */
  public Map<String, Integer> specialTokens() {
    return Collections.unmodifiableMap(specials);
  }

  /**
   * A tokenizer with the same vocabulary and merges plus the given special tokens at new ids {@code
   * vocabSize(), vocabSize()+1, ...}; names that already are special tokens keep their id.
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

  // ---------------------------------------------------------------- encode

  /** Ids of {@code text}; special token text in it is encoded as ordinary text. */
  public int[] encode(String text) {
    IntBuffer out = new IntBuffer(text.length() / 3 + 8);
    encodeOrdinary(text, 0, text.length(), out);
    return out.toArray();
  }

  /**
   * Like {@link #encode} but registered special token text becomes the special token (trusted text
   * only).
   */
  public int[] encodeWithSpecialTokens(String text) {
    IntBuffer out = new IntBuffer(text.length() / 3 + 8);
    SpecialTokenScanner found =
        new SpecialTokenScanner(text, specials.keySet().toArray(new String[0]));
    int pos = 0;
    while (found.find(pos)) {
      encodeOrdinary(text, pos, found.start(), out);
      out.add(specials.get(found.name()));
      pos = found.start() + found.name().length();
    }
    encodeOrdinary(text, pos, text.length(), out);
    return out.toArray();
  }

  /**
   * Ids of arbitrary bytes. Maximal well-formed UTF-8 runs are encoded exactly like {@link #encode}
   * of their text; each run of ill-formed bytes is one piece of its own. {@code
   * decodeBytes(encodeBytes(b))} equals b.
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
      mergeTable.mergeInto(ids, ids.length, out);
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
    if (!PieceCache.fits(to - from)) {
      encodeUncached(s, from, to, out);
      return;
    }
    int h = PieceCache.hash(s, from, to);
    int[] cached = cache.get(s, from, to, h);
    if (cached != null) {
      out.addAll(cached);
      return;
    }
    int start = out.size();
    encodeUncached(s, from, to, out);
    cache.put(s, from, to, h, out.copy(start));
  }

  /** UTF-8 bytes of the chars (lone surrogates as U+FFFD) -> byte ids -> merges. */
  private void encodeUncached(String s, int from, int to, IntBuffer out) {
    int[] ids = new int[(to - from) * 3];
    int n = Utf8Scan.encodeMapped(s, from, to, byteToId, ids);
    mergeTable.mergeInto(ids, n, out);
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
      if (id < 0 || id >= tokenBytes.length)
        throw new IllegalArgumentException(
            "token id " + id + " outside the vocabulary of " + tokenBytes.length);
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
}
