package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IntBufferTest {
  @Test
  void growsPastItsCapacityAndCopiesRanges() {
    IntBuffer b = new IntBuffer(0);
    for (int i = 0; i < 20; i++) b.add(i);
    b.addAll(new int[] {100, 101, 102}, 2);
    b.addAll(new int[] {7});
    assertEquals(23, b.size());
    assertArrayEquals(new int[] {18, 19, 100, 101, 7}, b.copy(18));
    assertEquals(23, b.toArray().length);
    assertEquals(0, b.toArray()[0]);
  }

  @Test
  void addAllLargerThanDoubleTheCapacityFits() {
    IntBuffer b = new IntBuffer(1);
    b.addAll(new int[100]);
    b.add(5);
    assertEquals(101, b.size());
    assertArrayEquals(new int[] {5}, b.copy(100));
  }
}
