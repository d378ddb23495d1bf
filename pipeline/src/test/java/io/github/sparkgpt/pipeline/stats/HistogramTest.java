package io.github.sparkgpt.pipeline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HistogramTest {
  @Test
  void bucketsArePowersOfTwo() {
    Histogram h = new Histogram();
    for (long v : new long[] {0, 1, 2, 3, 4, 7, 8, 1000}) h.add(v);
    Map<String, Long> b = h.buckets();
    assertEquals(1L, b.get("0"));
    assertEquals(1L, b.get("1"));
    assertEquals(2L, b.get("2-3"));
    assertEquals(2L, b.get("4-7"));
    assertEquals(1L, b.get("8-15"));
    assertEquals(1L, b.get("512-1023"));
    assertEquals(8, h.count());
    assertEquals(1000, h.max());
  }

  @Test
  void mergeAddsCounts() {
    Histogram a = new Histogram();
    Histogram b = new Histogram();
    a.add(5);
    b.add(6);
    b.add(100);
    a.merge(b);
    assertEquals(3, a.count());
    assertEquals(111, a.sum());
    assertEquals(5, a.min());
  }
}
