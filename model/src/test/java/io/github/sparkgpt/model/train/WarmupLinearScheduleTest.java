package io.github.sparkgpt.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WarmupLinearScheduleTest {

  @Test
  void warmsUpThenDecaysLinearlyToZero() {
    WarmupLinearSchedule s = new WarmupLinearSchedule(1.0, 2, 10);
    assertEquals(0.5, s.at(0), 1e-12);
    assertEquals(1.0, s.at(1), 1e-12);
    assertEquals(1.0, s.at(2), 1e-12); // peak right after warmup
    assertEquals(0.5, s.at(6), 1e-12); // halfway through the 8 decay steps
    assertEquals(1 / 8.0, s.at(9), 1e-12); // last step still trains
    assertEquals(0.0, s.at(10), 1e-12);
    assertEquals(s.at(6), s.valueAt(6, 3), 1e-12);
  }

  @Test
  void gpt1WarmupIsPointTwoPercentAtLeastOneStep() {
    assertEquals(2, WarmupLinearSchedule.warmupFor(0.002, 1000));
    assertEquals(1, WarmupLinearSchedule.warmupFor(0.002, 30));
    assertEquals(0, WarmupLinearSchedule.warmupFor(0.0, 30));
    assertEquals(1.0, new WarmupLinearSchedule(1.0, 0, 4).at(0), 1e-12);
  }
}
