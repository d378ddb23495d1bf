package io.github.sparkgpt.pipeline.tokenizer;

/**
 * A bounded cache from recent pre-tokens to their ids: a direct-mapped table of immutable entries,
 * so threads share it without locks (a lost race only costs a recomputation). Long pieces are rare
 * and not worth a slot.
 */
final class PieceCache {
  static final int SLOTS = 1 << 17;

  /** Pieces longer than this are never cached. */
  static final int MAX_CHARS = 48;

  private final Entry[] slots = new Entry[SLOTS];

  /** True if a piece of this many chars may be cached. */
  static boolean fits(int length) {
    return length <= MAX_CHARS;
  }

  /**
   * The hash {@link #get} and {@link #put} take: {@link String#hashCode()}'s of {@code
   * s[from..to)}.
   */
  static int hash(String s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) h = 31 * h + s.charAt(i);
    return h;
  }

  /** The ids cached for {@code s[from..to)}, or null. */
  int[] get(String s, int from, int to, int hash) {
    Entry e = slots[slot(hash)];
    return e != null && e.hash == hash && e.matches(s, from, to) ? e.ids : null;
  }

  /**
   * Caches the ids of {@code s[from..to)}, replacing whatever held the slot; the caller must not
   * change ids.
   */
  void put(String s, int from, int to, int hash, int[] ids) {
    char[] key = new char[to - from];
    s.getChars(from, to, key, 0);
    slots[slot(hash)] = new Entry(hash, key, ids);
  }

  private static int slot(int hash) {
    return (hash ^ (hash >>> 15)) & (SLOTS - 1);
  }

  /** Final fields make an entry safe to publish through a plain array store. */
  private static final class Entry {
    final int hash;
    final char[] key;
    final int[] ids;

    Entry(int hash, char[] key, int[] ids) {
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
}
