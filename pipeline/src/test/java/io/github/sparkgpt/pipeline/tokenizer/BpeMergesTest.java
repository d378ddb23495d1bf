package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BpeMergesTest {
  /** The 256 bytes, then "ab" (256), "abab" (257), "ba" (258). */
  private static byte[][] vocab() {
    byte[][] t = new byte[259][];
    for (int b = 0; b < 256; b++) t[b] = new byte[] {(byte) b};
    t[256] = "ab".getBytes(StandardCharsets.US_ASCII);
    t[257] = "abab".getBytes(StandardCharsets.US_ASCII);
    t[258] = "ba".getBytes(StandardCharsets.US_ASCII);
    return t;
  }

  /** Ranks: (a,b) 0, (ab,ab) 1, (b,a) 2. */
  private static final BpeMerges MERGES =
      new BpeMerges(
          vocab(), new int[] {'a', 256, 'b'}, new int[] {'b', 256, 'a'}, new int[] {256, 257, 258});

  private static int[] merge(String s) {
    int[] ids = s.chars().toArray();
    IntBuffer out = new IntBuffer(ids.length);
    MERGES.mergeInto(ids, ids.length, out);
    return out.toArray();
  }

  @Test
  void lowestRankFirstLeftmostOnTies() {
    assertArrayEquals(new int[] {257, 257}, merge("abababab"));
    assertArrayEquals(new int[] {'b', 257, 'a'}, merge("bababa")); // (a,b) outranks (b,a)
    assertArrayEquals(new int[] {257, 256, 'c'}, merge("abababc"));
  }

  @Test
  void theLongPieceLoopGivesTheSameIdsAsTheShortOne() {
    String unit = "ababab" + "c";
    String longText = unit.repeat(40); // 280 ids: the heap loop
    assertTrue(longText.length() >= BpeMerges.HEAP_MERGE_MIN_LENGTH);
    int[] perUnit = merge(unit); // 7 ids: the quadratic loop
    int[] expected = new int[perUnit.length * 40];
    for (int k = 0; k < 40; k++)
      System.arraycopy(perUnit, 0, expected, k * perUnit.length, perUnit.length);
    assertArrayEquals(expected, merge(longText), Arrays.toString(perUnit));
  }

  @Test
  void refusesMergesOutsideTheVocabularyOrWithWrongBytes() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new BpeMerges(vocab(), new int[] {'a'}, new int[] {'b'}, new int[] {999}));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new BpeMerges(
                vocab(), new int[] {'b'}, new int[] {'a'}, new int[] {256})); // "ba" is not "ab"
  }
}
