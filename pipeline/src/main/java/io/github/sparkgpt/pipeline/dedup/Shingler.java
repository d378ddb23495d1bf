package io.github.sparkgpt.pipeline.dedup;

import io.github.sparkgpt.pipeline.filter.LanguageText;
import java.util.Arrays;

/**
 * Text to 64-bit hashes of word n-gram shingles, without creating a String per word or per shingle.
 *
 * <p>Words are maximal runs of letters and digits (Unicode), lowercased by code point; everything
 * else (punctuation, whitespace, symbols) separates words and is otherwise ignored, so case,
 * punctuation and spacing changes do not change the shingles. A text with fewer words than the
 * shingle size is one shingle of all its words (so short texts still compare, as whole texts); a
 * text with no words is one fixed "empty" shingle (all word-less texts are near-duplicates of each
 * other).
 *
 * <p>In languages written without spaces (Chinese, Japanese, Thai; see {@link LanguageText}) the
 * words are the dictionary segments that hold a letter or digit: a Chinese text's shingles are
 * 5-word runs, not whole clauses between punctuation marks, so changing one word changes only the
 * shingles that contain it.
 *
 * <p>One instance per task (reused buffers; not thread-safe).
 */
public final class Shingler {
  private static final long EMPTY = 0x5DEECE66DL;
  private final int size;
  private long[] words = new long[512];
  private long[] shingles = new long[512];
  private int count;

  public Shingler(int shingleSize) {
    if (shingleSize < 1)
      throw new IllegalArgumentException("shingle size must be >= 1, got " + shingleSize);
    this.size = shingleSize;
  }

  /**
   * Shingle {@code text}; then {@link #count()} hashes are in {@link #hashes()} (duplicates
   * possible).
   */
  public void shingle(String text) {
    shingle(text, null);
  }

  /** Shingle {@code text} written in {@code language} (ISO 639-1, null = unknown). */
  public void shingle(String text, String language) {
    int n =
        LanguageText.segmentsWithDictionary(language)
            ? tokenizeSegments(text, language)
            : tokenize(text);
    if (n == 0) {
      shingles[0] = EMPTY;
      count = 1;
      return;
    }
    int k = Math.min(size, n); // short text: one shingle of all its words
    count = n - k + 1;
    if (shingles.length < count) shingles = new long[Math.max(count, shingles.length * 2)];
    for (int i = 0; i < count; i++) {
      long h = k;
      for (int j = 0; j < k; j++) h = Hashing.combine(h, words[i + j]);
      shingles[i] = h;
    }
  }

  public long[] hashes() {
    return shingles;
  }

  public int count() {
    return count;
  }

  /** Fill {@code words} with one 64-bit hash per lowercase word; return the number of words. */
  private int tokenize(String text) {
    int n = 0;
    long h = 0;
    boolean inWord = false;
    int len = text.length();
    for (int i = 0; i < len; ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        if (!inWord) {
          h = 0xcbf29ce484222325L; // FNV-1a offset basis
          inWord = true;
        }
        h = (h ^ Character.toLowerCase(cp)) * 0x100000001b3L;
      } else if (inWord) {
        n = push(n, Hashing.fmix64(h));
        inWord = false;
      }
    }
    if (inWord) n = push(n, Hashing.fmix64(h));
    return n;
  }

  /**
   * As {@link #tokenize}, over dictionary segments: each segment with a letter or digit is one
   * word.
   */
  private int tokenizeSegments(String text, String language) {
    int n = 0;
    for (String w : LanguageText.words(text, language)) {
      long h = 0xcbf29ce484222325L;
      boolean word = false;
      for (int i = 0; i < w.length(); ) {
        int cp = w.codePointAt(i);
        i += Character.charCount(cp);
        if (Character.isLetterOrDigit(cp)) {
          word = true;
          h = (h ^ Character.toLowerCase(cp)) * 0x100000001b3L;
        }
      }
      if (word) n = push(n, Hashing.fmix64(h));
    }
    return n;
  }

  private int push(int n, long wordHash) {
    if (n == words.length) words = Arrays.copyOf(words, n * 2);
    words[n] = wordHash;
    return n + 1;
  }
}
