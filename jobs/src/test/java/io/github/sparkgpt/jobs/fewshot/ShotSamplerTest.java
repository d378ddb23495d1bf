package io.github.sparkgpt.jobs.fewshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShotSamplerTest {
  private static final List<Integer> POOL = IntStream.range(0, 50).boxed().toList();

  @Test
  void sameDistinctShotsForEveryQueryAndSeeded() {
    ShotSampler<Integer> s = new ShotSampler<>(POOL, 4, 7, false);
    List<Integer> first = s.next();
    assertEquals(4, new HashSet<>(first).size());
    assertEquals(first, s.next());
    assertEquals(first, new ShotSampler<>(POOL, 4, 7, false).next());
    assertNotEquals(first, new ShotSampler<>(POOL, 4, 8, false).next());
    ShotSampler<Integer> r = new ShotSampler<>(POOL, 4, 7, true);
    assertEquals(first, r.next());
    assertNotEquals(first, r.next());
    assertEquals(List.of(), new ShotSampler<>(POOL, 0, 7, false).next());
    assertThrows(IllegalArgumentException.class, () -> new ShotSampler<>(POOL, 51, 7, false));
  }
}
