package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongHeapTest {
  @Test
  void popsInAscendingOrderWithDuplicatesAndGrowth() {
    Random rnd = new Random(3);
    long[] values = new long[500];
    LongHeap heap = new LongHeap(1);
    for (int i = 0; i < values.length; i++) {
      values[i] = rnd.nextInt(50) - 25L; // many duplicates, negatives too
      heap.push(values[i]);
    }
    Arrays.sort(values);
    for (long v : values) {
      assertFalse(heap.isEmpty());
      assertEquals(v, heap.pop());
    }
    assertTrue(heap.isEmpty());
  }

  @Test
  void interleavedPushAndPopKeepTheMinimumOnTop() {
    LongHeap heap = new LongHeap(4);
    heap.push(5);
    heap.push(1);
    assertEquals(1, heap.pop());
    heap.push(3);
    heap.push(9);
    assertEquals(3, heap.pop());
    assertEquals(5, heap.pop());
    assertEquals(9, heap.pop());
    assertTrue(heap.isEmpty());
  }
}
