package io.github.sparkgpt.pipeline.dedup;

/** 64-bit mixing shared by the dedup stages. */
final class Hashing {
  private Hashing() {}

  static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /**
   * MurmurHash3's 64-bit finaliser: every input bit affects every output bit (a bijection, so no
   * collisions).
   */
  static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb93fe53a2ca3L;
    k ^= k >>> 33;
    return k;
  }

  /** Order-sensitive combination of a running hash with one more 64-bit value. */
  static long combine(long h, long v) {
    return fmix64(Long.rotateLeft(h, 23) ^ v) * GOLDEN + 0x632BE59BD9B4E019L;
  }
}
