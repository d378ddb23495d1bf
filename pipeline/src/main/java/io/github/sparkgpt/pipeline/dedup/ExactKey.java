package io.github.sparkgpt.pipeline.dedup;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 128-bit exact-dedup key of a text: the first 16 bytes of SHA-256 over the UTF-8 of the
 * normalised text. Normalisation (each switchable): lowercase by code point (locale-independent),
 * and collapse every run of whitespace to one space with leading and trailing whitespace removed.
 * Normalising and UTF-8 encoding happen in one pass into a reused buffer, so hashing a document
 * allocates nothing but the result.
 *
 * <p>One instance per task (not thread-safe). Why SHA-256 and not murmur3_128: it is in the JDK
 * (Guava reaches us only through Spark, shaded or not depending on the deployment), Java 17 runs it
 * with the CPU's SHA instructions where present, and it is collision-resistant even for adversarial
 * web text, where a crafted murmur collision could get an unrelated page deleted. 128 bits keep
 * accidental collisions negligible (birthday bound ~2^64 documents).
 */
final class ExactKey {
  private final boolean lowercase;
  private final boolean collapseWhitespace;
  private final MessageDigest sha256;
  private byte[] buf = new byte[1 << 14];
  long hi;
  long lo;

  ExactKey(boolean lowercase, boolean collapseWhitespace) {
    this.lowercase = lowercase;
    this.collapseWhitespace = collapseWhitespace;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  /** Hash {@code text}; the key is then in {@link #hi} and {@link #lo}. */
  void hash(String text) {
    int n = 0;
    boolean pendingSpace = false;
    int len = text.length();
    for (int i = 0; i < len; ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (collapseWhitespace && Character.isWhitespace(cp)) {
        pendingSpace = n > 0; // leading whitespace is dropped, trailing never gets flushed
        continue;
      }
      if (n + 5 > buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
      if (pendingSpace) {
        buf[n++] = ' ';
        pendingSpace = false;
      }
      if (lowercase) cp = Character.toLowerCase(cp);
      n = putUtf8(cp, n);
    }
    sha256.reset();
    sha256.update(buf, 0, n);
    byte[] d = sha256.digest();
    hi = toLong(d, 0);
    lo = toLong(d, 8);
  }

  private int putUtf8(int cp, int n) {
    if (cp < 0x80) {
      buf[n++] = (byte) cp;
    } else if (cp < 0x800) {
      buf[n++] = (byte) (0xC0 | (cp >> 6));
      buf[n++] = (byte) (0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      buf[n++] = (byte) (0xE0 | (cp >> 12));
      buf[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      buf[n++] = (byte) (0x80 | (cp & 0x3F));
    } else {
      buf[n++] = (byte) (0xF0 | (cp >> 18));
      buf[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
      buf[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      buf[n++] = (byte) (0x80 | (cp & 0x3F));
    }
    return n;
  }

  private static long toLong(byte[] d, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (d[off + i] & 0xFF);
    return v;
  }
}
