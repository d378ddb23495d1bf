package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LongIntMapTest {
  @Test
  void putGetOverwriteAndGrowth() {
    LongIntMap m = new LongIntMap(2);
    for (int i = 0; i < 1000; i++) assertEquals(-1, m.put(LongIntMap.pair(i, i + 1), i, -1));
    assertEquals(1000, m.size());
    for (int i = 0; i < 1000; i++) assertEquals(i, m.get(LongIntMap.pair(i, i + 1), -1));
    assertEquals(-1, m.get(LongIntMap.pair(1, 0), -1));
    assertEquals(5, m.put(LongIntMap.pair(5, 6), 50, -1), "the previous value");
    assertEquals(50, m.get(LongIntMap.pair(5, 6), -1));
    assertEquals(1000, m.size());
  }

  @Test
  void pairsPackAndUnpackAndNegativeKeysAreRefused() {
    long p = LongIntMap.pair(70_000, 123_456);
    assertEquals(70_000, LongIntMap.left(p));
    assertEquals(123_456, LongIntMap.right(p));
    assertThrows(IllegalArgumentException.class, () -> new LongIntMap(4).put(-5L, 1, 0));
  }
}
