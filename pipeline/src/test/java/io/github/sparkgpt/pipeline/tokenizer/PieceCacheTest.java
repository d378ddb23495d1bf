package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PieceCacheTest {
  @Test
  void findsAPieceWhereverItStandsInTheText() {
    PieceCache cache = new PieceCache();
    String a = "say hello";
    cache.put(a, 4, 9, PieceCache.hash(a, 4, 9), new int[] {1, 2});
    String b = "hello there";
    assertArrayEquals(new int[] {1, 2}, cache.get(b, 0, 5, PieceCache.hash(b, 0, 5)));
    assertNull(cache.get(b, 6, 11, PieceCache.hash(b, 6, 11)));
  }

  @Test
  void equalHashesWithDifferentTextAreNotConfused() {
    assertEquals("Aa".hashCode(), "BB".hashCode());
    PieceCache cache = new PieceCache();
    cache.put("Aa", 0, 2, PieceCache.hash("Aa", 0, 2), new int[] {7});
    assertNull(cache.get("BB", 0, 2, PieceCache.hash("BB", 0, 2)));
    cache.put(
        "BB", 0, 2, PieceCache.hash("BB", 0, 2), new int[] {8}); // same slot: the newer piece wins
    assertNull(cache.get("Aa", 0, 2, PieceCache.hash("Aa", 0, 2)));
    assertArrayEquals(new int[] {8}, cache.get("BB", 0, 2, PieceCache.hash("BB", 0, 2)));
  }

  @Test
  void hashIsTheStringHashOfTheRangeAndLongPiecesDoNotFit() {
    String s = "xx unbelievable yy";
    assertEquals("unbelievable".hashCode(), PieceCache.hash(s, 3, 15));
    assertTrue(PieceCache.fits(PieceCache.MAX_CHARS));
    assertFalse(PieceCache.fits(PieceCache.MAX_CHARS + 1));
  }
}
